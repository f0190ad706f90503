/**
 * The engine core shared by the Node and browser engines: one shared init promise, a connection per operation closed in
 * `finally`, datasets attached read-only on first mention, definitions replayed after a restart, DuckDB errors turned
 * into `{ message, position }` relative to the SQL the user wrote.
 */
import type { RecordBatch } from "apache-arrow";
import { CONNECTION_SETTINGS, type ConnectionAdapter, type DatabaseAdapter } from "./adapter.ts";
import { columnsOf, rowsOf } from "./arrow-rows.ts";
import { DatasetRegistry } from "./datasets.ts";
import { dropQuietly, isCrash, messageOf, singleStatementOrError, toEngineError } from "./engine-helpers.ts";
import { EngineError, parseDuckDBError, relocate } from "./errors.ts";
import { bindParameters, findParameters, parameterNames } from "./parameters.ts";
import { quoteIdentifier, type Token, toTokens } from "./sql-tokens.ts";
import { qualifyNames, scanTableRefs, sqlForNameExtraction } from "./table-refs.ts";
import type { Column, DefinitionKind, Engine, Params, QueryOptions, QueryResult, Row, SqlAnalysis, TableRef } from "./types.ts";

export const DEFAULT_MAX_ROWS = 10_000;

/** An always-empty catalog that names are resolved in during analysis (see analyze). */
const ANALYSIS_CATALOG = "harmony_analysis";

export class DuckDBEngine implements Engine {
  private database: Promise<DatabaseAdapter> | null = null;
  private readonly datasetFiles = new DatasetRegistry();
  private readonly definitions = new Map<string, { name: string; sql: string; params?: Params }>();
  private readonly active = new Set<{ conn: ConnectionAdapter; cancelled: boolean }>();
  private closed = false;

  constructor(
    private readonly open: () => Promise<DatabaseAdapter>,
    private readonly cancelGraceMs = 1_500,
  ) {}

  private db(): Promise<DatabaseAdapter> {
    if (this.closed) return Promise.reject(new EngineError("The engine is closed", "closed"));
    if (!this.database) {
      const opening = this.open().then(async (db) => {
        await this.replayDefinitions(db);
        return db;
      });
      // A failed start must not stick: the next operation tries again.
      opening.catch(() => {
        if (this.database === opening) this.database = null;
      });
      this.database = opening;
    }
    return this.database;
  }

  private async tokens(sql: string): Promise<Token[]> {
    const db = await this.db();
    return toTokens(sql, await db.tokenize(sql));
  }

  /** Runs `work` on a fresh connection, closed in finally; maps errors to EngineError using `source`. */
  private async withConnection<T>(
    work: (conn: ConnectionAdapter, db: DatabaseAdapter) => Promise<T>,
    signal: AbortSignal | undefined,
    describe: (error: unknown) => EngineError,
    database?: DatabaseAdapter,
  ): Promise<T> {
    if (signal?.aborted) throw new EngineError("The query was cancelled", "cancelled");
    const db = database ?? (await this.db());
    const conn = await db.connect();
    const entry = { conn, cancelled: false };
    this.active.add(entry);
    const onAbort = () => {
      entry.cancelled = true;
      void this.interrupt(entry);
    };
    signal?.addEventListener("abort", onAbort);
    try {
      for (const setting of CONNECTION_SETTINGS) await conn.run(setting);
      return await work(conn, db);
    } catch (error) {
      if (entry.cancelled || signal?.aborted) throw new EngineError("The query was cancelled", "cancelled");
      if (error instanceof EngineError) throw error;
      if (isCrash(error)) {
        this.database = null;
        // The new database has nothing attached: forget the attachments, or replaying the cell views (which read the
        // datasets) would fail to bind and the views would be lost.
        this.datasetFiles.forgetAttachments();
        await db.terminate().catch(() => undefined);
        throw new EngineError(`The engine stopped (${messageOf(error)}); it restarts on the next query`, "crashed");
      }
      throw describe(error);
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.active.delete(entry);
      await conn.close().catch(() => undefined);
    }
  }

  /** cancelSent first; if the work is still running after the grace period, the database is torn down. */
  private async interrupt(entry: { conn: ConnectionAdapter }): Promise<void> {
    await entry.conn.cancel().catch(() => undefined);
    setTimeout(() => {
      if (this.active.has(entry as never) && this.database) void this.restart();
    }, this.cancelGraceMs).unref?.();
  }

