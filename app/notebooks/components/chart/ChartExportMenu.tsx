/**
 * A chart cell's export menu: the chart on screen as PNG or SVG, named after the notebook and the cell. Each download is
 * written to the audit log first (POST /notebooks/:id/export-log, like the SQL cells' browser exports): a refused
 * record means no file.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fileNameFor } from "../../../../kernel/exporters/file-name.ts";
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
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (format: ChartFormat, details: HTMLDetailsElement | null) => {
    if (details) details.open = false;
    const chart = chartViews.get(p.cellId);
    if (!chart) {
      setMessage({ text: t("notebook.chart.notDrawn"), error: true });
      return;
    }
    setBusy(true);
    setMessage({ text: t("notebook.export.working"), error: false });
    try {
      const { exportChart } = await import("../../../charts/render-client.ts");
      const url = await exportChart(chart.view, format);
      const fileName = fileNameFor(p.notebookTitle, p.cellName || "chart", format);
      await logChartExport(p.notebookId, { cell: p.cellName || p.cellId, format, rows: chart.rows });
      offer(url, fileName);
      setMessage({ text: t("notebook.chart.saved", { name: fileName }), error: false });
    } catch (error) {
      setMessage({
        text: t("notebook.export.failed", { message: error instanceof Error ? error.message : String(error) }),
        error: true,
      });
    } finally {
      setBusy(false);
    }
  };

  const item = (format: ChartFormat, label: string) => (
    <button type="button" role="menuitem" disabled={busy} onClick={(e) => void run(format, e.currentTarget.closest("details"))}>
      {label}
    </button>
  );

  return (
    <div className="nb-export">
      <details className="nb-export-menu">
        <summary className="button nb-small">{t("notebook.export.menu")}</summary>
        <div role="menu" aria-label={t("notebook.export.menu")}>
          {item("png", t("notebook.chart.downloadPng"))}
          {item("svg", t("notebook.chart.downloadSvg"))}
        </div>
      </details>
      {message && (
        <output className={message.error ? "nb-export-message nb-input-problem" : "nb-export-message muted"} aria-live="polite">
          {message.text}
        </output>
      )}
    </div>
  );
}
