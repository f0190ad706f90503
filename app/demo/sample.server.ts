/**
 * Seeds the demo workspace's sample notebook and its published report (issue 8, "a newcomer sees the whole story in the
 * first minute"), through the product's own modules: the notebook row through the notebook store's table, its content
 * as a stored collab update (like a server-side restore), sharing with the "Workspace" group as viewers, and the report
 * through publishReport, which runs the cells on native DuckDB with the demo analyst's access and renders the SVGs.
 *
 * Idempotent: the notebook has a fixed id, so a restart finds it (even renamed or archived by someone) and leaves it
 * alone; the report is published only while the notebook has none. Runs after seedDemoWorkspace (it needs the demo
 * datasets and the Workspace group) and after the collab server exists (services.server.ts).
 */
import { eq } from "drizzle-orm";
import * as Y from "yjs";
import { readCells } from "../../collab/index.ts";
import { schema } from "../../db/index.ts";
import { WORKSPACE_GROUP } from "../access/workspace-group.server.ts";
import { DEMO_ACCOUNTS } from "../auth/first-start.server.ts";
import type { SessionUser } from "../auth/sessions.server.ts";
import { createNotebookSharing } from "../notebooks/sharing.server.ts";
import { publishReport } from "../reports/publish.server.ts";
import { createReportStore } from "../reports/store.server.ts";
import type { Services } from "../services.server.ts";
import { SAMPLE_DATASETS, SAMPLE_NOTEBOOK_TITLE, SAMPLE_REPORT, writeSampleNotebook } from "./sample-notebook.ts";

/** Fixed, so restarts recognize the sample; readable, so the README can link to it. */
export const SAMPLE_NOTEBOOK_ID = "demo-sample-anc-2019";

type SampleServices = Pick<Services, "database" | "catalog" | "notebooks" | "collab" | "audit">;

export interface SampleResult {
  /** Why nothing (more) was done, or null. */
  skipped: string | null;
  notebookCreated: boolean;
  reportId: string | null;
  /** Tiles that published with an error (the report still exists). */
  tileErrors: string[];
}

const ANALYST_EMAIL = DEMO_ACCOUNTS.find((a) => a.role === "analyst")?.email ?? "analyst@harmony.local";

function demoAnalyst(services: SampleServices): SessionUser | undefined {
  const row = services.database.db.select().from(schema.users).where(eq(schema.users.email, ANALYST_EMAIL)).get();
  if (!row || row.disabledAt) return undefined;
  return { id: row.id, email: row.email, name: row.name, role: row.role, language: row.language };
}

/**
 * The row, its content and its sharing in one SQLite transaction (collab persistence writes synchronously on the same
 * connection): a failure part-way leaves no empty "sample" behind, and the next start tries again.
 */
function createSampleNotebook(services: SampleServices, owner: SessionUser): void {
  const { db } = services.database;
  db.transaction(() => {
    const at = new Date();
    db.insert(schema.notebooks)
      .values({ id: SAMPLE_NOTEBOOK_ID, title: SAMPLE_NOTEBOOK_TITLE, ownerId: owner.id, createdAt: at, updatedAt: at })
      .run();
    // Written against the document as the collab server holds it (the new-notebook seed), so the stored update deletes
    // that seed's empty cell instead of leaving it beside the sample's cells.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, services.collab.readState(SAMPLE_NOTEBOOK_ID));
    const before = Y.encodeStateVector(doc);
    writeSampleNotebook(doc);
    services.collab.applyUpdate(SAMPLE_NOTEBOOK_ID, Y.encodeStateAsUpdate(doc, before), owner.id);
    doc.destroy();
    const workspace = db.select().from(schema.groups).where(eq(schema.groups.name, WORKSPACE_GROUP)).get();
    if (workspace)
      createNotebookSharing(db, services.notebooks, services.collab).shareWithGroup(SAMPLE_NOTEBOOK_ID, workspace.id, "viewer");
  });
}

/** Never throws: a sample that cannot be built is logged, and the server starts without it. */
export async function seedSampleNotebook(
  services: SampleServices,
  log: (line: string) => void = console.log,
): Promise<SampleResult> {
  try {
    return await seedSample(services, log);
  } catch (error) {
    const why = `sample notebook not built: ${error instanceof Error ? error.message : String(error)}`;
    log(why);
    return { skipped: why, notebookCreated: false, reportId: null, tileErrors: [] };
  }
}

async function seedSample(services: SampleServices, log: (line: string) => void): Promise<SampleResult> {
  const result: SampleResult = { skipped: null, notebookCreated: false, reportId: null, tileErrors: [] };
  const skip = (why: string) => {
    result.skipped = why;
    log(why);
    return result;
  };
  const missing = SAMPLE_DATASETS.filter((slug) => !services.catalog.bySlug(slug)?.currentVersion);
  if (missing.length > 0) return skip(`sample notebook skipped: demo dataset(s) ${missing.join(", ")} not published`);
  const existingReport = createReportStore(services.database.db).latestForNotebook(SAMPLE_NOTEBOOK_ID);
  if (services.notebooks.get(SAMPLE_NOTEBOOK_ID) && existingReport) {
    result.reportId = existingReport.id;
    result.skipped = "sample notebook and report already exist";
    return result;
  }
  const analyst = demoAnalyst(services);
  if (!analyst) return skip(`sample notebook skipped: the demo analyst ${ANALYST_EMAIL} does not exist or is disabled`);

  if (!services.notebooks.get(SAMPLE_NOTEBOOK_ID)) {
    createSampleNotebook(services, analyst);
    result.notebookCreated = true;
  }
  // Cell ids are read back from the stored document: a notebook created by an earlier, interrupted start has its own.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, services.collab.readState(SAMPLE_NOTEBOOK_ID));
  const idByName = new Map(readCells(doc).map((c) => [c.name, c.id]));
  doc.destroy();
  const tiles = SAMPLE_REPORT.tiles.flatMap((t) => {
    const cellId = idByName.get(t.cell);
    return cellId ? [{ cellId, width: t.width }] : [];
  });
  const published = await publishReport(services, analyst, SAMPLE_NOTEBOOK_ID, {
    title: SAMPLE_REPORT.title,
    description: SAMPLE_REPORT.description,
    visibility: SAMPLE_REPORT.visibility,
    variants: [...SAMPLE_REPORT.variants],
    tiles,
  });
  result.reportId = published.reportId;
  result.tileErrors = published.tiles.flatMap((t) => (t.error ? [`${t.title}: ${t.error}`] : []));
  log(`  sample notebook /notebooks/${SAMPLE_NOTEBOOK_ID} and report /r/${published.reportId}`);
  for (const error of result.tileErrors) log(`  sample report tile ${error}`);
  return result;
}
