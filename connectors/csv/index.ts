import type { Connector } from "../core/types.ts";
import type { CsvConfigInput } from "./config-schema.ts";
import { extractCsv } from "./extract.ts";

export { type CsvConfig, type CsvConfigInput, csvConfigSchema } from "./config-schema.ts";
export { extractCsv } from "./extract.ts";
export { PREVIEW_ROWS, previewCsv } from "./preview.ts";
export * from "./types.ts";

export const csvConnector: Connector<CsvConfigInput> = { kind: "csv", extract: extractCsv };
