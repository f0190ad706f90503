/** Reports in the database: reads for the list and the page, view counts. Writes live in publish.server.ts. */
import { and, desc, eq, sql } from "drizzle-orm";
import { type Db, schema } from "../../db/index.ts";
import type { Tile, TileWidth } from "./tiles.ts";
import type { FixedInput, VariantInput } from "./variants.ts";
import { decideReportAccess, type Reader, type ReportDecision, type Visibility } from "./visibility.ts";

export type ReportRow = typeof schema.reports.$inferSelect;

/** report_versions.layout: the tiles' arrangement and the inputs (earlier versions stored the tile list alone). */
export interface StoredLayout {
  tiles: { tileId: string; cellId: string; width: TileWidth }[];
  /** Inputs offered as precomputed variants. */
  inputs: VariantInput[];
  /** Inputs published at their defaults. */
  fixedInputs: FixedInput[];
}

export interface ReportVersionView {
  version: number;
  datasetVersions: Record<string, number>;
  tiles: Tile[];
  inputs: VariantInput[];
  fixedInputs: FixedInput[];
  publishedAt: Date;
  publishedBy: string | null;
}

function layoutOf(stored: unknown): Pick<StoredLayout, "inputs" | "fixedInputs"> {
  if (!stored || Array.isArray(stored) || typeof stored !== "object") return { inputs: [], fixedInputs: [] };
  const layout = stored as Partial<StoredLayout>;
  return { inputs: layout.inputs ?? [], fixedInputs: layout.fixedInputs ?? [] };
}

/**
 * A version never changes once published, and its tiles (rows and SVG) are the biggest read of a page: parsed versions
 * are kept per database, the most recently read first out of a small LRU.
 */
const VERSION_CACHE_SIZE = 64;
/** Budget for the cached versions' stored JSON, in characters (a version with variants can be large). */
const VERSION_CACHE_CHARS = 200_000_000;
const versionCaches = new WeakMap<Db, Map<string, { view: ReportVersionView; chars: number }>>();

function versionCache(db: Db) {
  let cache = versionCaches.get(db);
  if (!cache) {
    cache = new Map();
    versionCaches.set(db, cache);
  }
  return cache;
}

/**
 * The queries every report page request runs, prepared once per database: building and preparing them afresh was a
 * measurable share of a cached page's time (bench/report).
 */
function prepareHotQueries(db: Db) {
  const id = sql.placeholder("id");
  return {
    report: db.select().from(schema.reports).where(eq(schema.reports.id, id)).prepare(),
    reportGroups: db
      .select({ id: schema.reportGroups.groupId })
      .from(schema.reportGroups)
      .where(eq(schema.reportGroups.reportId, id))
      .prepare(),
    userGroups: db
      .select({ id: schema.groupMembers.groupId })
      .from(schema.groupMembers)
      .where(eq(schema.groupMembers.userId, id))
      .prepare(),
    countView: db
      .update(schema.reports)
      .set({ views: sql`${schema.reports.views} + 1` })
      .where(eq(schema.reports.id, id))
      .prepare(),
    versions: db
      .select({ version: schema.reportVersions.version, publishedAt: schema.reportVersions.publishedAt })
      .from(schema.reportVersions)
      .where(eq(schema.reportVersions.reportId, id))
      .orderBy(desc(schema.reportVersions.version))
      .prepare(),
  };
}
const hotQueries = new WeakMap<Db, ReturnType<typeof prepareHotQueries>>();

