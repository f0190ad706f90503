/**
 * What a streamed export of a notebook cell runs, decided on the server from the notebook as stored (the Yjs state
 * the collab server keeps), not from SQL the page sends: the cell's SQL with the cells it reads inlined as CTEs
 * (app/reports/inline-cells.ts, dependencies from DuckDB's parser), and the datasets it reads among those the user may
 * read. Dataset files are resolved per request with the user's access (their slice when restricted).
 */
import * as Y from "yjs";
import { readCells } from "../../collab/index.ts";
import { accessControl } from "../access/access.server.ts";
import { readableFile } from "../access/dataset-files.server.ts";
import type { SessionUser } from "../auth/sessions.server.ts";
import { resolveLinkedCells } from "../library/linked-cells.server.ts";
import { inlineUpstream, type SqlCell } from "../reports/inline-cells.ts";
import { tableRefsOf } from "../reports/table-refs.server.ts";
import type { Services } from "../services.server.ts";
import { ExportRefused } from "./native-export.server.ts";

type PlanServices = Pick<Services, "database" | "catalog" | "collab" | "library">;

/** Slugs of the datasets with a published version that `user` may read. */
export function readableSlugs(services: Pick<Services, "database" | "catalog">, user: SessionUser): string[] {
  const access = accessControl(services);
  return services.catalog
    .listDatasets()
    .filter((d) => d.currentVersion !== null && access.datasetAccess(user, d).allowed)
    .map((d) => d.slug);
}

export async function planCellExport(
  services: PlanServices,
  user: SessionUser,
  notebookId: string,
  cellId: string,
): Promise<{ cellName: string; sql: string; datasets: string[] }> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, services.collab.readState(notebookId));
  // Linked cells (query library) run their library version's SQL, resolved with the EXPORTER's visibility.
  const { cells, problems: linkProblems } = resolveLinkedCells(services.library, user, readCells(doc));
  const target = cells.find((c) => c.id === cellId);
  if (!target) throw new ExportRefused(`The notebook has no cell with id '${cellId}' (was it deleted?)`);
  if (target.kind !== "sql") throw new ExportRefused(`Cell \`${target.name}\` is not a SQL cell: only SQL results export`);
  const targetProblem = linkProblems.get(cellId);
  if (targetProblem) throw new ExportRefused(targetProblem, 403);
  if (!target.source.trim()) throw new ExportRefused(`Cell \`${target.name}\` is empty: there is nothing to export`);
  const sqlCells: SqlCell[] = [];
  for (const cell of cells) {
    if (cell.kind !== "sql" || !cell.name) continue;
    const refs = await tableRefsOf(cell.source);
    if (!refs.ok && cell.id === cellId) throw new ExportRefused(`Cell \`${cell.name}\` does not parse: ${refs.message}`);
    sqlCells.push({ id: cell.id, name: cell.name, sql: cell.source, tables: refs.ok ? refs.tables : [] });
  }
  const plan = inlineUpstream(sqlCells, cellId, readableSlugs(services, user));
  if (!plan.ok) throw new ExportRefused(plan.message);
  const hidden = sqlCells.find((c) => plan.upstream.includes(c.name) && linkProblems.has(c.id));
  if (hidden) throw new ExportRefused(linkProblems.get(hidden.id) as string, 403);
  return { cellName: target.name, sql: plan.sql, datasets: plan.datasets };
}

/** The files `user` may read for `slugs`, at their current versions; refused when any is not readable. */
export async function datasetFilesFor(
  services: Pick<Services, "database" | "catalog">,
  user: SessionUser,
  slugs: readonly string[],
): Promise<{ files: Record<string, string>; restricted: Record<string, string[]> }> {
  const files: Record<string, string> = {};
  const restricted: Record<string, string[]> = {};
  for (const slug of new Set(slugs)) {
    const dataset = services.catalog.bySlug(slug);
    const version = dataset?.currentVersion ? services.catalog.version(dataset.id, dataset.currentVersion) : undefined;
    if (!dataset || !version) throw new ExportRefused(`Dataset \`${slug}\` has no published version to export from.`);
    const file = await readableFile(services, user, dataset, version);
    if (!file.allowed) throw new ExportRefused(`You have no read access to dataset \`${slug}\`.`, 403);
    files[slug] = file.filePath;
    if (file.locationPaths) restricted[slug] = file.locationPaths;
  }
  return { files, restricted };
}
