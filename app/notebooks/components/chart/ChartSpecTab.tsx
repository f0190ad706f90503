/**
 * The spec tab: the chart's Vega-Lite JSON (the builder's output until edited), checked as typed against Vega-Lite's
 * schema and the security policy (app/charts/validate.ts), problems listed with their path or line and column. A spec
 * that passes is stored in the cell (`config.spec`) and replaces the builder; one that does not stays in this tab only,
 * so co-editors and reports never receive a broken or hostile spec from here. "Reset to builder" drops it.
 */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SpecProblem } from "../../../charts/limits.ts";
import { SpecProblems } from "./SpecProblems.tsx";

export interface ChartSpecTabProps {
  /** What the chart uses now: the stored spec text, or the builder's spec as formatted JSON. */
  text: string;
  /** A spec from this tab is in use (the builder is set aside). */
  edited: boolean;
  canEdit: boolean;
  onApply: (text: string) => void;
  onReset: () => void;
}

type Check = { state: "idle" | "checking" } | { state: "valid" } | { state: "invalid"; problems: SpecProblem[] };

const CHECK_DELAY_MS = 350;

export function ChartSpecTab(p: ChartSpecTabProps) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState(p.text);
  const [dirty, setDirty] = useState(false);
  const [check, setCheck] = useState<Check>({ state: "idle" });
  const latest = useRef(p);
  latest.current = p;

  // Follow the stored spec (a co-editor, an undo, a reset) unless the person is in the middle of an edit.
  useEffect(() => {
    if (!dirty) setDraft(p.text);
  }, [p.text, dirty]);

  useEffect(() => {
    let cancelled = false;
    setCheck({ state: "checking" });
    const timer = setTimeout(async () => {
      const { loadVegaLiteSchema, validateSpec } = await import("../../../charts/validate.ts");
      const result = await validateSpec(draft, { schema: await loadVegaLiteSchema() });
      if (cancelled) return;
      if (!result.ok) {
        setCheck({ state: "invalid", problems: result.problems });
        return;
      }
      setCheck({ state: "valid" });
      if (dirty && latest.current.canEdit) {
        if (draft !== latest.current.text) latest.current.onApply(draft);
        setDirty(false);
      }
    }, CHECK_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [draft, dirty]);

  return (
    <div className="nb-chart-spec">
      <label htmlFor={`${id}-spec`}>{t("notebook.chart.specLabel")}</label>
      <p id={`${id}-hint`} className="muted nb-chart-hint">
        {t("notebook.chart.specHint")}
      </p>
      <textarea
        id={`${id}-spec`}
        className="nb-chart-spec-text"
        value={draft}
        readOnly={!p.canEdit}
        spellCheck={false}
        autoComplete="off"
        rows={Math.min(24, Math.max(8, draft.split("\n").length))}
        aria-describedby={`${id}-hint ${id}-check`}
        aria-invalid={check.state === "invalid" ? true : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          setDirty(true);
        }}
      />
      <div id={`${id}-check`} aria-live="polite">
        {check.state === "checking" && <p className="muted nb-chart-hint">{t("notebook.chart.specChecking")}</p>}
        {check.state === "valid" && (
          <p className="muted nb-chart-hint nb-chart-valid">
            {p.edited ? t("notebook.chart.specInUse") : t("notebook.chart.specValid")}
          </p>
        )}
        {check.state === "invalid" && <SpecProblems title={t("notebook.chart.specInvalid")} problems={check.problems} />}
      </div>
      {p.canEdit && (
        <div className="row-actions">
          <button
            type="button"
            className="button nb-small"
            disabled={!p.edited && !dirty}
            onClick={() => {
              setDirty(false);
              p.onReset();
            }}
          >
            {t("notebook.chart.reset")}
          </button>
        </div>
      )}
    </div>
  );
}
