import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { RunView } from "../run-view.server";

/** A finished run: outcome, counts, timings, issues with their places and unmatched locations. */
export function RunReportView({ run }: { run: RunView }) {
  const { t } = useTranslation();
  const outcome =
    run.status === "succeeded"
      ? t("datasets.run.succeeded", { version: run.version })
      : run.status === "cancelled"
        ? t("datasets.run.cancelled")
        : t("datasets.run.failed");
  return (
    <section className="stack" data-status={run.status}>
      <output className={run.status === "succeeded" ? "notice" : "notice warning"}>
        {outcome}
        {run.error && (
          <>
            <br />
            {run.error}
          </>
        )}
      </output>
      <p>{t("datasets.review.counts", { rowsIn: run.rowsIn, rowsOut: run.rowsOut, rejected: run.rowsRejected })}</p>
      {run.status === "succeeded" && run.dataset && (
        <p>
          <Link className="button primary" to={`/datasets/${run.dataset.slug}`}>
            {t("datasets.run.open", { title: run.dataset.title })}
          </Link>
        </p>
      )}
      {run.issues.length > 0 && (
        <details open={run.status !== "succeeded"}>
          <summary>{t("datasets.review.issues", { count: run.issues.length })}</summary>
          <ul className="issues">
            {run.issues.map((i, n) => (
              <li key={`${n}-${i.message}`}>{i.message}</li>
            ))}
          </ul>
        </details>
      )}
      {run.unmatched.length > 0 && (
        <details>
          <summary>{t("datasets.run.unmatched", { count: run.unmatched.length })}</summary>
          <ul className="issues">
            {run.unmatched.map((u) => (
              <li key={`${u.parent}/${u.value}`}>
                {u.value}
                {u.parent ? ` (${u.parent})` : ""}: {u.count}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