export function createReportStore(db: Db) {
  let queries = hotQueries.get(db);
  if (!queries) {
    queries = prepareHotQueries(db);
    hotQueries.set(db, queries);
  }
  const hot = queries;
  const groupIdsOf = (reportId: string) => hot.reportGroups.all({ id: reportId }).map((r) => r.id);

  const readerOf = (user: { id: string; role: string } | null): Reader | null =>
    user ? { id: user.id, role: user.role, groupIds: hot.userGroups.all({ id: user.id }).map((r) => r.id) } : null;

  return {
    get(reportId: string): ReportRow | undefined {
      return hot.report.get({ id: reportId });
    },
    groupIdsOf,
    decide(user: { id: string; role: string } | null, report: ReportRow, token: string | null): ReportDecision {
      const facts = {
        ownerId: report.ownerId,
        visibility: report.visibility as Visibility,
        linkToken: report.linkToken,
        groupIds: groupIdsOf(report.id),
      };
      return decideReportAccess(readerOf(user), facts, token);
    },
    /** Reports `user` may open from the list (link-only reports only for their owner and admins). */
    listVisible(user: { id: string; role: string }) {
      const rows = db
        .select({
          id: schema.reports.id,
          title: schema.reports.title,
          visibility: schema.reports.visibility,
          ownerId: schema.reports.ownerId,
          linkToken: schema.reports.linkToken,
          ownerName: schema.users.name,
          views: schema.reports.views,
          currentVersion: schema.reports.currentVersion,
          lastPublished: sql<
            number | null
          >`(SELECT max(${schema.reportVersions.publishedAt}) FROM ${schema.reportVersions} WHERE ${schema.reportVersions.reportId} = ${schema.reports.id})`,
        })
        .from(schema.reports)
        .innerJoin(schema.users, eq(schema.users.id, schema.reports.ownerId))
        .orderBy(desc(schema.reports.createdAt))
        .all();
      const reader = readerOf(user);
      return rows
        .filter((r) => {
          const facts = { ownerId: r.ownerId, visibility: r.visibility, linkToken: r.linkToken, groupIds: groupIdsOf(r.id) };
          return decideReportAccess(reader, facts, null) === "allowed";
        })
        .map(({ linkToken: _token, ...r }) => ({
          ...r,
          lastPublished: r.lastPublished === null ? null : Number(r.lastPublished),
        }))
        .sort((a, b) => (b.lastPublished ?? 0) - (a.lastPublished ?? 0));
    },
    version(reportId: string, version: number): ReportVersionView | undefined {
      const cache = versionCache(db);
      const key = `${reportId}\u0000${version}`;
      const cached = cache.get(key);
      if (cached) {
        cache.delete(key);
        cache.set(key, cached);
        return cached.view;
      }
      const row = db
        .select({
          version: schema.reportVersions.version,
          datasetVersions: schema.reportVersions.datasetVersions,
          tiles: schema.reportVersions.tiles,
          layout: schema.reportVersions.layout,
          publishedAt: schema.reportVersions.publishedAt,
          publishedBy: schema.reportVersions.publishedBy,
          chars: sql<number>`length(${schema.reportVersions.tiles})`,
        })
        .from(schema.reportVersions)
        .where(and(eq(schema.reportVersions.reportId, reportId), eq(schema.reportVersions.version, version)))
        .get();
      if (!row) return undefined;
      const view: ReportVersionView = {
        version: row.version,
        datasetVersions: row.datasetVersions,
        tiles: row.tiles as Tile[],
        ...layoutOf(row.layout),
        publishedAt: row.publishedAt,
        publishedBy: row.publishedBy,
      };
      cache.set(key, { view, chars: Number(row.chars) });
      let total = 0;
      for (const entry of cache.values()) total += entry.chars;
      for (const [oldest, entry] of cache) {
        if (cache.size <= 1 || (cache.size <= VERSION_CACHE_SIZE && total <= VERSION_CACHE_CHARS)) break;
        cache.delete(oldest);
        total -= entry.chars;
      }
      return view;
    },
    versions(reportId: string): { version: number; publishedAt: Date }[] {
      return hot.versions.all({ id: reportId });
    },
    latestForNotebook(notebookId: string): ReportRow | undefined {
      return db
        .select()
        .from(schema.reports)
        .where(eq(schema.reports.notebookId, notebookId))
        .orderBy(desc(schema.reports.createdAt))
        .get();
    },
    countView(reportId: string): void {
      hot.countView.run({ id: reportId });
    },
  };
}
export type ReportStore = ReturnType<typeof createReportStore>;
