/**
 * A chart cell's export menu: the chart on screen as PNG or SVG, named after the notebook and the cell. Each download is
 * written to the audit log first (POST /notebooks/:id/export-log, like the SQL cells' browser exports): a refused
 * record means no file.
 */
import { useTranslation } from "react-i18next";
import { fileNameFor } from "../../../../kernel/exporters/file-name.ts";
import { ExportMenu, type ExportOutcome, useExportMenu } from "../ExportMenu.tsx";
import { chartViews } from "./chart-views.ts";

export type ChartFormat = "png" | "svg";

export interface ChartExportMenuProps {
  notebookId: string;
  notebookTitle: string;
  cellId: string;
  cellName: string;
}

async function logChartExport(notebookId: string, record: { cell: string; format: ChartFormat; rows: number }) {
  const response = await fetch(`/notebooks/${encodeURIComponent(notebookId)}/export-log`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(record),
  });
  if (!response.ok) throw new Error((await response.text()) || `the server answered ${response.status}`);
}

function offer(url: string, fileName: string) {
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  if (url.startsWith("blob:")) setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ChartExportMenu(p: ChartExportMenuProps) {
  const { t } = useTranslation();
  const { message, item } = useExportMenu();

  const download = async (format: ChartFormat): Promise<ExportOutcome> => {
    const chart = chartViews.get(p.cellId);
    if (!chart) return { refused: t("notebook.chart.notDrawn") };
    const { exportChart } = await import("../../../charts/render-client.ts");
    const url = await exportChart(chart.view, format);
    const fileName = fileNameFor(p.notebookTitle, p.cellName || "chart", format);
    await logChartExport(p.notebookId, { cell: p.cellName || p.cellId, format, rows: chart.rows });
    offer(url, fileName);
    return t("notebook.chart.saved", { name: fileName });
  };

  return (
    <ExportMenu message={message}>
      {item(t("notebook.chart.downloadPng"), () => download("png"))}
      {item(t("notebook.chart.downloadSvg"), () => download("svg"))}
    </ExportMenu>
  );
}
