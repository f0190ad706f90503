import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export interface GrantsSectionProps {
  panel: {
    grants: { id: string; kind: "user" | "group"; label: string; locations: string[] | null }[];
    users: { id: string; email: string }[];
    groups: { id: string; name: string }[];
    locations: { path: string; name: string; level: number; levelName: string }[];
  };
  result?: { ok: true; message: "added" | "removed" } | { ok: false; error: "invalid" | "notFound" } | null;
}

/** The dataset page's "Who can read" section, for admins and the dataset's owner. */
export function GrantsSection({ panel, result }: GrantsSectionProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const levels = [...new Map(panel.locations.map((l) => [l.level, l.levelName])).entries()];
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
        <label>
          {t("access.grants.restrict")}
          <select name="locations" multiple size={6}>
            {levels.map(([level, levelName]) => (
              <optgroup key={level} label={levelName}>
                {panel.locations
                  .filter((l) => l.level === level)
                  .map((l) => (
                    <option key={l.path} value={l.path}>
                      {l.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {t("access.grants.add")}
        </button>
      </Form>
    </section>
  );
}
