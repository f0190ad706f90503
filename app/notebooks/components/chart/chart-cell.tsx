/**
 * What a chart cell puts into the notebook cell frame: the editor (input), the chart (output) and the export menu,
 * plus the source cell whose run status the frame shows and whose "run" the cell's run button triggers. A plain
 * function (no hooks) so NotebookPage can call it while listing cells; the hooks live in the components it returns.
 */
import type * as Y from "yjs";
import type { CellData } from "../../../../collab/index.ts";
import type { CellRun } from "../../../../kernel/index.ts";
import { readChartConfig, sourceCellOf, sourceState } from "../../client/chart-config.ts";
import type { Kernel } from "../../client/use-kernel.ts";
import { ChartEditor } from "./ChartEditor.tsx";
import { ChartExportMenu } from "./ChartExportMenu.tsx";
import { ChartView } from "./ChartView.tsx";
import "./chart-cell.css";

export interface ChartCellContext {
  doc: Y.Doc;
  cell: CellData;
  cells: readonly CellData[];
  kernel: Kernel;
  canEdit: boolean;
  locale: string;
  notebook: { id: string; title: string };
}

export interface ChartCellParts {
  editor: React.ReactNode;
  view: React.ReactNode;
  menu: React.ReactNode;
  /** The source cell's id (its run status is the chart's), or null. */
  sourceId: string | null;
}

export function chartCellParts(c: ChartCellContext): ChartCellParts {
  const config = readChartConfig(c.cell.config);
  const source = sourceCellOf(config, c.cells);
  const run: CellRun | undefined = source ? c.kernel.runs[source.id] : undefined;
  const state = sourceState(config, source, run);
  const columnsOf = (id: string) => c.kernel.runs[id]?.result?.columns ?? null;
  return {
    sourceId: source?.id ?? null,
    editor: (
      <ChartEditor
        doc={c.doc}
        cell={c.cell}
        cells={c.cells}
        config={config}
        columns={source ? columnsOf(source.id) : null}
        columnsOf={columnsOf}
        canEdit={c.canEdit}
      />
    ),
    view: (
      <ChartView
        cellId={c.cell.id}
        config={config}
        state={state}
        run={run}
        withEngine={c.kernel.withEngine}
        locale={c.locale}
        onRunSource={source ? () => c.kernel.runCell(source.id) : undefined}
      />
    ),
    menu: (
      <ChartExportMenu notebookId={c.notebook.id} notebookTitle={c.notebook.title} cellId={c.cell.id} cellName={c.cell.name} />
    ),
  };
}
