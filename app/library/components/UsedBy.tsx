import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { UsageView } from "../service.server.ts";

/** Notebooks and reports that link the query: those the viewer may open by name, the others counted. */
export function UsedBy(props: { usage: UsageView; headingId?: string }) {
  const { t } = useTranslation();
  const { usage } = props;
  if (usage.total === 0) return <p className="muted">{t("queries.usedBy.none")}</p>;
  return (
    <>
      {usage.notebooks.length > 0 && (
        <>
          <h3>{t("queries.usedBy.notebooks")}</h3>
          <ul className="used-by-notebooks">
            {usage.notebooks.map((n) => (
              <li key={n.id}>
                <Link to={`/notebooks/${n.id}`}>{n.title}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {usage.reports.length > 0 && (
        <>
          <h3>{t("queries.usedBy.reports")}</h3>
          <ul className="used-by-reports">
            {usage.reports.map((r) => (
              <li key={r.id}>
                <Link to={`/r/${r.id}`}>{r.title}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {usage.hiddenNotebooks + usage.hiddenReports > 0 && (
        <p className="muted">{t("queries.usedBy.hidden", { notebooks: usage.hiddenNotebooks, reports: usage.hiddenReports })}</p>
      )}
    </>
  );
}
