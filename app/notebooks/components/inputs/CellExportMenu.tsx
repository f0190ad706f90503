/**
 * A SQL cell's export menu: CSV (optionally with a BOM for Excel), XLSX and JSON written in the browser from the full
 * result, Parquet written by the server, "Copy as TSV" and "Copy SQL with parameter values". An errored, not yet run
 * or empty cell says so instead of producing a file. What happened is announced under the menu.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

export type ExportAction = "csv" | "csv-bom" | "xlsx" | "json" | "parquet" | "tsv" | "sql";

export interface CellExportMenuProps {
  /** Why nothing can be exported now (already translated), or null. "sql" stays available. */
  unavailable: string | null;
  onAction: (action: ExportAction) => Promise<string>;
}

export function CellExportMenu(p: CellExportMenuProps) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [bom, setBom] = useState(false);

  const run = async (action: ExportAction, details: HTMLDetailsElement | null) => {
    if (details) details.open = false;
    if (p.unavailable && action !== "sql") {
      setMessage({ text: p.unavailable, error: true });
      return;
    }
    setBusy(true);
    setMessage({ text: t("notebook.export.working"), error: false });
    try {
      setMessage({ text: await p.onAction(action), error: false });
    } catch (error) {
      setMessage({
        text: t("notebook.export.failed", { message: error instanceof Error ? error.message : String(error) }),
        error: true,
      });
    } finally {
      setBusy(false);
    }
  };

  const item = (action: ExportAction, label: string) => (
    <button type="button" role="menuitem" disabled={busy} onClick={(e) => void run(action, e.currentTarget.closest("details"))}>
      {label}
    </button>
  );

  return (
    <div className="nb-export">
      <details className="nb-export-menu">
        <summary className="button nb-small">{t("notebook.export.menu")}</summary>
        <div role="menu" aria-label={t("notebook.export.menu")}>
          {item(bom ? "csv-bom" : "csv", t("notebook.export.csv"))}
          <label className="nb-export-option">
            <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> {t("notebook.export.bom")}
          </label>
          {item("xlsx", t("notebook.export.xlsx"))}
          {item("json", t("notebook.export.json"))}
          {item("parquet", t("notebook.export.parquet"))}
          <hr />
          {item("tsv", t("notebook.export.copyTsv"))}
          {item("sql", t("notebook.export.copySql"))}
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
