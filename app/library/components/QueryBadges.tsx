import { useTranslation } from "react-i18next";

/** The certified badge (with its version) and the archived mark, shown wherever a query is listed. */
export function QueryBadges(props: { certifiedVersion: number | null; archived: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {props.certifiedVersion !== null && (
        <span className="badge badge-certified" title={t("queries.certifiedTitle", { version: props.certifiedVersion })}>
          {t("queries.certifiedBadge", { version: props.certifiedVersion })}
        </span>
      )}
      {props.archived && <span className="badge">{t("queries.archivedBadge")}</span>}
    </>
  );
}
