/**
 * A DHIS2 period choice: a period type (among the input's), then either a range of period ids (`202401` to `202403`,
 * or dates) or a relative choice such as LAST_12_MONTHS. Only the relative choices that make periods of the chosen
 * type are offered. The periods the choice stands for are shown, so the reader sees what the SQL receives.
 */
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { RELATIVE_PERIOD_KINDS } from "../../../../connectors/harmonize/periods/index.ts";
import { type PeriodValue, resolvePeriods } from "../../../../kernel/parameters/index.ts";
import type { WidgetProps } from "./SimpleInputs.tsx";

type PeriodDef = Extract<WidgetProps["def"], { type: "period" }>;

function relativeKindsFor(periodType: string): string[] {
  return RELATIVE_PERIOD_KINDS.filter((kind) => {
    try {
      resolvePeriods({ kind: "relative", periodType: periodType as PeriodValue["periodType"], relative: kind });
      return true;
    } catch {
      return false;
    }
  });
}

export function PeriodPicker(p: WidgetProps<PeriodDef>) {
  const { t } = useTranslation();
  const id = useId();
  const value = (p.value ?? null) as PeriodValue | null;
  const key = JSON.stringify(value);
  const [draft, setDraft] = useState<PeriodValue | null>(value);
  useEffect(() => setDraft(JSON.parse(key) as PeriodValue | null), [key]);
  const periodType = draft?.periodType ?? p.def.periodTypes[0];
  const relativeKinds = useMemo(() => relativeKindsFor(periodType), [periodType]);
  const mode = draft?.kind ?? "relative";

  const apply = (next: PeriodValue) => {
    setDraft(next);
    if (next.kind === "relative" || (next.from.trim() && next.to.trim())) p.onChange(next);
  };
  const setType = (type: PeriodValue["periodType"]) => {
    const kinds = relativeKindsFor(type);
    apply(
      mode === "range" && draft?.kind === "range"
        ? { ...draft, periodType: type }
        : { kind: "relative", periodType: type, relative: kinds.includes("LAST_12_MONTHS") ? "LAST_12_MONTHS" : kinds[0] },
    );
  };

  let summary: string | null = null;
  if (value) {
    try {
      const resolved = resolvePeriods(value);
      summary = t("notebook.input.period.summary", {
        count: resolved.periodIds.length,
        first: resolved.periodIds[0],
        last: resolved.periodIds[resolved.periodIds.length - 1],
        start: resolved.start,
        end: resolved.end,
      });
    } catch {
      summary = null;
    }
  }

  return (
    <fieldset className="nb-input-period" aria-describedby={p.problemId}>
      <legend className="visually-hidden">{p.label}</legend>
      <label htmlFor={`${id}-type`}>{t("notebook.input.period.type")}</label>
      <select id={`${id}-type`} value={periodType} onChange={(e) => setType(e.target.value as PeriodValue["periodType"])}>
        {p.def.periodTypes.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
      <label>
        <input
          type="radio"
          name={`${id}-mode`}
          checked={mode === "relative"}
          onChange={() =>
            apply({
              kind: "relative",
              periodType,
              relative: relativeKinds.includes("LAST_12_MONTHS") ? "LAST_12_MONTHS" : relativeKinds[0],
            })
          }
        />{" "}
        {t("notebook.input.period.relative")}
      </label>
      <label>
        <input
          type="radio"
          name={`${id}-mode`}
          checked={mode === "range"}
          onChange={() => setDraft({ kind: "range", periodType, from: "", to: "" })}
        />{" "}
        {t("notebook.input.period.range")}
      </label>
      {draft?.kind === "range" ? (
        <>
          <label htmlFor={`${id}-from`}>{t("notebook.input.period.fromPeriod")}</label>
          <input
            id={`${id}-from`}
            value={draft.from}
            placeholder={t("notebook.input.period.placeholder")}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            onBlur={() => apply(draft)}
            onKeyDown={(e) => e.key === "Enter" && apply(draft)}
          />
          <label htmlFor={`${id}-to`}>{t("notebook.input.period.toPeriod")}</label>
          <input
            id={`${id}-to`}
            value={draft.to}
            placeholder={t("notebook.input.period.placeholder")}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            onBlur={() => apply(draft)}
            onKeyDown={(e) => e.key === "Enter" && apply(draft)}
          />
        </>
      ) : (
        <>
          <label htmlFor={`${id}-relative`} className="visually-hidden">
            {t("notebook.input.period.relative")}
          </label>
          <select
            id={`${id}-relative`}
            value={draft?.kind === "relative" ? draft.relative : ""}
            onChange={(e) => apply({ kind: "relative", periodType, relative: e.target.value })}
          >
            {relativeKinds.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </>
      )}
      {summary && <p className="muted nb-input-summary">{summary}</p>}
    </fieldset>
  );
}
