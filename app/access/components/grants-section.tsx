import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocationPicker } from "./location-picker";

export interface GrantsSectionProps {
  panel: {
    slug: string;
    grants: { id: string; kind: "user" | "group"; label: string; locations: string[] | null }[];
    users: { id: string; email: string }[];
    groups: { id: string; name: string }[];
    levels: { level: number; name: string }[];
  };
  result?: { ok: true; message: "added" | "removed" } | { ok: false; error: "invalid" | "notFound" } | null;
}

/** The dataset page's "Who can read" section, for admins and the dataset's owner. */
export function GrantsSection({ panel, result }: GrantsSectionProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  return (
    <section aria-labelledby="grants-h">
      <h2 id="grants-h">{t("access.grants.title")}</h2>
      <p className="muted">{t("access.grants.help")}</p>
      {result &&
        (result.ok ? (
          <output className="notice">{result.message === "added" ? t("access.grants.added") : t("access.grants.removed")}</output>
        ) : (
          <p role="alert" className="form-error">
            {result.error === "notFound" ? t("access.grants.notFound") : t("access.grants.invalid")}
          </p>
        ))}
      {panel.grants.length === 0 ? (
        <p>{t("access.grants.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("access.grants.grantee")}</th>
                <th scope="col">{t("access.grants.rows")}</th>
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {panel.grants.map((g) => (
                <tr key={g.id}>
                  <td>{g.kind === "group" ? t("access.grants.groupLabel", { name: g.label }) : g.label}</td>
                  <td>{g.locations ? g.locations.join(", ") : t("access.grants.allRows")}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="grant.remove" />
                      <input type="hidden" name="grantId" value={g.id} />
                      <button type="submit" className="button" disabled={busy}>
                        {t("access.grants.remove", { name: g.label })}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="grant.add" />
        <label>
          {t("access.grants.grantee")}
          <select name="grantee" required defaultValue="">
            <option value="" disabled>
              {t("access.grants.choose")}
            </option>
            <optgroup label={t("access.grants.users")}>
              {panel.users.map((u) => (
                <option key={u.id} value={`user:${u.id}`}>
                  {u.email}
                </option>
              ))}
            </optgroup>
            <optgroup label={t("access.grants.groups")}>
              {panel.groups.map((g) => (
                <option key={g.id} value={`group:${g.id}`}>
                  {g.name}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <LocationPicker slug={panel.slug} levels={panel.levels} resetKey={result?.ok ? result : null} />
        <button type="submit" className="button primary" disabled={busy}>
          {t("access.grants.add")}
        </button>
      </Form>
    </section>
  );
}
