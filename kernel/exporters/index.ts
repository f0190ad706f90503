/** Exporters of a cell's full result, streamed from the engine's `stream()`; browser and Node. */
export { type CsvOptions, csvField, csvValue, exportCsv, toTsv } from "./csv.ts";
export { ExportError } from "./drive.ts";
export { fileNameFor, safeNamePart } from "./file-name.ts";
export { looksLikeFormula, neutraliseFormula } from "./formula.ts";
export { exportJson, jsonValueText } from "./json.ts";
export type { ExportOptions, ExportSink, ExportSummary, ResultBatch, ResultChunks } from "./types.ts";
export {
  type ColumnFormat,
  columnFormats,
  decimalScale,
  decimalText,
  kindOf,
  type ValueKind,
  valueText,
} from "./values.ts";
export { exportXlsx, safeSheetName, XLSX_MAX_SHEET_ROWS, type XlsxOptions, xlsxValue } from "./xlsx.ts";
