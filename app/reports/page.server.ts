/**
 * Loads a report version for its page or a tile's CSV, deciding access first: owner/admin always, then the report's
 * visibility (visibility.ts). Anonymous readers without a valid link token go to sign-in; signed-in readers outside
 * the visibility get 403 — as do unknown reports, so ids cannot be probed by signed-in users.
 */
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import { forbidden, signInUrl } from "../auth/guards.server.ts";
import { createReportStore, type ReportRow, type ReportVersionView } from "./store.server.ts";
import { hasRows, type Tile, tileForVariant } from "./tiles.ts";
import { chooseVariant, variantQuery } from "./variants.ts";

export const TABLE_PAGE_SIZE = 50;

export interface ReportAccessResult {
  report: ReportRow;
  version: ReportVersionView;
  token: string | null;
}

export function requireReportVersion(
  request: Request,
  context: AppLoadContext,
  reportId: string,
  versionNumber?: number,
): ReportAccessResult {
  const reports = createReportStore(context.services.database.db);
  const token = new URL(request.url).searchParams.get("token");
  const user = context.auth.user;
  const report = reports.get(reportId);
  if (!report) {
    if (!user) throw redirect(signInUrl(request));
    throw forbidden("You do not have access to this report.");
  }
  const decision = reports.decide(user, report, token);
  if (decision === "sign-in") throw redirect(signInUrl(request));
  if (decision === "forbidden") throw forbidden("You do not have access to this report.");
  const number = versionNumber ?? report.currentVersion;
  const version = number ? reports.version(reportId, number) : undefined;
  if (!version) throw new Response("This report version does not exist.", { status: 404 });
  return { report, version, token: report.visibility === "link" ? token : null };
}

export type PageTile =
  | { kind: "markdown"; id: string; title: string; width: Tile["width"]; error?: string; html: string }
  | {
      kind: "chart" | "table";
      id: string;
      title: string;
      width: Tile["width"];
      error?: string;
      svg?: string;
      /** Charts: whether the browser may redraw it from the stored rows (all the rows it was drawn from are stored). */
      live?: boolean;
      columns: { name: string; type: string }[];
      rows: Record<string, unknown>[];
      storedRows: number;
      totalRows: number;
      page: number;
      pages: number;
    };

/** The tiles of the variant a URL asks for (`?district=bo`; defaults otherwise), and that variant. */
export function variantTiles(version: ReportVersionView, search: URLSearchParams) {
  const variant = chooseVariant(version.inputs, search);
  return { variant, tiles: version.tiles.map((tile) => tileForVariant(tile, variant.key)) };
}

/**
 * What the page renders: the variant's tiles, each table's one page (?page=n&tile=id; other tables show their first
 * page). Nothing here depends on the reader beyond the URL, so the rendered page can be shared (rendered-page-cache).
 */
export function reportPageData(request: Request, context: AppLoadContext, access: ReportAccessResult, isCurrent: boolean) {
  const { report, version, token } = access;
  const { db } = context.services.database;
  const { catalog } = context.services;
  const url = new URL(request.url);
  const pageTile = url.searchParams.get("tile");
  const requested = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  const { variant, tiles: shown } = variantTiles(version, url.searchParams);
  const tiles: PageTile[] = shown.map((tile) => {
    const base = { id: tile.id, title: tile.title, width: tile.width, ...(tile.error ? { error: tile.error } : {}) };
    if (!hasRows(tile)) return { ...base, kind: "markdown", html: tile.html };
    const pages = Math.max(1, Math.ceil(tile.rows.length / TABLE_PAGE_SIZE));
    const page = tile.id === pageTile ? Math.min(requested, pages) : 1;
    return {
      ...base,
      kind: tile.kind,
      svg: tile.kind === "chart" ? tile.svg : undefined,
      live: tile.kind === "chart" ? tile.rows.length >= tile.totalRows : undefined,
      columns: tile.columns,
      rows: tile.kind === "table" ? tile.rows.slice((page - 1) * TABLE_PAGE_SIZE, page * TABLE_PAGE_SIZE) : [],
      storedRows: tile.rows.length,
      totalRows: tile.totalRows,
      page,
      pages,
    };
  });
  const datasets = Object.entries(version.datasetVersions).map(([slug, number]) => {
    const dataset = catalog.bySlug(slug);
    const pinned = dataset ? catalog.version(dataset.id, number) : undefined;
    return { slug, title: dataset?.title ?? slug, version: number, refreshedAt: pinned?.createdAt?.toISOString() ?? null };
  });
  const publisher = version.publishedBy
    ? db.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, version.publishedBy)).get()?.name
    : undefined;
  const reports = createReportStore(db);
  return {
    report: { id: report.id, title: report.title, description: report.description },
    version: version.version,
    isCurrent,
    publishedAt: version.publishedAt.toISOString(),
    publisher: publisher ?? null,
    datasets,
    tiles,
    inputs: version.inputs,
    fixedInputs: version.fixedInputs,
    variant: { values: variant.values, query: variantQuery(version.inputs, variant.values) },
    versions: reports.versions(report.id).map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString() })),
    token,
  };
}
export type ReportPageData = ReturnType<typeof reportPageData>;
