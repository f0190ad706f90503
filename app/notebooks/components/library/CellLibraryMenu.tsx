/** The "Library" menu of an ordinary SQL cell: save the cell to the query library (and then link it). */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SaveToLibraryDialog, type SaveToLibraryDialogProps } from "./SaveToLibraryDialog.tsx";

export type CellLibraryMenuProps = Omit<SaveToLibraryDialogProps, "onClose" | "cell"> & {
  /** Read when the dialog opens (the text as it is then). */
  cell: () => { name: string; source: string };
};

export function CellLibraryMenu(p: CellLibraryMenuProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<{ name: string; source: string } | null>(null);
  return (
    <div className="nb-export">
      <details className="nb-export-menu">
        <summary className="button nb-small">{t("notebook.library.menu")}</summary>
        <div role="menu" aria-label={t("notebook.library.menu")}>
          <button
            type="button"
            role="menuitem"
            onClick={(e) => {
              const details = e.currentTarget.closest("details");
              if (details) details.open = false;
              setOpen(p.cell());
            }}
          >
            {t("notebook.library.save.open")}
          </button>
        </div>
      </details>
      {open && (
        <SaveToLibraryDialog
          cell={open}
          inputs={p.inputs}
          analyze={p.analyze}
          onReplace={p.onReplace}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
