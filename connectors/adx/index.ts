/** ADX (IHE QRPH urn:ihe:qrph:adx:2015): import as raw records, export observations as an ADX document. */
import type { Connector } from "../core/types.ts";
import type { AdxConfigInput } from "./config-schema.ts";
import { extractAdx } from "./extract.ts";

export { type AdxConfig, type AdxConfigInput, adxConfigSchema } from "./config-schema.ts";
export { type Attributes, parseDisaggregation, serializeDisaggregation } from "./disaggregation.ts";
export { AdxChunkWriter, type AdxExportOptions, type AdxExportSummary, exportAdx, type IdLookup, writeAdx } from "./export.ts";
export { extractAdx, parseAdx } from "./extract.ts";
export { adxToObservations } from "./observations.ts";
export * from "./types.ts";
export { XmlTextError } from "./xml-escape.ts";

export const adxConnector: Connector<AdxConfigInput> = { kind: "adx", extract: extractAdx };
