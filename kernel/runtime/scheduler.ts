/**
 * Runs a notebook's SQL cells on an engine. Each cell becomes `CREATE OR REPLACE VIEW <name> AS <sql>` (a table when it
 * has parameters, since DuckDB cannot prepare a view with parameters) so later cells select from it by name.
 * Runs are serialized: a new run cancels the one in progress and waits for it before touching the engine.
 */
import { EngineError } from "../engine/errors.ts";
import { quoteIdentifier } from "../engine/sql-tokens.ts";
import type { Engine, ParamValue, QueryResult } from "../engine/types.ts";
import { type AnalyzedCell, buildNotebookGraph, type CellProblem, type NotebookGraph } from "../graph/notebook-graph.ts";
import { ancestors, descendants, inRunOrder } from "../graph/topology.ts";
import { CellAnalysisCache } from "./cell-analysis.ts";
import { type CellError, type CellEvent, type CellState, initialCellState, transitionCell } from "./transitions.ts";

export interface SchedulerCell {
  id: string;
  name: string;
  kind: string; // only "sql" cells run here
  source: string;
  /**
   * Why this cell must not run (a linked library query the reader may not use, or not fetched yet): it fails with this
   * message instead, and the cells reading it fail naming it, rather than with DuckDB's "table does not exist".
   */
  unavailable?: string;
}

export type RunMode = "automatic" | "manual";

export interface CellRun {
  state: CellState;
  /** Result of the last successful run (kept while stale). */
  result: QueryResult | null;
  problems: CellProblem[];
}

export interface SchedulerOptions {
  engine: Engine;
  mode?: RunMode;
  maxRows?: number;
  onChange?: (cellId: string, run: CellRun) => void;
}

