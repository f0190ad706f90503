import { randomUUID } from "node:crypto";
import path from "node:path";
import { and, asc, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { schema } from "../../db/index.ts";
import type { MatchDecision } from "../harmonize/locations/index.ts";
import type { CatalogPort, RunReport } from "./runner.ts";
import type { LocationRow } from "./types.ts";

export interface DatasetInput {
  slug: string;
  title: string;
  description?: string | null;
  sourceKind: string;
  ownerId?: string | null;
}

/**
 * The catalog's rows in SQLite: datasets, their versions, sources, runs, the workspace hierarchy and match decisions.
 * A version becomes visible only in `commitVersion`'s transaction, after its file is durable (connectors/publish).
 */
export function createCatalog(db: Db, datasetsDir: string) {
  const bySlug = (slug: string) => db.select().from(schema.datasets).where(eq(schema.datasets.slug, slug)).get();

  function ensureDataset(input: DatasetInput) {
    const existing = bySlug(input.slug);
    if (existing) return existing;
    const id = randomUUID();
    db.insert(schema.datasets)
      .values({
        id,
        slug: input.slug,
        title: input.title,
        description: input.description ?? null,
        sourceKind: input.sourceKind,
        ownerId: input.ownerId ?? null,
      })
      .run();
    return bySlug(input.slug)!;
  }

  function startRun(datasetId: string, sourceId: string | null, triggeredBy: string | null): string {
    const id = randomUUID();
    db.insert(schema.runs).values({ id, datasetId, sourceId, status: "running", startedAt: new Date(), triggeredBy }).run();
    return id;
  }

  function finishRun(runId: string, report: RunReport) {
    db.update(schema.runs)
      .set({
        status: report.status,
        finishedAt: new Date(),
        rowsIn: report.rowsIn,
        rowsOut: report.rowsOut,
        rowsRejected: report.rowsRejected,
        version: report.version,
        issues: report.issues,
        unmatched: report.unmatched.entries,
        timings: report.timings,
        error: report.error,
      })
      .where(eq(schema.runs.id, runId))
      .run();
  }

  function versionPort(datasetId: string, runId: string): CatalogPort {
    return {
      nextVersion() {
        const last = db
          .select({ v: schema.datasetVersions.version })
          .from(schema.datasetVersions)
          .where(eq(schema.datasetVersions.datasetId, datasetId))
          .orderBy(desc(schema.datasetVersions.version))
          .get();
        return (last?.v ?? 0) + 1;
      },
      commit(info) {
        db.transaction((tx) => {
          tx.insert(schema.datasetVersions)
            .values({
              id: randomUUID(),
              datasetId,
              version: info.version,
              fileName: path.relative(datasetsDir, info.filePath),
              sizeBytes: info.summary.bytes,
              rows: info.summary.observations,
              fields: info.summary.fields,
              locations: info.locationsCovered,
              periodStart: info.periodStart,
              periodEnd: info.periodEnd,
              runId,
            })
            .run();
          tx.update(schema.datasets).set({ currentVersion: info.version }).where(eq(schema.datasets.id, datasetId)).run();
          tx.update(schema.runs).set({ version: info.version }).where(eq(schema.runs.id, runId)).run();
        });
      },
    };
  }

  return {
    datasetsDir,
    bySlug,
    ensureDataset,
    startRun,
    finishRun,
    versionPort,

    listDatasets() {
      return db.select().from(schema.datasets).orderBy(asc(schema.datasets.title)).all();
    },
    versions(datasetId: string) {
      return db
        .select()
        .from(schema.datasetVersions)
        .where(eq(schema.datasetVersions.datasetId, datasetId))
        .orderBy(desc(schema.datasetVersions.version))
        .all();
    },
    version(datasetId: string, version: number) {
      return db
        .select()
        .from(schema.datasetVersions)
        .where(and(eq(schema.datasetVersions.datasetId, datasetId), eq(schema.datasetVersions.version, version)))
        .get();
    },
    runs(datasetId: string) {
      return db.select().from(schema.runs).where(eq(schema.runs.datasetId, datasetId)).orderBy(desc(schema.runs.startedAt)).all();
    },
    run(runId: string) {
      return db.select().from(schema.runs).where(eq(schema.runs.id, runId)).get();
    },
    /** Runs left "running" by a crash: marked failed at start so the catalog never shows a ghost run. */
    failInterruptedRuns() {
      db.update(schema.runs)
        .set({ status: "failed", finishedAt: new Date(), error: "the server stopped during this run; nothing was published" })
        .where(eq(schema.runs.status, "running"))
        .run();
    },
    /** Absolute paths of every version file the catalog knows, for cleanup of leftovers at start. */
    knownVersionFiles(): string[] {
      return db
        .select({ f: schema.datasetVersions.fileName })
        .from(schema.datasetVersions)
        .where(isNotNull(schema.datasetVersions.fileName))
        .all()
        .map((r) => path.join(datasetsDir, r.f));
    },

    saveSource(input: {
      datasetId: string;
      kind: string;
      name: string;
      config: Record<string, unknown>;
      createdBy: string | null;
    }) {
      const id = randomUUID();
      db.insert(schema.sources)
        .values({ id, ...input })
        .run();
      return id;
    },
    sources(datasetId: string) {
      return db
        .select()
        .from(schema.sources)
        .where(eq(schema.sources.datasetId, datasetId))
        .orderBy(desc(schema.sources.createdAt))
        .all();
    },
    source(id: string) {
      return db.select().from(schema.sources).where(eq(schema.sources.id, id)).get();
    },

    hierarchy(): LocationRow[] {
      return db
        .select()
        .from(schema.locations)
        .orderBy(asc(schema.locations.level), asc(schema.locations.name))
        .all()
        .map((l) => ({
          location_id: l.id,
          code: l.code,
          name: l.name,
          level: l.level,
          level_name: l.levelName,
          parent_id: l.parentId,
          path: l.path,
          geometry: l.geometry,
        }));
    },
    /** Replaces the workspace hierarchy in one transaction (an org-unit import or a table of levels). */
    replaceHierarchy(rows: readonly LocationRow[]) {
      db.transaction((tx) => {
        tx.delete(schema.locations).run();
        for (const r of rows) {
          tx.insert(schema.locations)
            .values({
              id: r.location_id,
              code: r.code,
              name: r.name,
              level: r.level,
              levelName: r.level_name,
              parentId: r.parent_id,
              path: r.path,
              geometry: r.geometry,
            })
            .run();
        }
      });
    },
    decisions(): MatchDecision[] {
      return db
        .select()
        .from(schema.matchDecisions)
        .all()
        .map((d) => ({ sourceValue: d.sourceKey, locationId: d.locationId }));
    },
    saveDecision(sourceKey: string, locationId: string | null, userId: string | null) {
      db.insert(schema.matchDecisions)
        .values({ sourceKey, locationId, decidedBy: userId })
        .onConflictDoUpdate({
          target: schema.matchDecisions.sourceKey,
          set: { locationId, decidedBy: userId, decidedAt: new Date() },
        })
        .run();
    },
  };
}
export type Catalog = ReturnType<typeof createCatalog>;
