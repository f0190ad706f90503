/** Public face of the DHIS2 connector. */
export { type ChunkStore, fileChunkStore } from "./chunk-store.ts";
export { type Chunk, type ChunkLedger, jsonFileLedger, memoryLedger, planChunks } from "./chunks.ts";
export {
  type AnalyticsQuery,
  type ConnectionInfo,
  type DataValueSetsQuery,
  Dhis2Client,
  type Dhis2ClientOptions,
} from "./client.ts";
export { type Dhis2Auth, type Dhis2Config, type Dhis2ConfigInput, dhis2AuthSchema, dhis2ConfigSchema } from "./config-schema.ts";
export { decryptCredentials, encryptCredentials, redactAuth } from "./credentials.ts";
export { type DataValueRecord, type DataValueRejection, parseDataValueSet, readDataValueSet } from "./datavalueset.ts";
export { Dhis2Error, type Dhis2ErrorKind } from "./errors.ts";
export { createDhis2Connector, type Dhis2ConnectorOptions, dhis2Connector, resolveOrgUnitIds } from "./extract.ts";
export { type Dhis2OrgUnit, fetchOrgUnitHierarchy, type OrgUnitHierarchy, toLocationRows } from "./org-units.ts";
export { expandPeriods, expandRelativePeriod, isFixedPeriod } from "./periods.ts";
