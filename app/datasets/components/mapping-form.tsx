import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UploadPreview } from "../preview.server";
import { DatasetNameFields } from "./dataset-name-fields";
import { PreviewIssues, PreviewRows } from "./preview-rows";

interface Props {
  preview: UploadPreview;
  levels: { level: number; name: string }[];
  guesses: string[];
  busy: boolean;
  defaultTitle: string;
}

/** Step 2: the first rows of the file, a role for each column, the period's form and the dataset's name. */
export function MappingForm({ preview, levels, guesses, busy, defaultTitle }: Props) {
  const { t } = useTranslation();
  const [periodHow, setPeriodHow] = useState("month");
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value="check" />
      {preview.kind === "excel" && (
        <fieldset className="inline-form">
          <legend>{t("datasets.wizard.sheet")}</legend>
          <label>
            {t("datasets.wizard.sheet")}
            <select
              name="sheet"
              defaultValue={preview.sheet ?? undefined}
              onChange={(e) => window.location.assign(`?sheet=${encodeURIComponent(e.currentTarget.value)}`)}
            >
              {preview.sheets.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.hidden ? `${s.name} (${t("datasets.wizard.hiddenSheet")})` : s.name}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
      )}
      <DatasetNameFields defaultTitle={defaultTitle} />
      <fieldset className="inline-form">
        <legend>{t("datasets.wizard.periods")}</legend>
        <label>
          {t("datasets.wizard.periodHow")}
          <select name="periodHow" value={periodHow} onChange={(e) => setPeriodHow(e.currentTarget.value)}>
            <option value="month">{t("datasets.wizard.periodMonth")}</option>
            <option value="date">{t("datasets.wizard.periodDate")}</option>
            <option value="week">{t("datasets.wizard.periodWeek")}</option>
            <option value="dhis2-id">{t("datasets.wizard.periodDhis2")}</option>
          </select>
        </label>
        {periodHow === "date" && (
          <label>
            {t("datasets.wizard.periodType")}
            <select name="periodType" defaultValue="Monthly">
              {["Daily", "Weekly", "Monthly", "Quarterly", "SixMonthly", "Yearly"].map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("datasets.wizard.decimal")}
          <select name="decimal" defaultValue=".">
            <option value=".">1,234.5</option>
            <option value=",">1.234,5</option>
          </select>
        </label>
      </fieldset>
      <div className="table-scroll">
        <table className="data-table preview-table">
          <caption className="muted">{t("datasets.wizard.previewCaption", { count: preview.rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("datasets.wizard.row")}</th>
              {preview.columns.map((c, i) => (
                <th key={c} scope="col">
                  <div className="column-head">
                    <span>{c}</span>
                    <label className="visually-hidden" htmlFor={`role-${i}`}>
                      {t("datasets.wizard.roleOf", { column: c })}
                    </label>
                    <select id={`role-${i}`} name={`role.${i}`} defaultValue={guesses[i] ?? ""}>
                      <option value="">{t("datasets.wizard.roleIgnore")}</option>
                      <option value="period">{t("datasets.wizard.rolePeriod")}</option>
                      {levels.map((l) => (
                        <option key={l.level} value={`location:${l.level}`}>
                          {t("datasets.wizard.roleLocation", { level: l.name })}
                        </option>
                      ))}
                      <option value="value">{t("datasets.wizard.roleValue")}</option>
                      <option value="field">{t("datasets.wizard.roleField")}</option>
                      <option value="amount">{t("datasets.wizard.roleAmount")}</option>
                      <option value="disaggregation">{t("datasets.wizard.roleDisaggregation")}</option>
                    </select>
                    <select name={`by.${i}`} defaultValue="name" aria-label={t("datasets.wizard.matchBy", { column: c })}>
                      <option value="name">{t("datasets.wizard.byName")}</option>
                      <option value="code">{t("datasets.wizard.byCode")}</option>
                      <option value="id">{t("datasets.wizard.byId")}</option>
                    </select>
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <PreviewRows preview={preview} />
        </table>
      </div>
      <PreviewIssues issues={preview.issues} />
      <button type="submit" className="button primary" disabled={busy}>
        {t("datasets.wizard.checkLocations")}
      </button>
    </Form>
  );
}
