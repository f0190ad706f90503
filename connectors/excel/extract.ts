import type { ExtractContext, RawBatch, RawRecord } from "../core/types.ts";
import { type ExcelConfigInput, excelConfigSchema } from "./config-schema.ts";
import { sheetRecords } from "./rows.ts";
import { chooseSheet, openWorkbook } from "./workbook.ts";

/** Cell warnings reported one by one before they are only counted. */
const MAX_CELL_WARNINGS = 200;

/**
 * Streams one sheet of an .xlsx workbook as batches of raw records. Non-.xlsx files, missing sheets and empty files
 * throw SourceFileError naming the file before any batch; cell problems (error values, formulas without a saved
 * result) are reported with file, sheet, row and column letter, and reading goes on.
 */
export async function* extractExcel(input: ExcelConfigInput, ctx: ExtractContext): AsyncGenerator<RawBatch> {
  const config = excelConfigSchema.parse(input);
  const book = await openWorkbook(config.path, config.name);
  const sheet = chooseSheet(book, config.sheet).name;
  const table = config.table ?? sheet;
  let warnings = 0;
  const reader = sheetRecords(
    book,
    sheet,
    config.headerRow,
    (issue) => {
      if (++warnings <= MAX_CELL_WARNINGS) ctx.report(issue);
    },
    ctx.signal,
  );
  let records: RawRecord[] = [];
  let done = 0;
  for await (const record of reader.records()) {
    records.push(record);
    if (records.length >= config.batchSize) {
      done += records.length;
      yield { table, records };
      records = [];
      ctx.progress({ phase: "extract", done, message: `${book.file} › ${sheet}: ${done.toLocaleString("en")} rows read` });
    }
  }
  if (records.length > 0) {
    done += records.length;
    yield { table, records };
  }
  if (warnings > MAX_CELL_WARNINGS) {
    const more = (warnings - MAX_CELL_WARNINGS).toLocaleString("en");
    ctx.report({
      severity: "warning",
      message: `file ${book.file}, sheet ${sheet}: ${more} more cell warnings not listed`,
      place: { file: book.file, sheet },
    });
  }
  if (done === 0) {
    ctx.report({
      severity: "warning",
      message: `file ${book.file}, sheet ${sheet}: no data rows`,
      place: { file: book.file, sheet },
    });
  }
  ctx.progress({
    phase: "extract",
    done,
    total: done,
    message: `${book.file} › ${sheet}: ${done.toLocaleString("en")} rows read`,
  });
}