export class Scheduler {
  private cells: SchedulerCell[] = [];
  private readonly runs = new Map<string, CellRun>();
  private parameters: Record<string, ParamValue> = {};
  private mode: RunMode;
  private readonly analysis: CellAnalysisCache;
  private analyzed = new Map<string, { parameters: string[] }>();
  private lastGraph: NotebookGraph | null = null;
  private runCounter = 0;
  private current: { controller: AbortController; done: Promise<void> } | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.mode = options.mode ?? "automatic";
    this.analysis = new CellAnalysisCache(options.engine);
  }

  get runMode(): RunMode {
    return this.mode;
  }

  setMode(mode: RunMode): void {
    this.mode = mode;
  }

  run(id: string): CellRun {
    return this.runs.get(id) ?? { state: initialCellState, result: null, problems: [] };
  }

  graph(): NotebookGraph | null {
    return this.lastGraph;
  }

  /** Replace the notebook's cells; edited, renamed and deleted cells go stale or are dropped from the engine. */
  async setCells(cells: readonly SchedulerCell[]): Promise<void> {
    const next = cells.filter((c) => c.kind === "sql");
    const before = new Map(this.cells.map((c) => [c.id, c]));
    this.cells = next.map((c) => ({ ...c }));
    const drops: string[] = [];
    for (const cell of next) {
      const old = before.get(cell.id);
      before.delete(cell.id);
      if (!old) continue;
      if (old.name !== cell.name) drops.push(old.name);
      if (old.source !== cell.source || old.name !== cell.name) this.dispatch(cell.id, { type: "source-edited" });
    }
    for (const removed of before.values()) {
      drops.push(removed.name);
      this.runs.delete(removed.id);
    }
    for (const name of drops)
      if (!next.some((c) => c.name.toLowerCase() === name.toLowerCase())) await this.options.engine.dropView(name);
  }

  /** New input values: cells that use a changed one (and their descendants) re-run, or go stale in manual mode. */
  async setParameters(values: Record<string, ParamValue>): Promise<void> {
    const changed = new Set(
      Object.keys({ ...this.parameters, ...values }).filter((k) => !sameValue(this.parameters[k], values[k])),
    );
    this.parameters = { ...values };
    const affected = this.cells.filter((c) => this.analyzed.get(c.id)?.parameters.some((p) => changed.has(p))).map((c) => c.id);
    if (affected.length === 0) return;
    if (this.mode === "automatic") return this.execute(affected, true);
    for (const id of affected) this.dispatch(id, { type: "upstream-changed" });
    await this.markDescendantsStale(affected);
  }

  /** Run one cell (plus stale ancestors it needs); in automatic mode its descendants follow. */
  runCell(id: string): Promise<void> {
    return this.execute([id], this.mode === "automatic");
  }

  runAll(): Promise<void> {
    return this.execute(
      this.cells.map((c) => c.id),
      false,
    );
  }

  runCellAndBelow(id: string): Promise<void> {
    const index = this.cells.findIndex((c) => c.id === id);
    return this.execute(index < 0 ? [] : this.cells.slice(index).map((c) => c.id), this.mode === "automatic");
  }

  async stop(): Promise<void> {
    const running = this.current;
    if (!running) return;
    running.controller.abort();
    await this.options.engine.cancel();
    await running.done;
  }

  private execute(targets: string[], withDescendants: boolean): Promise<void> {
    const previous = this.current;
    previous?.controller.abort();
    const controller = new AbortController();
    const done = (async () => {
      if (previous) {
        await this.options.engine.cancel();
        await previous.done.catch(() => undefined);
      }
      await this.plan(targets, withDescendants, controller.signal);
    })();
    this.current = { controller, done };
    return done.finally(() => {
      if (this.current?.done === done) this.current = null;
    });
  }

  private async analyzeAll(): Promise<NotebookGraph> {
    const analyzed: AnalyzedCell[] = [];
    for (const cell of this.cells) {
      const result = await this.analysis.analyze(cell.source);
      if ("error" in result) {
        analyzed.push({ id: cell.id, name: cell.name, tables: { error: result.error } });
        this.analyzed.set(cell.id, { parameters: [] });
      } else {
        analyzed.push({ id: cell.id, name: cell.name, tables: result.tables });
        this.analyzed.set(cell.id, { parameters: result.parameters });
      }
    }
    this.lastGraph = buildNotebookGraph(analyzed, this.options.engine.datasets());
    for (const cell of this.cells) this.update(cell.id, { problems: this.lastGraph.problems.get(cell.id) ?? [] });
    return this.lastGraph;
  }

  private async plan(targets: string[], withDescendants: boolean, signal: AbortSignal): Promise<void> {
    const graph = await this.analyzeAll();
    const wanted = new Set(targets.filter((id) => graph.nodes.includes(id)));
    for (const id of [...wanted]) {
      for (const up of ancestors(graph, id)) if (this.run(up).state.status !== "done") wanted.add(up);
      if (withDescendants) for (const down of descendants(graph, id)) wanted.add(down);
    }
    if (!withDescendants)
      await this.markDescendantsStale(
        [...wanted].filter((id) => targets.includes(id)),
        wanted,
      );
    const ordered = inRunOrder(graph, wanted);
    const unordered = [...wanted].filter((id) => !ordered.includes(id)); // on or below a cycle
    const runId = ++this.runCounter;
    for (const id of [...ordered, ...unordered]) this.dispatch(id, { type: "run-requested", runId });

    const failed = new Set<string>();
    for (const id of unordered) {
      const cycle = graph.problems.get(id)?.find((p) => p.kind === "cycle");
      failed.add(id);
      this.dispatch(id, {
        type: "failed",
        runId,
        error: { message: cycle?.message ?? "This cell reads a cell that is part of a cycle" },
      });
    }
    for (const id of ordered) {
      if (signal.aborted) {
        this.dispatch(id, { type: "cancelled", runId });
        continue;
      }
      const cell = this.cells.find((c) => c.id === id) as SchedulerCell;
      const problem: CellProblem | undefined = cell.unavailable
        ? { kind: "upstream", message: cell.unavailable }
        : graph.problems.get(id)?.[0];
      const brokenUpstream = (graph.dependsOn.get(id) ?? []).find(
        (dep) => failed.has(dep) || this.run(dep).state.status === "error",
      );
      if (problem || brokenUpstream) {
        failed.add(id);
        const upstreamName = this.cells.find((c) => c.id === brokenUpstream)?.name;
        const error: CellError = problem
          ? withPosition(problem.message, problem.position)
          : { message: `Upstream cell \`${upstreamName}\` failed` };
        this.dispatch(id, { type: "failed", runId, error });
        continue;
      }
      if (!(await this.runOne(cell, runId, signal))) failed.add(id);
    }
  }

  /** Defines the cell's view and reads its first rows; true on success. */
  private async runOne(cell: SchedulerCell, runId: number, signal: AbortSignal): Promise<boolean> {
    const { engine } = this.options;
    this.dispatch(cell.id, { type: "started", runId });
    const started = performance.now();
    try {
      await engine.defineView(cell.name, cell.source, this.parameters, { signal });
      const result = await engine.query(`SELECT * FROM ${quoteIdentifier(cell.name)}`, undefined, {
        signal,
        maxRows: this.options.maxRows,
      });
      const elapsedMs = performance.now() - started;
      this.dispatch(
        cell.id,
        { type: "succeeded", runId, elapsedMs, rowCount: result.totalRows },
        { result: { ...result, elapsedMs } },
      );
      return true;
    } catch (error) {
      if (error instanceof EngineError && error.kind === "cancelled") {
        this.dispatch(cell.id, { type: "cancelled", runId });
        return false;
      }
      // An old definition must not keep feeding later cells once its SQL is broken.
      await engine.dropView(cell.name).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      const position = error instanceof EngineError ? error.position : undefined;
      this.dispatch(cell.id, {
        type: "failed",
        runId,
        error: withPosition(message, position),
        elapsedMs: performance.now() - started,
      });
      return false;
    }
  }

  private async markDescendantsStale(ids: string[], except: Set<string> = new Set()): Promise<void> {
    const graph = this.lastGraph ?? (await this.analyzeAll());
    for (const id of ids)
      for (const down of descendants(graph, id)) if (!except.has(down)) this.dispatch(down, { type: "upstream-changed" });
  }

  /** `patch` is applied only if the transition is allowed (a superseded run's result is dropped with its event). */
  private dispatch(id: string, event: CellEvent, patch: Partial<CellRun> = {}): void {
    const run = this.run(id);
    const next = transitionCell(run.state, event);
    if (next !== run.state) this.update(id, { ...patch, state: next });
  }

  private update(id: string, patch: Partial<CellRun>): void {
    const next = { ...this.run(id), ...patch };
    this.runs.set(id, next);
    this.options.onChange?.(id, next);
  }
}

function withPosition(message: string, position: number | undefined): CellError {
  return position === undefined ? { message } : { message, position };
}

function sameValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  return (
    JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))
  );
}
