/** Public face of kernel/engine (browser-safe). The Node engine lives behind `kernel/engine/node.ts` (node-only imports). */
export type { ConnectionAdapter, DatabaseAdapter } from "./adapter.ts";
export { type BrowserBundles, BrowserEngine, type BrowserEngineOptions, type EngineStatus } from "./browser-engine.ts";
export { DEFAULT_MAX_ROWS, DuckDBEngine } from "./duckdb-engine.ts";
export { EngineError, type EngineErrorKind, parseDuckDBError } from "./errors.ts";
export { bindParameters, findParameters, parameterNames } from "./parameters.ts";
export { quoteIdentifier } from "./sql-tokens.ts";
export type {
  Column,
  DefinitionKind,
  Engine,
  ParamScalar,
  Params,
  ParamValue,
  QueryOptions,
  QueryResult,
  Row,
  SqlAnalysis,
  TableRef,
} from "./types.ts";
