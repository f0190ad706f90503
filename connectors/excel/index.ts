import type { Connector } from "../core/types.ts";
import type { ExcelConfigInput } from "./config-schema.ts";
import { extractExcel } from "./extract.ts";

export { type ExcelConfig, type ExcelConfigInput, excelConfigSchema } from "./config-schema.ts";
export { extractExcel } from "./extract.ts";
export { PREVIEW_ROWS, previewExcel } from "./preview.ts";
export * from "./types.ts";
export { listSheets } from "./workbook.ts";

export const excelConnector: Connector<ExcelConfigInput> = { kind: "excel", extract: extractExcel };