  async query(sql: string, params?: Params, options: QueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    const { body, tokens } = singleStatementOrError(sql, await this.tokens(sql));
    const bound = bindParameters(body, tokens, params);
    const describe = (e: unknown) => toEngineError(relocate(parseDuckDBError(e, bound.sql), bound.toSource));
    const first = await this.withConnection(
      async (conn, db) => {
        await this.datasetFiles.ensureAttached(conn, db, tokens);
        const batches = await conn.stream(bound.sql, bound.values);
        let columns: Column[] = [];
        const rows: Row[] = [];
        let seen = 0;
        for await (const batch of batches as AsyncIterable<RecordBatch>) {
          if (options.signal?.aborted) throw new EngineError("The query was cancelled", "cancelled");
          if (columns.length === 0) columns = columnsOf(batch.schema);
          if (rows.length < maxRows) rows.push(...rowsOf(batch, maxRows - rows.length));
          seen += batch.numRows;
          if (seen > maxRows) return { columns, rows, complete: false, seen };
        }
        return { columns, rows, complete: true, seen };
      },
      options.signal,
      describe,
    );
    let totalRows = first.seen;
    if (!first.complete) totalRows = await this.countRows(bound.sql, bound.values, tokens, options.signal, describe);
    return {
      columns: first.columns,
      rows: first.rows,
      totalRows,
      truncated: totalRows > first.rows.length,
      elapsedMs: performance.now() - started,
    };
  }

  /** Counting is a second query so a 10M-row scan is never pulled into the tab just to learn its size. */
  private countRows(
    sql: string,
    values: unknown[],
    tokens: Token[],
    signal: AbortSignal | undefined,
    describe: (e: unknown) => EngineError,
  ) {
    return this.withConnection(
      async (conn, db) => {
        await this.datasetFiles.ensureAttached(conn, db, tokens);
        let n = 0;
        for await (const batch of await conn.stream(`SELECT count(*) AS n FROM (\n${sql}\n)`, values))
          n += Number(batch.getChildAt(0)?.get(0) ?? 0);
        return n;
      },
      signal,
      describe,
    );
  }

  /** The full result, batch by batch, for export: the connection stays open while the caller consumes. */
  async *stream(
    sql: string,
    params?: Params,
    options: { signal?: AbortSignal } = {},
  ): AsyncIterable<{ columns: Column[]; rows: Row[]; arrow?: RecordBatch }> {
    const { body, tokens } = singleStatementOrError(sql, await this.tokens(sql));
    const bound = bindParameters(body, tokens, params);
    const describe = (e: unknown) => toEngineError(relocate(parseDuckDBError(e, bound.sql), bound.toSource));
    const db = await this.db();
    const conn = await db.connect();
    const entry = { conn, cancelled: false };
    this.active.add(entry);
    try {
      let batches: AsyncIterable<RecordBatch>;
      try {
        for (const setting of CONNECTION_SETTINGS) await conn.run(setting);
        await this.datasetFiles.ensureAttached(conn, db, tokens);
        batches = await conn.stream(bound.sql, bound.values);
      } catch (error) {
        throw error instanceof EngineError ? error : describe(error);
      }
      for await (const batch of batches) {
        if (entry.cancelled || options.signal?.aborted) throw new EngineError("The export was cancelled", "cancelled");
        // Row objects are built only if asked for: the CSV exporter reads the Arrow vectors column by column instead.
        let rows: Row[] | undefined;
        yield {
          columns: columnsOf(batch.schema),
          arrow: batch,
          get rows() {
            rows ??= rowsOf(batch);
            return rows;
          },
        };
      }
    } finally {
      this.active.delete(entry);
      await conn.close().catch(() => undefined);
    }
  }

  async defineView(
    name: string,
    sql: string,
    params?: Params,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ kind: DefinitionKind }> {
    const kind = await this.define(name, sql, params, options.signal);
    this.definitions.delete(name.toLowerCase());
    this.definitions.set(name.toLowerCase(), { name, sql, params });
    return { kind };
  }

