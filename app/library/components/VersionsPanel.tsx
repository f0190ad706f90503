import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { DiffLine } from "../diff.ts";
import { DiffView } from "./DiffView.tsx";

export interface VersionRow {
  version: number;
  message: string;
  author: { id: string; name: string };
  createdAt: string;
}

/** The versions of a query (author, time, message; each opens with ?v=N), a picker to diff two, and that diff. */
export function VersionsPanel(props: {
  versions: VersionRow[];
  latest: number;
  certifiedVersion: number | null;
  diff: { from: number; to: number; lines: DiffLine[] } | null;
  formatDate: (iso: string) => string;
}) {
  const { versions, latest, diff } = props;
  const { t } = useTranslation();
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t("queries.versions")}</h2>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("queries.list.version")}</th>
              <th scope="col">{t("queries.author")}</th>
              <th scope="col">{t("queries.time")}</th>
              <th scope="col">{t("queries.form.message")}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>
                  <Link to={`?v=${v.version}`}>v{v.version}</Link>
                  {v.version === props.certifiedVersion && (
                    <>
                      {" "}
                      <span className="badge badge-certified">{t("queries.certifiedShort")}</span>
                    </>
                  )}
                </td>
                <td>{v.author.name}</td>
                <td>{props.formatDate(v.createdAt)}</td>
                <td>{v.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {versions.length > 1 && (
        <Form method="get" className="inline-form">
          <label>
            {t("queries.diff.from")}
            <select name="from" defaultValue={diff?.from ?? Math.max(1, latest - 1)}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("queries.diff.to")}
            <select name="to" defaultValue={diff?.to ?? latest}>
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            {t("queries.diff.compare")}
          </button>
        </Form>
      )}
      {diff && <DiffView from={diff.from} to={diff.to} lines={diff.lines} />}
    </section>
  );
}
