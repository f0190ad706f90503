/**
 * connectors/publish — dataset version files (DESIGN.md decision 1 and "The base format").
 * Native DuckDB writes one read-only database file per version (storage v1.4.0, readable by DuckDB-WASM 1.32);
 * publishVersion puts it in place atomically before the catalog commit; slices serve row-level access;
 * sendFileWithRanges serves either with HEAD, Range, ETag and immutable caching.
 */

export { WASM_STORAGE_VERSION } from "./duckdb.ts";
export { type SendFileOptions, sendFileWithRanges } from "./http-range.ts";
export {
  type CleanupOptions,
  cleanupLeftovers,
  type PublishedVersion,
  type PublishRequest,
  publishVersion,
  versionFilePath,
} from "./publish-version.ts";
export { type LevelColumn, levelColumns, OBSERVATION_ORDER } from "./schema.ts";
export { buildSlice, ensureSlice, normalizeAllowedPaths, type SliceSummary, sliceFilePath } from "./slice.ts";
export {
  type DatasetContent,
  type DatasetFileSummary,
  type WriteOptions,
  writeDatasetFile,
  writeDatasetFileFromTable,
} from "./write-dataset.ts";
