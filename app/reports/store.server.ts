/** Reports in the database: reads for the list and the page, view counts. Writes live in publish.server.ts. */
import { and, desc, eq, sql } from "drizzle-orm";
import { type Db, schema } from "../../db/index.ts";
import type { Tile } from "./tiles.ts";
import { decideReportAccess, type Reader, type ReportDecision, type Visibility } from "./visibility.ts";

export type ReportRow = typeof schema.reports.$inferSelect;

export interface ReportVersionView {
  version: number;
  datasetVersions: Record<string, number>;
  tiles: Tile[];
  publishedAt: Date;
  publishedBy: string | null;
}

export function createReportStore(db: Db) {
  const groupIdsOf = (reportId: string) =>
    db
      .select({ id: schema.reportGroups.groupId })
      .from(schema.reportGroups)
      .where(eq(schema.reportGroups.reportId, reportId))
      .all()
      .map((r) => r.id);

  const readerOf = (user: { id: string; role: string } | null): Reader | null =>
    user
      ? {
          id: user.id,
          role: user.role,
          groupIds: db
            .select({ id: schema.groupMembers.groupId })
            .from(schema.groupMembers)
            .where(eq(schema.groupMembers.userId, user.id))
            .all()
            .map((r) => r.id),
        }
      : null;

  return {
    get(reportId: string): ReportRow | undefined {
      return db.select().from(schema.reports).where(eq(schema.reports.id, reportId)).get();
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
      const row = db
        .select()
        .from(schema.reportVersions)
        .where(and(eq(schema.reportVersions.reportId, reportId), eq(schema.reportVersions.version, version)))
        .get();
      if (!row) return undefined;
      return {
        version: row.version,
        datasetVersions: row.datasetVersions,
        tiles: row.tiles as Tile[],
        publishedAt: row.publishedAt,
        publishedBy: row.publishedBy,
      };
    },
    versions(reportId: string): { version: number; publishedAt: Date }[] {
      return db
        .select({ version: schema.reportVersions.version, publishedAt: schema.reportVersions.publishedAt })
        .from(schema.reportVersions)
        .where(eq(schema.reportVersions.reportId, reportId))
        .orderBy(desc(schema.reportVersions.version))
        .all();
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
      db.update(schema.reports)
        .set({ views: sql`${schema.reports.views} + 1` })
        .where(eq(schema.reports.id, reportId))
        .run();
    },
  };
}
export type ReportStore = ReturnType<typeof createReportStore>;
