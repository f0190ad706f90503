import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { UploadPreview } from "../preview.server";
import { DatasetNameFields } from "./dataset-name-fields";
import { PreviewIssues, PreviewRows } from "./preview-rows";

interface Props {
  preview: UploadPreview;
  levels: { level: number; name: string }[];
  busy: boolean;
  defaultTitle: string;
}

/** Step 2 for an ADX file: its shape is fixed, so only the dataset's name and how its org units match are asked. */
export function AdxForm({ preview, levels, busy, defaultTitle }: Props) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value="check" />
      <DatasetNameFields defaultTitle={defaultTitle} />
      <fieldset className="inline-form">
        <legend>{t("datasets.adx.orgUnits")}</legend>
        <label>
          {t("datasets.adx.level")}
          <select name="level" defaultValue={levels.at(-1)?.level}>
            {levels.map((l) => (
              <option key={l.level} value={l.level}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("datasets.adx.idScheme")}
          <select name="idScheme" defaultValue="code">
            <option value="code">{t("datasets.wizard.byCode")}</option>
            <option value="uid">{t("datasets.wizard.byId")}</option>
            <option value="name">{t("datasets.wizard.byName")}</option>
          </select>
        </label>
      </fieldset>
      <div className="table-scroll">
        <table className="data-table preview-table">
          <caption className="muted">{t("datasets.wizard.previewCaption", { count: preview.rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("datasets.adx.line")}</th>
              {preview.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
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
