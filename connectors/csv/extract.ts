import type { ExtractContext, RawBatch, RawRecord, RunIssue } from "../core/types.ts";
import { type CsvConfigInput, csvConfigSchema } from "./config-schema.ts";
import { fmt, openCsv, streamCsv } from "./read.ts";

/** Row problems reported one by one before they are only counted (a file where every row is short says so once). */
const MAX_ROW_ISSUES = 200;

/**
 * Streams a CSV file as batches of raw records (values are the strings as written; cleaning is harmonize's job).
 * Bad rows are reported through ctx.report with file and row, and reading goes on: rows with too many fields are
 * skipped (error), short rows are kept with empty values (warning). Empty and binary files throw
 * SourceFileError before any batch.
 */
export async function* extractCsv(input: CsvConfigInput, ctx: ExtractContext): AsyncGenerator<RawBatch> {
  const config = csvConfigSchema.parse(input);
  const opened = await openCsv(config.path, config);
  const table = config.table ?? opened.file;
  const stream = streamCsv(opened, ctx.signal);
  let records: RawRecord[] = [];
  let done = 0;
  let columns: string[] = [];
  let reported = 0;
  const report = (issue: RunIssue) => {
    if (++reported <= MAX_ROW_ISSUES) ctx.report(issue);
  };
  for await (const items of stream.items()) {
    for (const item of items) {
      if (item.kind === "issue") {
        report(item.issue);
        continue;
      }
      if (item.warning) report(item.warning);
      if (columns.length === 0) columns = stream.columns();
      const values: Record<string, string> = {};
      for (let i = 0; i < columns.length; i++) values[columns[i]] = item.values[i];
      records.push({ values, place: { file: opened.file, row: item.row } });
      if (records.length >= config.batchSize) {
        done += records.length;
        yield { table, records };
        records = [];
        ctx.progress({ phase: "extract", done, message: `${opened.file}: ${fmt(done)} rows read` });
      }
    }
  }
  if (records.length > 0) {
    done += records.length;
    yield { table, records };
  }
  if (reported > MAX_ROW_ISSUES) {
    const more = (reported - MAX_ROW_ISSUES).toLocaleString("en");
    ctx.report({
      severity: "warning",
      message: `file ${opened.file}: ${more} more row problems not listed`,
      place: { file: opened.file },
    });
  }
  if (done === 0) {
    const message = `file ${opened.file}: no data rows${stream.columns().length > 0 ? " below the header" : ""}`;
    ctx.report({ severity: "warning", message, place: { file: opened.file } });
  }
  ctx.progress({ phase: "extract", done, total: done, message: `${opened.file}: ${fmt(done)} rows read` });
}
