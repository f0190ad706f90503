/** The engine contract shared by the browser (Web Worker) and Node (blocking build) implementations. */

/** A value that can be bound to a prepared-statement parameter. Lists are expanded to one bound value per element. */
export type ParamScalar = string | number | boolean | bigint | null;
export type ParamValue = ParamScalar | readonly ParamScalar[];
/** Named (`$name` in SQL) or positional (`?`, `$1` in SQL) parameter values. */
export type Params = Readonly<Record<string, ParamValue>> | readonly ParamValue[];

export interface Column {
  name: string;
  /** DuckDB-style type name derived from the Arrow schema: BIGINT, DOUBLE, VARCHAR, DATE, TIMESTAMP, DECIMAL… */
  type: string;
}

/** One result row as a plain object. DATE → "YYYY-MM-DD", TIMESTAMP → ISO string, BIGINT → number (string beyond 2^53). */
export type Row = Record<string, unknown>;

export interface QueryResult {
  columns: Column[];
  /** The first `maxRows` rows. */
  rows: Row[];
  /** Rows the full result holds (may exceed rows.length). */
  totalRows: number;
  truncated: boolean;
  elapsedMs: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /** Rows kept for display; default 10,000. */
  maxRows?: number;
}

/** A table the SQL reads: `schema` is the dataset slug (or catalog) when the reference is qualified. */
export interface TableRef {
  schema: string | null;
  name: string;
}

export interface SqlAnalysis {
  tables: TableRef[];
  /** Names of `$name` parameters, in order of first appearance. */
  parameters: string[];
}

/** How a cell's result is exposed to later cells (see kernel/README.md for why both exist). */
export type DefinitionKind = "view" | "table";

export interface Engine {
  query(sql: string, params?: Params, options?: QueryOptions): Promise<QueryResult>;
  /** Stream the full result in batches (for export); not capped. `arrow` is the batch itself; `rows` is built lazily. */
  stream(
    sql: string,
    params?: Params,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<{ columns: Column[]; rows: Row[]; arrow?: import("apache-arrow").RecordBatch }>;
  /** Expose `sql` under `name` for later queries: a view, or a table when parameters must be bound. */
  defineView(name: string, sql: string, params?: Params, options?: { signal?: AbortSignal }): Promise<{ kind: DefinitionKind }>;
  dropView(name: string): Promise<void>;
  /** Register a dataset file; it is ATTACHed read-only under `slug` the first time SQL mentions `slug.`. */
  attach(slug: string, url: string): Promise<void>;
  /** Slugs registered with attach(). */
  datasets(): string[];
  /** Tables the SQL reads (CTEs excluded), from DuckDB's binder plus its tokenizer. */
  parseTables(sql: string): Promise<TableRef[]>;
  analyze(sql: string): Promise<SqlAnalysis>;
  /** Cancel whatever runs now; callers get an EngineError of kind "cancelled". */
  cancel(): Promise<void>;
  /** Drop the database and start afresh; registered datasets and definitions are restored. */
  restart(): Promise<void>;
  close(): Promise<void>;
}
