import { basename } from "node:path";
import type { ExtractContext, RawBatch, RawRecord, RunIssue } from "../core/types.ts";
import { type AdxConfigInput, adxConfigSchema } from "./config-schema.ts";
import { parseAdxDocument } from "./document.ts";
import { readAdxGroups } from "./read.ts";
import { readXmlFile } from "./xml-text.ts";

/** Value problems reported one by one before they are only counted. */
const MAX_ISSUES = 200;
const fmt = (n: number) => n.toLocaleString("en");

/**
 * Reads an ADX file as batches of raw records, one per data value (see read.ts for the columns). The whole document
 * is checked before the first batch, so malformed XML or a non-ADX file throws AdxFileError (file, line, column) and
 * yields nothing: never half a file. Rejected values are reported through ctx.report with file and line.
 */
export async function* extractAdx(input: AdxConfigInput, ctx: ExtractContext): AsyncGenerator<RawBatch> {
  const config = adxConfigSchema.parse(input);
  const file = config.name ?? basename(config.path);
  const table = config.table ?? file;
  const text = await readXmlFile(config.path, file);
  ctx.signal.throwIfAborted();
  const doc = parseAdxDocument(text, file);
  let records: RawRecord[] = [];
  let done = 0;
  let reported = 0;
  let rejected = 0;
  const report = (issue: RunIssue) => {
    if (issue.severity === "error") rejected++;
    if (++reported <= MAX_ISSUES) ctx.report(issue);
  };
  for (const item of readAdxGroups(doc, file)) {
    if (item.kind === "issue") {
      report(item.issue);
      continue;
    }
    records.push(item.record);
    if (records.length >= config.batchSize) {
      ctx.signal.throwIfAborted();
      done += records.length;
      yield { table, records };
      records = [];
      ctx.progress({ phase: "extract", done, message: `${file}: ${fmt(done)} values read` });
    }
  }
  if (records.length > 0) {
    done += records.length;
    yield { table, records };
  }
  if (reported > MAX_ISSUES) {
    const message = `file ${file}: ${fmt(reported - MAX_ISSUES)} more problems not listed`;
    ctx.report({ severity: "warning", message, place: { file } });
  }
  if (done === 0 && rejected === 0) ctx.report({ severity: "warning", message: `file ${file}: no data values`, place: { file } });
  ctx.progress({ phase: "extract", done, total: done, message: `${file}: ${fmt(done)} values read` });
}

/** Reads ADX text at once (previews, tests, small uploads): all records and all issues, unbatched and uncapped. */
export function parseAdx(text: string, file: string): { records: RawRecord[]; issues: RunIssue[] } {
  const records: RawRecord[] = [];
  const issues: RunIssue[] = [];
  for (const item of readAdxGroups(parseAdxDocument(text, file), file)) {
    if (item.kind === "record") records.push(item.record);
    else issues.push(item.issue);
  }
  return { records, issues };
}