  private async define(
    name: string,
    sql: string,
    params: Params | undefined,
    signal?: AbortSignal,
    db?: DatabaseAdapter,
  ): Promise<DefinitionKind> {
    const raw = toTokens(sql, await (db ?? (await this.db())).tokenize(sql));
    const { body, tokens } = singleStatementOrError(sql, raw);
    // DuckDB cannot prepare CREATE VIEW with parameters, and values are never spliced: a cell with parameters is
    // materialized as a table instead (see kernel/README.md).
    const kind: DefinitionKind = findParameters(tokens).length > 0 ? "table" : "view";
    const bound = bindParameters(body, tokens, params);
    const target = quoteIdentifier(name);
    const prefix = `CREATE OR REPLACE ${kind === "view" ? "VIEW" : "TABLE"} ${target} AS `;
    const statement = prefix + bound.sql;
    const describe = (e: unknown) =>
      toEngineError(
        relocate(
          parseDuckDBError(e, statement),
          (o) => (o < prefix.length ? undefined : bound.toSource(o - prefix.length)) as number,
        ),
      );
    await this.withConnection(
      async (conn, database) => {
        await this.datasetFiles.ensureAttached(conn, database, tokens);
        await dropQuietly(conn, kind === "view" ? "TABLE" : "VIEW", target);
        if (kind === "view") await conn.run(statement);
        else await conn.runPrepared(statement, bound.values);
      },
      signal,
      describe,
      db,
    );
    return kind;
  }

  async dropView(name: string): Promise<void> {
    this.definitions.delete(name.toLowerCase());
    if (!this.database) return;
    await this.withConnection(
      async (conn) => {
        await dropQuietly(conn, "VIEW", quoteIdentifier(name));
        await dropQuietly(conn, "TABLE", quoteIdentifier(name));
      },
      undefined,
      (e) => toEngineError(parseDuckDBError(e, "")),
    );
  }

  async attach(slug: string, url: string): Promise<void> {
    const { mustDetach } = this.datasetFiles.register(slug, url);
    if (mustDetach && this.database) {
      const key = quoteIdentifier(slug.toLowerCase());
      await this.withConnection(
        (conn) => conn.run(`DETACH DATABASE IF EXISTS ${key}`),
        undefined,
        (e) => toEngineError(parseDuckDBError(e, "")),
      );
    }
  }

  datasets(): string[] {
    return this.datasetFiles.slugs();
  }

  async parseTables(sql: string): Promise<TableRef[]> {
    return (await this.analyze(sql)).tables;
  }

  async analyze(sql: string): Promise<SqlAnalysis> {
    const { body, tokens } = singleStatementOrError(sql, await this.tokens(sql));
    const parameters = parameterNames(tokens);
    const forNames = sqlForNameExtraction(body, tokens);
    const tables = await this.withConnection(
      async (conn, db) => {
        await this.datasetFiles.ensureAttached(conn, db, tokens);
        // getTableNames binds the query, and binding a view expands it: `FROM cell1` would answer with the tables inside
        // cell1. Resolving unqualified names in an empty catalog keeps cell views out of reach (they are then reported
        // by name, as references not yet defined are), while `slug.table` still resolves in the attached dataset.
        await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${ANALYSIS_CATALOG}`);
        await conn.run(`USE ${ANALYSIS_CATALOG}`);
        try {
          return qualifyNames(await conn.getTableNames(forNames), tokens);
        } catch (error) {
          const parsed = parseDuckDBError(error, forNames);
          if (!parsed.message.startsWith("Parser")) return scanTableRefs(tokens);
          // Positions must refer to the user's text: ask again with it (a syntax error comes before any binding).
          try {
            await conn.getTableNames(body);
          } catch (original) {
            throw toEngineError(parseDuckDBError(original, body));
          }
          throw new EngineError(parsed.message, "sql");
        }
      },
      undefined,
      (e) => toEngineError(parseDuckDBError(e, body)),
    );
    return { tables, parameters };
  }

  async cancel(): Promise<void> {
    for (const entry of this.active) {
      entry.cancelled = true;
      void this.interrupt(entry);
    }
  }

  async restart(): Promise<void> {
    const current = this.database;
    this.database = null;
    this.datasetFiles.forgetAttachments();
    for (const entry of this.active) entry.cancelled = true;
    if (current) await (await current.catch(() => null))?.terminate().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.restart();
    this.closed = true;
  }

  /** Definitions depend on each other in any order: replay until a pass makes no progress. */
  private async replayDefinitions(db: DatabaseAdapter): Promise<void> {
    let pending = [...this.definitions.values()];
    while (pending.length > 0) {
      const failed: typeof pending = [];
      for (const d of pending) {
        try {
          await this.define(d.name, d.sql, d.params, undefined, db);
        } catch {
          failed.push(d);
        }
      }
      if (failed.length === pending.length) break;
      pending = failed;
    }
  }
}
