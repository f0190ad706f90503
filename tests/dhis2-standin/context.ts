/** A real ExtractContext for driving connectors against the stand-in: collects progress and issues for assertions. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExtractContext, Progress, RunIssue } from "../../connectors/core/types.ts";

export function makeContext(
  signal: AbortSignal = new AbortController().signal,
): ExtractContext & { issues: RunIssue[]; progressLog: Progress[] } {
  const issues: RunIssue[] = [];
  const progressLog: Progress[] = [];
  return {
    signal,
    fetch: globalThis.fetch,
    tempDir: mkdtempSync(join(tmpdir(), "dhis2-run-")),
    report: (issue) => issues.push(issue),
    progress: (p) => progressLog.push(p),
    issues,
    progressLog,
  };
}

/** Retry settings small enough that a test with several retries finishes in milliseconds. */
export const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };
