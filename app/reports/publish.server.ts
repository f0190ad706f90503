/**
 * Publishing (DESIGN.md decision 8): by the notebook's owner or an editor, the notebook's current Yjs state is pinned,
 * the chosen cells are computed on the server with the PUBLISHER's dataset access, and the results, SVGs and dataset
 * versions are stored as a new report version. The first publish of a notebook creates its report; later publishes add
 * versions to it (earlier versions stay readable). Audited as `report.publish`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import * as Y from "yjs";
import { z } from "zod";
import { readCells } from "../../collab/index.ts";
import { schema } from "../../db/index.ts";
import { accessControl } from "../access/access.server.ts";
import { readableFile } from "../access/dataset-files.server.ts";
import type { SessionUser } from "../auth/sessions.server.ts";
import { prepareMapChartFromDb } from "../charts/map-locations.server.ts";
import { resolveLinkedCells } from "../library/linked-cells.server.ts";
import { createLibrary } from "../library/service.server.ts";
import { canWrite } from "../notebooks/store.server.ts";
import type { Services } from "../services.server.ts";
import { createCellRunner, fixedInputsOf } from "./cell-results.server.ts";
import { reportPageCache } from "./rendered-page-cache.server.ts";
import { createReportStore, type StoredLayout } from "./store.server.ts";
import { TILE_WIDTHS, type Tile } from "./tiles.ts";
import { defaultValues, planVariants, variantCandidates, variantKey } from "./variants.ts";
import { VISIBILITIES } from "./visibility.ts";

export const publishInputSchema = z.object({
  title: z.string().trim().min(1, "a report needs a title").max(200),
  description: z.string().trim().max(5_000).default(""),
  tiles: z
    .array(z.object({ cellId: z.string().min(1), width: z.enum(TILE_WIDTHS) }))
    .min(1, "choose at least one cell")
    .max(48),
  visibility: z.enum(VISIBILITIES),
  groups: z.array(z.string()).default([]),
  /** Select inputs offered on the report as precomputed variants (variants.ts). */
  variants: z.array(z.string()).max(8).default([]),
});
export type PublishInput = z.input<typeof publishInputSchema>;

export class PublishRefused extends Error {
  override name = "PublishRefused";
  constructor(
    message: string,
    readonly status: 400 | 403 = 400,
  ) {
    super(message);
  }
}

export interface Published {
  reportId: string;
  version: number;
  linkToken: string | null;
  tiles: Tile[];
}

/** Widths in pixels charts are rendered at for specs sized to their container. */
const CHART_WIDTHS = { third: 320, half: 520, full: 1080 } as const;

/** 192 random bits, URL-safe: unguessable, and short enough for a link. */
export const newLinkToken = () => randomBytes(24).toString("base64url");

type PublishServices = Pick<Services, "database" | "catalog" | "notebooks" | "collab" | "audit"> &
  Partial<Pick<Services, "library">>;

export async function publishReport(
  services: PublishServices,
  user: SessionUser,
  notebookId: string,
  raw: unknown,
  ip: string | null = null,
): Promise<Published> {
  const role = services.notebooks.roleOf(user, notebookId);
  const notebook = role ? services.notebooks.get(notebookId) : undefined;
  if (!notebook || !canWrite(role)) throw new PublishRefused("Only the notebook's owner or an editor can publish it.", 403);
  const parsed = publishInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PublishRefused(`Publish: ${issue.path.join(".") || "form"}: ${issue.message}`);
  }
  const input = parsed.data;
  const { db } = services.database;
  const reports = createReportStore(db);
  // Any owner/editor of the notebook may republish its report (the report keeps its first publisher as owner).
  const existing = reports.latestForNotebook(notebookId);
  const knownGroups = new Set(
    db
      .select({ id: schema.groups.id })
      .from(schema.groups)
      .all()
      .map((g) => g.id),
  );
  const groups = input.visibility === "groups" ? [...new Set(input.groups)] : [];
  const unknown = groups.find((g) => !knownGroups.has(g));
  if (unknown) throw new PublishRefused(`Publish: group '${unknown}' does not exist.`);
  if (input.visibility === "groups" && groups.length === 0) throw new PublishRefused("Publish: choose at least one group.");

  // Pin the notebook as it is now: the cells are read from this snapshot, which is stored with the version.
  const state = services.collab.readState(notebookId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  // Linked cells (query library) run their library version's SQL, resolved with the PUBLISHER's visibility.
  const library =
    services.library ??
    createLibrary({ db, notebooks: services.notebooks, datasetSlugs: () => services.catalog.listDatasets().map((d) => d.slug) });
  const { cells, problems: linkProblems } = resolveLinkedCells(library, user, readCells(doc));
  for (const tile of input.tiles) {
    if (!cells.some((c) => c.id === tile.cellId))
      throw new PublishRefused(`Publish: no cell with id '${tile.cellId}' in the notebook.`);
  }

  // The publisher's datasets at their current versions; each file resolves once, so every tile sees the same version.
  const access = accessControl(services);
  const readable = services.catalog
    .listDatasets()
    .filter((d) => d.currentVersion !== null && access.datasetAccess(user, d).allowed);
  const pinned: Record<string, number> = {};
  const files = new Map<string, Promise<string>>();
  const fileFor = (slug: string) => {
    let file = files.get(slug);
    if (!file) {
      file = (async () => {
        const dataset = readable.find((d) => d.slug === slug);
        const version = dataset ? services.catalog.version(dataset.id, dataset.currentVersion as number) : undefined;
        if (!dataset || !version) throw new Error(`dataset \`${slug}\` has no published version you can read`);
        const readableVersion = await readableFile(services, user, dataset, version);
        if (!readableVersion.allowed) throw new Error(`you have no read access to dataset \`${slug}\``);
        pinned[slug] = version.version;
        return readableVersion.filePath;
      })();
      files.set(slug, file);
    }
    return file;
  };
  const runner = await createCellRunner({
    cells,
    linkProblems,
    datasetSlugs: readable.map((d) => d.slug),
    fileFor,
    chartWidth: (w) => CHART_WIDTHS[w],
    mapChart: (model, rows) => prepareMapChartFromDb(db, model, rows),
  });
  const defs = runner.inputDefinitions();
  const plan = planVariants(variantCandidates(defs), input.variants);
  if (!plan.ok) throw new PublishRefused(`Publish: ${plan.message}`);
  const defaults = defaultValues(plan.inputs);
  const defaultKey = variantKey(plan.inputs, defaults);
  const tiles: Tile[] = [];
  for (const [i, chosen] of input.tiles.entries()) {
    const cell = cells.find((c) => c.id === chosen.cellId);
    if (!cell) continue;
    const tile = await runner.tileFor(cell, `t${i + 1}`, chosen.width, defaults);
    if (
      runner.readsParameters(
        cell,
        plan.inputs.map((v) => v.name),
      )
    ) {
      // Each other combination, kept only where it differs from the default (most tiles ignore most inputs).
      const variants: Record<string, Tile> = {};
      const same = JSON.stringify(tile);
      for (const values of plan.combinations) {
        const key = variantKey(plan.inputs, values);
        if (key === defaultKey) continue;
        const variant = await runner.tileFor(cell, tile.id, chosen.width, values);
        if (JSON.stringify(variant) !== same) variants[key] = variant;
      }
      if (Object.keys(variants).length > 0) tile.variants = variants;
    }
    tiles.push(tile);
  }
  const layout: StoredLayout = {
    tiles: input.tiles.map((t, i) => ({ tileId: `t${i + 1}`, cellId: t.cellId, width: t.width })),
    inputs: plan.inputs,
    fixedInputs: fixedInputsOf(
      defs,
      plan.inputs.map((v) => v.name),
    ),
  };

  const linkToken = input.visibility === "link" ? (existing?.linkToken ?? newLinkToken()) : null;
  const reportId = existing?.id ?? `r_${randomBytes(12).toString("base64url")}`;
  const version = db.transaction((tx) => {
    if (existing) {
      tx.update(schema.reports)
        .set({ title: input.title, description: input.description || null, visibility: input.visibility, linkToken })
        .where(eq(schema.reports.id, reportId))
        .run();
    } else {
      tx.insert(schema.reports)
        .values({
          id: reportId,
          notebookId,
          ownerId: user.id,
          title: input.title,
          description: input.description || null,
          visibility: input.visibility,
          linkToken,
        })
        .run();
    }
    tx.delete(schema.reportGroups).where(eq(schema.reportGroups.reportId, reportId)).run();
    for (const groupId of groups) tx.insert(schema.reportGroups).values({ reportId, groupId }).run();
    const next = (existing?.currentVersion ?? 0) + 1;
    tx.insert(schema.reportVersions)
      .values({
        id: randomUUID(),
        reportId,
        version: next,
        notebookState: Buffer.from(state),
        datasetVersions: { ...pinned },
        layout,
        tiles,
        publishedBy: user.id,
      })
      .run();
    tx.update(schema.reports).set({ currentVersion: next }).where(eq(schema.reports.id, reportId)).run();
    return next;
  });
  // The new version and visibility change every page of this report: drop its rendered pages.
  reportPageCache.invalidateReport(reportId);
  services.audit.record({
    actor: user,
    action: "report.publish",
    target: reportId,
    detail: {
      notebookId,
      version,
      visibility: input.visibility,
      groups,
      datasets: pinned,
      variants: plan.inputs.map((v) => v.name),
      tiles: tiles.map((t) => ({ cellId: t.cellId, kind: t.kind, ...(t.error ? { error: t.error } : {}) })),
    },
    ip,
  });
  return { reportId, version, linkToken, tiles };
}
