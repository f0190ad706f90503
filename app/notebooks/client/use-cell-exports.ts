/**
 * What a SQL cell's export menu does (see cell-export.ts for how each format is made and audited), and the options
 * of select inputs read from a SQL cell's column (its distinct values, from the engine).
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CellRun, ParamValue, SchedulerCell } from "../../../kernel/index.ts";
import type { InputDefinition } from "../../../kernel/parameters/index.ts";
import type { ExportAction } from "../components/inputs/CellExportMenu.tsx";
import {
  downloadFromServer,
  exportInBrowser,
  exportRoute,
  logExport,
  resultAsTsv,
  saveFile,
  sqlWithParameterComment,
} from "./cell-export.ts";
import type { Kernel } from "./use-kernel.ts";

export interface ExportContext {
  notebookId: string;
  notebookTitle: string;
  kernel: Kernel;
  getCells: () => SchedulerCell[];
  bindings: Record<string, ParamValue>;
  datasetSlugs: readonly string[];
}

async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
}

export function useCellExports(context: ExportContext) {
  const { t } = useTranslation();

  /** Why a cell's result cannot be exported now, or null. */
  const unavailable = useCallback(
    (run: CellRun | undefined): string | null => {
      const status = run?.state.status ?? "idle";
      if (status === "error") return t("notebook.export.errored");
      if (status === "queued" || status === "running") return t("notebook.export.running");
      if (status !== "done" || !run?.result) return t("notebook.export.notRun");
      if (run.result.totalRows === 0) return t("notebook.export.empty");
      return null;
    },
    [t],
  );

  const act = useCallback(
    async (cell: { id: string; name: string }, action: ExportAction): Promise<string> => {
      const { kernel, notebookId, notebookTitle, bindings } = context;
      const cells = context.getCells();
      const source = cells.find((c) => c.id === cell.id)?.source ?? "";
      if (action === "sql") {
        const used = (await kernel.withEngine((engine) => engine.analyze(source)))?.parameters ?? [];
        await copyText(sqlWithParameterComment(source, used, bindings));
        return t("notebook.export.copiedSql");
      }
      const done = await kernel.withEngine(async (engine) => {
        if (action === "tsv") {
          const copied = await resultAsTsv(engine, cell.name);
          await logExport(notebookId, { cell: cell.name, format: "tsv", rows: copied.rows });
          await copyText(copied.text);
          return copied.cut
            ? t("notebook.export.copiedTsvCut", { count: copied.rows })
            : t("notebook.export.copiedTsv", { count: copied.rows });
        }
        // Large results (and Parquet) stream from the server; the others are written here from the engine's rows.
        const totalRows = kernel.runs[cell.id]?.result?.totalRows ?? 0;
        if (action === "parquet" || exportRoute(action, totalRows) === "server") {
          const file = await downloadFromServer(notebookId, { cellId: cell.id, format: action, params: bindings });
          return t("notebook.export.saved", { name: file.fileName, count: totalRows });
        }
        const file = await exportInBrowser(engine, cell.name, action, notebookTitle);
        if (file.rows === 0) return t("notebook.export.empty");
        // Audited before the file is offered: a refused record means no file.
        await logExport(notebookId, { cell: cell.name, format: action, rows: file.rows });
        saveFile(file);
        return t("notebook.export.saved", { name: file.fileName, count: file.rows });
      });
      return done ?? t("notebook.export.notRun");
    },
    [context, t],
  );

  return { unavailable, act };
}

/**
 * Options of select inputs whose options come from a SQL cell's column: the column's distinct values (as text, in
 * order), read again whenever that cell's result changes. Null until the cell has run.
 */
export function useColumnOptions(
  definitions: readonly InputDefinition[],
  cells: readonly { id: string; name: string; kind: string }[],
  runs: Record<string, CellRun>,
  kernel: Kernel,
): Record<string, string[]> {
  const [options, setOptions] = useState<Record<string, string[]>>({});
  const sources = definitions.flatMap((def) =>
    (def.type === "select" || def.type === "multi-select") && !def.options && def.optionsFrom?.column
      ? [{ input: def.name, ...def.optionsFrom }]
      : [],
  );
  const key = JSON.stringify(
    sources.map((s) => {
      const cell = cells.find((c) => c.kind === "sql" && c.name === s.cell);
      const run = cell ? runs[cell.id] : undefined;
      // The result object changes with every successful run: its identity is the cue to read again.
      return [s.input, s.cell, s.column, run?.state.status === "done" ? run.state.runId : null];
    }),
  );
  const { withEngine } = kernel;
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const next: Record<string, string[]> = {};
      for (const [input, cellName, column, runId] of JSON.parse(key) as [string, string, string, number | null][]) {
        if (runId === null) continue;
        const values = await withEngine(async (engine) => {
          const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
          const result = await engine.query(
            `SELECT DISTINCT CAST(${q(column)} AS VARCHAR) AS v FROM ${q(cellName)} WHERE ${q(column)} IS NOT NULL ORDER BY 1 LIMIT 10000`,
          );
          return result.rows.map((r) => String(r.v));
        }).catch(() => null);
        if (values) next[input] = values;
      }
      if (!cancelled) setOptions(next);
    })();
    return () => {
      cancelled = true;
    };
  }, [key, withEngine]);
  return options;
}
