/**
 * The report page body: server-rendered, no engine, no editor. Charts are the stored (sanitized) SVG; tables paginate
 * with plain links (?page=n&tile=id), so everything works with JavaScript disabled.
 */
import { useTranslation } from "react-i18next";
import { InteractiveChart } from "./InteractiveChart.tsx";
import type { PageTile, ReportPageData } from "./page.server.ts";

function withQuery(base: string, params: Record<string, string | null>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) query.set(k, v);
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return value.toLocaleString("en", { maximumFractionDigits: 6 });
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function TileView({ tile, data, basePath }: { tile: PageTile; data: ReportPageData; basePath: string }) {
  const { t } = useTranslation();
  // Downloads and chart data follow the variant shown (?district=bo) and the version read.
  const tileQuery = { v: data.isCurrent ? null : String(data.version), token: data.token, ...data.variant.query };
  const csvHref = withQuery(`/r/${data.report.id}/tile/${tile.id}.csv`, tileQuery);
  return (
    <section className={`report-tile report-tile-${tile.width}`} aria-label={tile.title} data-tile={tile.id}>
      {tile.kind !== "markdown" && <h2 className="report-tile-title">{tile.title}</h2>}
      {tile.error ? (
        <p className="report-tile-error" role="alert">
          {t("reports.page.tileError")} {tile.error}
        </p>
      ) : tile.kind === "markdown" ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized at publish time (app/notebook/components/markdown.ts).
        <div className="report-markdown" dangerouslySetInnerHTML={{ __html: tile.html }} />
      ) : tile.kind === "chart" ? (
        <InteractiveChart
          svg={tile.svg ?? ""}
          dataHref={withQuery(`/r/${data.report.id}/tile/${tile.id}.json`, tileQuery)}
          live={tile.live === true}
        />
      ) : (
        <div className="report-table-wrap">
          <table className="report-table">
            <thead>
              <tr>
                {tile.columns.map((c) => (
                  <th key={c.name} scope="col">
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {tile.rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity; the page slice is fixed.
                <tr key={i}>
                  {tile.columns.map((c) => (
                    <td key={c.name} className={typeof row[c.name] === "number" ? "num" : undefined}>
                      {formatCell(row[c.name])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tile.kind !== "markdown" && !tile.error && (
        <footer className="report-tile-footer">
          {tile.kind === "table" && tile.pages > 1 && (
            <nav className="report-pager" aria-label={t("reports.page.pagination")}>
              {tile.page > 1 && (
                <a
                  href={withQuery(basePath, {
                    ...data.variant.query,
                    page: String(tile.page - 1),
                    tile: tile.id,
                    token: data.token,
                  })}
                >
                  {t("reports.page.previous")}
                </a>
              )}
              <span>{t("reports.page.pageOf", { page: tile.page, pages: tile.pages })}</span>
              {tile.page < tile.pages && (
                <a
                  href={withQuery(basePath, {
                    ...data.variant.query,
                    page: String(tile.page + 1),
                    tile: tile.id,
                    token: data.token,
                  })}
                >
                  {t("reports.page.next")}
                </a>
              )}
            </nav>
          )}
          {tile.totalRows > tile.storedRows && (
            <span className="report-capped">
              {t("reports.page.capped", { stored: tile.storedRows.toLocaleString(), total: tile.totalRows.toLocaleString() })}
            </span>
          )}
          <a className="report-csv" href={csvHref} download>
            {t("reports.page.downloadCsv")}
          </a>
        </footer>
      )}
    </section>
  );
}

/** The offered inputs as links to their stored variants (`?district=bo`): no script needed, and the URL can be shared. */
function VariantSwitch({ data, basePath }: { data: ReportPageData; basePath: string }) {
  const { t } = useTranslation();
  if (data.inputs.length === 0) return null;
  return (
    <div className="report-inputs">
      {data.inputs.map((input) => (
        <nav key={input.name} className="report-input" aria-label={input.label}>
          <span className="report-input-label">{input.label}</span>
          <ul>
            {input.options.map((option) => {
              const current = data.variant.values[input.name] === option.value;
              const href = withQuery(basePath, {
                ...data.variant.query,
                [input.name]: option.value === input.default ? null : option.value,
                token: data.token,
              });
              return (
                <li key={option.value}>
                  {current ? (
                    <span className="report-input-current" aria-current="true">
                      {option.label}
                    </span>
                  ) : (
                    <a href={href} rel="nofollow">
                      {option.label}
                    </a>
                  )}
                </li>
              );
            })}
          </ul>
        </nav>
      ))}
      <p className="report-inputs-note">{t("reports.page.variantsNote")}</p>
    </div>
  );
}

export function ReportView({ data }: { data: ReportPageData }) {
  const { t, i18n } = useTranslation();
  const basePath = data.isCurrent ? `/r/${data.report.id}` : `/r/${data.report.id}/v/${data.version}`;
  const date = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) : "—";
  return (
    <main className="report-page">
      <header className="report-header">
        <h1>{data.report.title}</h1>
        {data.report.description && <p className="report-description">{data.report.description}</p>}
        {!data.isCurrent && (
          <p className="report-old-version" role="note">
            {t("reports.page.olderVersion", { version: data.version })}{" "}
            <a href={withQuery(`/r/${data.report.id}`, { token: data.token })}>{t("reports.page.latest")}</a>
          </p>
        )}
        <dl className="report-facts">
          <div>
            <dt>{t("reports.page.published")}</dt>
            <dd>
              {t("reports.page.publishedBy", {
                version: data.version,
                date: date(data.publishedAt),
                name: data.publisher ?? "—",
              })}
            </dd>
          </div>
          <div>
            <dt>{t("reports.page.dataAsOf")}</dt>
            <dd>
              {data.datasets.length === 0
                ? "—"
                : data.datasets.map((d) => (
                    <span key={d.slug} className="report-dataset">
                      {t("reports.page.datasetVersion", { title: d.title, version: d.version, date: date(d.refreshedAt) })}
                    </span>
                  ))}
            </dd>
          </div>
          {data.fixedInputs.length > 0 && (
            <div>
              <dt>{t("reports.page.fixedInputs")}</dt>
              <dd>
                {data.fixedInputs.map((input) => (
                  <span key={input.name} className="report-dataset">
                    {input.label}: {input.value}
                  </span>
                ))}
              </dd>
            </div>
          )}
        </dl>
        <p className="report-access-note">{t("reports.page.publisherAccess")}</p>
        <VariantSwitch data={data} basePath={basePath} />
      </header>
      <div className="report-grid">
        {data.tiles.map((tile) => (
          <TileView key={tile.id} tile={tile} data={data} basePath={basePath} />
        ))}
      </div>
      {data.versions.length > 1 && (
        <nav className="report-versions" aria-label={t("reports.page.versions")}>
          <h2>{t("reports.page.versions")}</h2>
          <ul>
            {data.versions.map((v) => (
              <li key={v.version}>
                <a href={withQuery(`/r/${data.report.id}/v/${v.version}`, { token: data.token })}>
                  {t("reports.page.versionItem", { version: v.version, date: date(v.publishedAt) })}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </main>
  );
}
