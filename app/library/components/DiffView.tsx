import { useTranslation } from "react-i18next";
import type { DiffLine } from "../diff.ts";

/** A line diff as a table of text cells (SQL is untrusted: React escapes it; nothing is set as HTML). */
export function DiffView(props: { from: number; to: number; lines: DiffLine[] }) {
  const { t } = useTranslation();
  const added = props.lines.filter((l) => l.kind === "added").length;
  const removed = props.lines.filter((l) => l.kind === "removed").length;
  return (
    <section aria-labelledby="diff-title" className="query-diff">
      <h2 id="diff-title">{t("queries.diff.title", { from: props.from, to: props.to })}</h2>
      <p className="muted">{t("queries.diff.stats", { added, removed })}</p>
      <div className="table-scroll">
        <table className="diff-table">
          <tbody>
            {props.lines.map((line, i) => (
              <tr key={`${i}-${line.kind}`} className={`diff-${line.kind}`}>
                <td className="diff-num">{line.oldNumber ?? ""}</td>
                <td className="diff-num">{line.newNumber ?? ""}</td>
                <td
                  className="diff-mark"
                  aria-label={
                    line.kind === "added"
                      ? t("queries.diff.added")
                      : line.kind === "removed"
                        ? t("queries.diff.removed")
                        : undefined
                  }
                >
                  {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : " "}
                </td>
                <td>
                  <code>{line.text}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
