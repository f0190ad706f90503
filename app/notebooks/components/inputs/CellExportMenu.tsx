/**
 * A SQL cell's export menu: CSV (optionally with a BOM for Excel), XLSX and JSON written in the browser from the full
 * result, Parquet written by the server, "Copy as TSV" and "Copy SQL with parameter values". An errored, not yet run
 * or empty cell says so instead of producing a file. What happened is announced under the menu.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportMenu, useExportMenu } from "../ExportMenu.tsx";

export type ExportAction = "csv" | "csv-bom" | "xlsx" | "json" | "parquet" | "tsv" | "sql";

export interface CellExportMenuProps {
  /** Why nothing can be exported now (already translated), or null. "sql" stays available. */
  unavailable: string | null;
  onAction: (action: ExportAction) => Promise<string>;
}

export function CellExportMenu(p: CellExportMenuProps) {
  const { t } = useTranslation();
  const { message, item: menuItem } = useExportMenu();
  const [bom, setBom] = useState(false);

  const item = (action: ExportAction, label: string) =>
    menuItem(label, () => (p.unavailable && action !== "sql" ? { refused: p.unavailable } : p.onAction(action)));

  return (
    <ExportMenu message={message}>
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
    </ExportMenu>
  );
}
