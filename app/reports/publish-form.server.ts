/** The publish form: what it offers (cells, groups, the previous publish's choices) and how its fields become input. */
import * as Y from "yjs";
import { readCells } from "../../collab/index.ts";
import { createGroups } from "../access/groups.server.ts";
import type { Services } from "../services.server.ts";
import { inputDefinitionsOf } from "./cell-results.server.ts";
import { createReportStore } from "./store.server.ts";
import { TILE_WIDTHS, type TileWidth } from "./tiles.ts";
import { MAX_VARIANTS, variantCandidates } from "./variants.ts";

export function publishFormData(services: Pick<Services, "database" | "collab">, notebookId: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, services.collab.readState(notebookId));
  const notebookCells = readCells(doc);
  const cells = notebookCells.map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    preview: c.source.slice(0, 80),
  }));
  const report = createReportStore(services.database.db).latestForNotebook(notebookId);
  const previous = report?.currentVersion
    ? createReportStore(services.database.db).version(report.id, report.currentVersion)
    : undefined;
  const inputCount = notebookCells.filter((c) => c.kind === "input").length;
  return {
    cells,
    /** Select inputs that can be offered as variants; every other input is published at its default. */
    variantInputs: variantCandidates(inputDefinitionsOf(notebookCells)).map((v) => ({
      name: v.name,
      label: v.label,
      options: v.options.length,
    })),
    fixedInputCount: inputCount,
    maxVariants: MAX_VARIANTS,
    groups: createGroups(services.database.db)
      .list()
      .map((g) => ({ id: g.id, name: g.name })),
    report: report
      ? {
          id: report.id,
          title: report.title,
          description: report.description ?? "",
          visibility: report.visibility,
          version: report.currentVersion,
          groups: createReportStore(services.database.db).groupIdsOf(report.id),
          tiles: (previous?.tiles ?? []).map((t, i) => ({ cellId: t.cellId, width: t.width, order: i + 1 })),
          variants: (previous?.inputs ?? []).map((v) => v.name),
        }
      : null,
  };
}

/**
 * Form fields → publish input: `cell` (chosen ids), `order.<id>` (position), `width.<id>`, `group` (ids), `variant`
 * (input names offered on the report).
 */
export function publishInputFromForm(form: FormData) {
  const chosen = form.getAll("cell").map(String);
  const tiles = chosen
    .map((cellId, i) => {
      const order = Number.parseFloat(String(form.get(`order.${cellId}`) ?? ""));
      const width = String(form.get(`width.${cellId}`) ?? "full");
      return {
        cellId,
        width: ((TILE_WIDTHS as readonly string[]).includes(width) ? width : "full") as TileWidth,
        order: Number.isFinite(order) ? order : 1_000 + i,
        i,
      };
    })
    .sort((a, b) => a.order - b.order || a.i - b.i)
    .map(({ cellId, width }) => ({ cellId, width }));
  return {
    title: String(form.get("title") ?? ""),
    description: String(form.get("description") ?? ""),
    visibility: String(form.get("visibility") ?? ""),
    groups: form.getAll("group").map(String),
    variants: form.getAll("variant").map(String),
    tiles,
  };
}
