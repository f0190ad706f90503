import { useTranslation } from "react-i18next";
import type { CollabStatus } from "../../../collab/index.ts";
import type { EngineStatus } from "../../../kernel/index.ts";

export interface NotebookToolbarProps {
  status: CollabStatus;
  engineStatus: EngineStatus;
  engineDetail: string | null;
  busy: boolean;
  automatic: boolean;
  canEdit: boolean;
  datasets: { slug: string; title: string }[];
  onRunAll: () => void;
  onStop: () => void;
  onAutomaticChange: (automatic: boolean) => void;
  /** Editors: "Insert from library". */
  library?: React.ReactNode;
  /** Editors: adds a chart cell at the end. */
  onAddChart?: () => void;
}

/** Save state, engine state, run all / stop, and the notebook's automatic re-run switch. */
export function NotebookToolbar(p: NotebookToolbarProps) {
  const { t } = useTranslation();
  const saveLabels: Record<CollabStatus, string> = {
    saved: t("notebook.page.status.saved"),
    saving: t("notebook.page.status.saving"),
    offline: t("notebook.page.status.offline"),
    reconnecting: t("notebook.page.status.reconnecting"),
  };
  const engineLabels: Record<EngineStatus, string> = {
    idle: t("notebook.page.engine.idle"),
    loading: t("notebook.page.engine.loading"),
    ready: t("notebook.page.engine.ready"),
    failed: t("notebook.page.engine.failed", { detail: p.engineDetail ?? "" }),
  };
  return (
    <div className="nb-toolbar" role="toolbar" aria-label={t("notebook.page.toolbar")}>
      <button type="button" className="button primary" onClick={p.onRunAll}>
        {t("notebook.page.runAll")}
      </button>
      <button type="button" className="button" onClick={p.onStop} disabled={!p.busy}>
        {t("notebook.page.stop")}
      </button>
      <label className="choice">
        <input
          type="checkbox"
          checked={p.automatic}
          disabled={!p.canEdit}
          onChange={(e) => p.onAutomaticChange(e.target.checked)}
        />
        {t("notebook.page.automatic")}
      </label>
      {p.library}
      {p.onAddChart && (
        <button type="button" className="button" onClick={p.onAddChart}>
          {t("notebook.page.addChartToolbar")}
        </button>
      )}
      <span className="nb-toolbar-spacer" />
      {p.datasets.length > 0 && (
        <span className="muted nb-datasets" title={p.datasets.map((d) => `${d.slug} — ${d.title}`).join("\n")}>
          {t("notebook.page.datasets", { slugs: p.datasets.map((d) => d.slug).join(", ") })}
        </span>
      )}
      <output className={`nb-engine nb-engine-${p.engineStatus}`} aria-live="polite">
        {engineLabels[p.engineStatus]}
      </output>
      <output className={`nb-save nb-save-${p.status}`} aria-live="polite" data-status={p.status}>
        {saveLabels[p.status]}
      </output>
    </div>
  );
}
