/**
 * The rows a chart draws: its source cell's result. The run keeps the first 10,000 rows for display; when the result
 * holds more (up to CHART_LIMITS.resultRows) they are read again from the source cell's view in the engine, once per
 * run. A new run of the source gives new rows, which re-renders the chart.
 */
import { useEffect, useState } from "react";
import type { CellRun, Column, Engine, NotebookGraph, Row } from "../../../kernel/index.ts";
import { CHART_LIMITS } from "../../charts/limits.ts";
import type { SourceState } from "./chart-config.ts";

export type ChartRows =
  | { status: "none" }
  | { status: "loading" }
  | { status: "failed"; message: string }
  | { status: "ready"; columns: Column[]; rows: Row[] };

type WithEngine = <T>(action: (engine: Engine, graph: NotebookGraph | null) => Promise<T>) => Promise<T | null>;

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function useChartData(state: SourceState, run: CellRun | undefined, withEngine: WithEngine): ChartRows {
  const result = state.kind === "ready" ? (run?.result ?? null) : null;
  const complete = state.kind === "ready" && state.complete;
  const name = state.kind === "ready" ? state.name : "";
  const [fetched, setFetched] = useState<{ for: unknown; rows: ChartRows } | null>(null);

  useEffect(() => {
    if (!result || complete) return;
    let cancelled = false;
    setFetched({ for: result, rows: { status: "loading" } });
    withEngine((engine) => engine.query(`SELECT * FROM ${quoteName(name)}`, undefined, { maxRows: CHART_LIMITS.resultRows }))
      .then((full) => {
        if (cancelled) return;
        setFetched({
          for: result,
          rows: full
            ? { status: "ready", columns: full.columns, rows: full.rows }
            : { status: "failed", message: `the rows of \`${name}\` are no longer in the engine; run it again` },
        });
      })
      .catch((error: unknown) => {
        if (!cancelled)
          setFetched({
            for: result,
            rows: { status: "failed", message: error instanceof Error ? error.message : String(error) },
          });
      });
    return () => {
      cancelled = true;
    };
  }, [result, complete, name, withEngine]);

  if (!result) return { status: "none" };
  if (complete) return { status: "ready", columns: result.columns, rows: result.rows };
  return fetched?.for === result ? fetched.rows : { status: "loading" };
}
