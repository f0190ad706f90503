/**
 * The page's execution: a BrowserEngine (DuckDB-WASM in a worker) and a Scheduler, both created on the first run — the
 * kernel code and the ~35 MB wasm are only fetched then. Datasets the user may read are registered under their slugs
 * (the engine ATTACHes one the first time SQL mentions `slug.`).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type {
  CellRun,
  Engine,
  EngineStatus,
  NotebookGraph,
  ParamValue,
  RunMode,
  Scheduler,
  SchedulerCell,
  SqlAnalysis,
} from "../../../kernel/index.ts";

export interface KernelDataset {
  slug: string;
  /** `/datasets/:slug/v/:version.duckdb` of the current version. */
  url: string;
}

export interface Kernel {
  engineStatus: EngineStatus;
  engineDetail: string | null;
  runs: Record<string, CellRun>;
  runCell(id: string): void;
  runCellAndBelow(id: string): void;
  runAll(): void;
  stop(): void;
  /** Whether something is queued or running. */
  busy: boolean;
  /** Input values bound to `$name` parameters: cells using a changed one re-run (stored until the engine starts). */
  setParameters(params: Record<string, ParamValue>): void;
  /** Runs `action` on the started engine; null when nothing has run yet (no engine, no results to read). */
  withEngine<T>(action: (engine: Engine, graph: NotebookGraph | null) => Promise<T>): Promise<T | null>;
  /** The tables and `$name` parameters of `sql` by DuckDB's own parser (starts the engine if it has not started). */
  analyze(sql: string): Promise<SqlAnalysis>;
}

interface Started {
  scheduler: Scheduler;
  engine: Engine;
  close(): Promise<void>;
}

/**
 * The kernel's code and DuckDB's bundles, fetched on the first run. Null in the server build, so that build neither
 * bundles the kernel nor copies the ~75 MB of wasm it never serves.
 */
const loadKernel = import.meta.env.SSR
  ? null
  : () => Promise.all([import("../../../kernel/index.ts"), import("./engine-bundles.ts")]);

/** Rows kept per result for display; the full result stays in the engine for export. */
export const DISPLAY_ROWS = 10_000;

export interface KernelOptions {
  datasets: KernelDataset[];
  /** The cells as last rendered: a new array after every change, which is synced to the scheduler. */
  cells: readonly unknown[];
  /** The cells read fresh from the document (a run right after a keystroke must see that keystroke). */
  getCells: () => SchedulerCell[];
  mode: RunMode;
}

export function useKernel(options: KernelOptions): Kernel {
  const [engineStatus, setEngineStatus] = useState<EngineStatus>("idle");
  const [engineDetail, setEngineDetail] = useState<string | null>(null);
  const [runs, setRuns] = useState<Record<string, CellRun>>({});
  const started = useRef<Promise<Started> | null>(null);
  const latest = useRef(options);
  latest.current = options;
  // setCells calls are queued so the scheduler always sees the cells in the order they changed.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const parameters = useRef<Record<string, ParamValue>>({});

  const sync = useCallback((): Promise<void> => {
    const next = queue.current.then(async () => {
      if (!started.current) return;
      const { scheduler } = await started.current;
      scheduler.setMode(latest.current.mode);
      await scheduler.setCells(latest.current.getCells());
    });
    queue.current = next.catch(() => undefined);
    return next;
  }, []);

  const start = useCallback((): Promise<Started> => {
    started.current ??= (async () => {
      if (!loadKernel) throw new Error("the query engine runs in the browser only");
      const [{ BrowserEngine, Scheduler: SchedulerClass }, { engineBundles }] = await loadKernel();
      const engine = new BrowserEngine(engineBundles(), {
        onStatus: (status, detail) => {
          setEngineStatus(status);
          setEngineDetail(detail ?? null);
        },
      });
      for (const d of latest.current.datasets) await engine.attach(d.slug, new URL(d.url, window.location.href).href);
      const scheduler = new SchedulerClass({
        engine,
        mode: latest.current.mode,
        maxRows: DISPLAY_ROWS,
        onChange: (id, run) => setRuns((all) => ({ ...all, [id]: run })),
      });
      // Before any cell has been analysed nothing re-runs: the values are just stored for the first run.
      await scheduler.setParameters(parameters.current);
      return { scheduler, engine, close: () => engine.close() };
    })();
    started.current.catch(() => {
      started.current = null; // a failed start (network) is retried by the next run
    });
    return started.current;
  }, []);

  // Edits, renames, deletions (local or a collaborator's) reach the scheduler: changed cells go stale.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the new cells array and mode are the triggers (read via `latest`)
  useEffect(() => {
    void sync();
  }, [options.cells, options.mode, sync]);

  useEffect(
    () => () => {
      void started.current?.then((s) => s.close()).catch(() => undefined);
    },
    [],
  );

  const act = useCallback(
    (action: (scheduler: Scheduler) => Promise<void>) => {
      void (async () => {
        try {
          const { scheduler } = await start();
          await sync();
          await action(scheduler);
        } catch (error) {
          setEngineStatus("failed");
          setEngineDetail(error instanceof Error ? error.message : String(error));
        }
      })();
    },
    [start, sync],
  );

  const busy = Object.values(runs).some((r) => r.state.status === "queued" || r.state.status === "running");
  return {
    engineStatus,
    engineDetail,
    runs,
    busy,
    runCell: (id) => act((s) => s.runCell(id)),
    runCellAndBelow: (id) => act((s) => s.runCellAndBelow(id)),
    runAll: () => act((s) => s.runAll()),
    setParameters: useCallback((params: Record<string, ParamValue>) => {
      parameters.current = params;
      if (!started.current) return;
      const next = queue.current.then(async () => {
        const running = await started.current;
        // Not awaited: the re-run must not hold back the queue of cell edits behind it.
        running?.scheduler.setParameters(parameters.current).catch(() => undefined);
      });
      queue.current = next.catch(() => undefined);
    }, []),
    withEngine: useCallback(async <T>(action: (engine: Engine, graph: NotebookGraph | null) => Promise<T>) => {
      if (!started.current) return null;
      const running = await started.current;
      return action(running.engine, running.scheduler.graph());
    }, []),
    analyze: useCallback(async (sql: string) => (await start()).engine.analyze(sql), [start]),
    stop: () => {
      void started.current?.then((s) => s.scheduler.stop());
    },
  };
}
