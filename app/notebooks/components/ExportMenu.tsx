/**
 * The frame every cell's export menu shares (SQL results, charts): a disclosure menu of actions, one action at a time,
 * and an announcement under it of what happened — working, the result, a refusal, or the failure with its message.
 */
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";

/** What an action ends with: the message to announce, or why it was refused. */
export type ExportOutcome = string | { refused: string };

export function useExportMenu() {
  const { t } = useTranslation();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (details: HTMLDetailsElement | null, work: () => Promise<ExportOutcome> | ExportOutcome) => {
    if (details) details.open = false;
    setBusy(true);
    setMessage({ text: t("notebook.export.working"), error: false });
    try {
      const outcome = await work();
      setMessage(typeof outcome === "string" ? { text: outcome, error: false } : { text: outcome.refused, error: true });
    } catch (error) {
      setMessage({
        text: t("notebook.export.failed", { message: error instanceof Error ? error.message : String(error) }),
        error: true,
      });
    } finally {
      setBusy(false);
    }
  };

  /** A menu item that runs `work` (closing the menu first). */
  const item = (label: string, work: () => Promise<ExportOutcome> | ExportOutcome) => (
    <button type="button" role="menuitem" disabled={busy} onClick={(e) => void run(e.currentTarget.closest("details"), work)}>
      {label}
    </button>
  );

  return { message, item };
}

export function ExportMenu({ message, children }: { message: { text: string; error: boolean } | null; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="nb-export">
      <details className="nb-export-menu">
        <summary className="button nb-small">{t("notebook.export.menu")}</summary>
        <div role="menu" aria-label={t("notebook.export.menu")}>
          {children}
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
