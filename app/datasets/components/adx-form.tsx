import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UploadPreview } from "../preview.server";
import { slugOf } from "./slug";

interface Props {
  preview: UploadPreview;
  levels: { level: number; name: string }[];
  busy: boolean;
  defaultTitle: string;
}

/** Step 2 for an ADX file: its shape is fixed, so only the dataset's name and how its org units match are asked. */
export function AdxForm({ preview, levels, busy, defaultTitle }: Props) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(defaultTitle);
  const [slug, setSlug] = useState(slugOf(defaultTitle));
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value="check" />
      <fieldset className="inline-form">
        <legend>{t("datasets.wizard.dataset")}</legend>
        <label>
          {t("datasets.wizard.title")}
          <input
            name="title"
            value={title}
            required
            maxLength={200}
            onChange={(e) => {
              setTitle(e.currentTarget.value);
              setSlug(slugOf(e.currentTarget.value));
            }}
          />
        </label>
        <label>
          {t("datasets.wizard.slug")}
          <input
            name="slug"
            value={slug}
            pattern="[a-z][a-z0-9_]{0,62}"
            required
            onChange={(e) => setSlug(e.currentTarget.value)}
          />
        </label>
      </fieldset>
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
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.row}>
                <td className="muted">{r.row}</td>
                {r.values.map((v, i) => (
                  <td key={preview.columns[i]}>{v === null ? <span className="null">NULL</span> : v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.issues.length > 0 && (
        <ul className="issues">
          {preview.issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {t("datasets.wizard.checkLocations")}
      </button>
    </Form>
  );
}
