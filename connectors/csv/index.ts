import type { Connector } from "../core/types.ts";
import type { CsvConfigInput } from "./config-schema.ts";
import { extractCsv } from "./extract.ts";

export { csvConfigSchema, type CsvConfig, type CsvConfigInput } from "./config-schema.ts";
export { extractCsv } from "./extract.ts";
export { previewCsv, PREVIEW_ROWS } from "./preview.ts";
export * from "./types.ts";

export const csvConnector: Connector<CsvConfigInput> = { kind: "csv", extract: extractCsv };
