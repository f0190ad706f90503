import type { Connector } from "../core/types.ts";
import type { ExcelConfigInput } from "./config-schema.ts";
import { extractExcel } from "./extract.ts";

export { excelConfigSchema, type ExcelConfig, type ExcelConfigInput } from "./config-schema.ts";
export { extractExcel } from "./extract.ts";
export { previewExcel, PREVIEW_ROWS } from "./preview.ts";
export { listSheets } from "./workbook.ts";
export * from "./types.ts";

export const excelConnector: Connector<ExcelConfigInput> = { kind: "excel", extract: extractExcel };
