import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { UnmatchedEntry } from "../../../connectors/harmonize/locations";

interface Props {
  review: {
    spec: unknown;
    rowsIn: number;
    rowsOut: number;
    rowsRejected: number;
    issues: string[];
    issueCount: number;
    unmatched: { totalRows: number; distinctValues: number; entries: UnmatchedEntry[] };
  };
  busy: boolean;
}

const percent = (score: number) => `${Math.round(score * 100)}%`;

/** Step 3: counts of the dry run, every unmatched location with suggestions, and the publish button. */
export function LocationReview({ review, busy }: Props) {
  const { t } = useTranslation();
  const spec = JSON.stringify(review.spec);
  const entries = review.unmatched.entries;
  const compact = JSON.stringify(
    entries.map((e) => ({
      key: e.key,
      best: e.suggestions[0] ? { id: e.suggestions[0].locationId, score: e.suggestions[0].score } : undefined,
    })),
  );
  return (
    <section className="stack" aria-labelledby="review-title">
      <h2 id="review-title">{t("datasets.wizard.review")}</h2>
      <p>{t("datasets.review.counts", { rowsIn: review.rowsIn, rowsOut: review.rowsOut, rejected: review.rowsRejected })}</p>
      {review.issues.length > 0 && (
        <details>
          <summary>{t("datasets.review.issues", { count: review.issueCount })}</summary>
          <ul className="issues">
            {review.issues.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        </details>
      )}
      {entries.length === 0 ? (
        <p className="notice">{t("datasets.review.allMatched")}</p>
      ) : (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="decide" />
          <input type="hidden" name="spec" value={spec} />
          <input type="hidden" name="entries" value={compact} />
          <p>{t("datasets.review.unmatched", { count: review.unmatched.distinctValues, rows: review.unmatched.totalRows })}</p>
          <div className="inline-form">
            <label>
              {t("datasets.review.acceptAbove")}
              <input type="number" name="acceptAbove" min="0.5" max="1" step="0.01" defaultValue="0.9" />
            </label>
            <button type="submit" name="bulk" value="accept" className="button" disabled={busy}>
              {t("datasets.review.bulkAccept")}
            </button>
          </div>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("datasets.review.value")}</th>
                  <th scope="col">{t("datasets.review.rows")}</th>
                  <th scope="col">{t("datasets.review.decision")}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.key}>
                    <td>
                      <strong>{e.value}</strong>
                      {e.parent && <span className="muted"> — {e.parent}</span>}
                      <br />
                      <span className="muted">
                        {[e.firstPlace.file, e.firstPlace.sheet, e.firstPlace.row && `row ${e.firstPlace.row}`]
                          .filter(Boolean)
                          .join(", ")}
                      </span>
                    </td>
                    <td>{e.count}</td>
                    <td>
                      <fieldset className="choices">
                        <legend className="visually-hidden">{t("datasets.review.decisionFor", { value: e.value })}</legend>
                        {e.suggestions.map((s) => (
                          <label key={s.locationId} className="choice">
                            <input type="radio" name={`decision.${e.key}`} value={s.locationId} />
                            {s.pathNames.join(" › ")} <span className="badge">{percent(s.score)}</span>
                          </label>
                        ))}
                        <label className="choice">
                          <input type="radio" name={`decision.${e.key}`} value="reject" />
                          {t("datasets.review.reject")}
                        </label>
                        <label className="choice">
                          <input type="radio" name={`decision.${e.key}`} value="" defaultChecked />
                          {t("datasets.review.later")}
                        </label>
                      </fieldset>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit" className="button" disabled={busy}>
            {t("datasets.review.saveDecisions")}
          </button>
        </Form>
      )}
      <Form method="post">
        <input type="hidden" name="intent" value="publish" />
        <input type="hidden" name="spec" value={spec} />
        <p className="muted">
          {entries.length > 0 ? t("datasets.review.publishWithUnmatched") : t("datasets.review.publishReady")}
        </p>
        <button type="submit" className="button primary" disabled={busy}>
          {t("datasets.review.publish")}
        </button>
      </Form>
    </section>
  );
}
