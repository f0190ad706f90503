import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { exportNotebookCell } from "~/exports/notebook-export.server";

/**
 * POST /notebooks/:id/export — a cell's full result as Parquet or CSV, re-run on native DuckDB over the dataset
 * version files with the same bound parameters; streamed, audited. Body: {cell, sql, params, datasets, format}.
 */
export function action({ request, params, context }: ActionFunctionArgs) {
  return exportNotebookCell(request, context, params.id ?? "");
}

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return exportNotebookCell(request, context, params.id ?? "");
}
