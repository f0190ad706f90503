import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PipelineSpec } from "../../connectors/core/pipeline-spec.ts";
import type { RunReport } from "../../connectors/core/runner.ts";
import type { Progress } from "../../connectors/core/types.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PIPELINE_SCRIPT = path.join(repoRoot, "scripts/pipeline.ts");

export interface LiveRun {
  key: string;
  runId: string | null;
  child: ChildProcess;
  progress: Progress | null;
  done: Promise<RunReport>;
  report: RunReport | null;
}

/**
 * Starts pipeline runs as child processes of the CLI (one per run), follows their JSON progress lines, and cancels them
 * with a signal. The run record itself is written by the child into the shared SQLite database. `onFinished` hears of
 * every run's end (e.g. to sweep the slices of a replaced version).
 */
export function createRunManager(dataDir: string, onFinished?: (report: RunReport) => void) {
  const live = new Map<string, LiveRun>();
  const specsDir = path.join(dataDir, "run-specs");

  function start(spec: PipelineSpec, options: { userId: string; sourceId?: string | null; preview?: boolean }): LiveRun {
    mkdirSync(specsDir, { recursive: true });
    const key = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const specFile = path.join(specsDir, `${key}.json`);
    writeFileSync(specFile, JSON.stringify(spec));
    const args = ["--import", "tsx", PIPELINE_SCRIPT, specFile, "--json", ...(options.preview ? ["--preview"] : [])];
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        HARMONY_DATA_DIR: dataDir,
        HARMONY_RUN_USER_ID: options.userId,
        HARMONY_RUN_SOURCE_ID: options.sourceId ?? "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    const run: LiveRun = { key, runId: null, child, progress: null, report: null, done: Promise.resolve(null as never) };
    let pending = "";
    let started: (id: string) => void = () => {};
    const idKnown = new Promise<string>((resolve) => {
      started = resolve;
    });
    run.done = new Promise<RunReport>((resolve) => {
      child.stdout?.setEncoding("utf8").on("data", (text: string) => {
        pending += text;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          if (!line.startsWith("{")) continue;
          const event = JSON.parse(line) as { event: string } & Record<string, unknown>;
          if (event.event === "started") {
            run.runId = String(event.runId);
            live.set(run.runId, run);
            started(run.runId);
          } else if (event.event === "progress") run.progress = event as unknown as Progress;
          else if (event.event === "finished") run.report = event as unknown as RunReport;
        }
      });
      child.on("exit", (code) => {
        if (!run.report) {
          run.report = failedReport(
            code === 2
              ? `the run's configuration is invalid: ${stderr.trim()}`
              : `the run stopped: ${stderr.trim() || `exit code ${code}`}`,
          );
        }
        started("");
        resolve(run.report);
        onFinished?.(run.report);
        // Keep finished runs visible for a minute for the page that follows them.
        setTimeout(() => run.runId && live.delete(run.runId), 60_000).unref();
      });
    });
    live.set(key, run);
    void idKnown;
    return run;
  }

  /** Resolves once the child has created its run row (or ended without one). */
  async function started(run: LiveRun): Promise<string | null> {
    if (run.runId) return run.runId;
    return new Promise((resolve) => {
      const check = setInterval(() => {
        if (run.runId || run.report) {
          clearInterval(check);
          resolve(run.runId);
        }
      }, 20);
    });
  }

  return {
    start,
    started,
    get: (runId: string) => live.get(runId),
    cancel(runId: string): boolean {
      const run = live.get(runId);
      if (!run || run.report) return false;
      run.child.kill("SIGTERM");
      return true;
    },
    async stopAll() {
      for (const run of live.values()) if (!run.report) run.child.kill("SIGTERM");
      await Promise.all([...live.values()].map((r) => r.done));
    },
  };
}
export type RunManager = ReturnType<typeof createRunManager>;

function failedReport(error: string): RunReport {
  return {
    status: "failed",
    rowsIn: 0,
    rowsOut: 0,
    rowsRejected: 0,
    skippedBlank: 0,
    issues: [],
    issueCount: 0,
    unmatched: { totalRows: 0, distinctValues: 0, entries: [] },
    timings: {},
    version: null,
    error,
  };
}
