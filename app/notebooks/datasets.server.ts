import type { Catalog } from "../../connectors/core/catalog.ts";
import { datasetFileUrl } from "../datasets/file-route.server.ts";

/**
 * The datasets a notebook reader may attach: every published dataset, at its current version (the file route lets any
 * signed-in user read them until per-dataset grants exist; narrow this list and the route together).
 */
export function readableDatasets(catalog: Catalog): { slug: string; title: string; url: string }[] {
  return catalog
    .listDatasets()
    .filter((d) => d.currentVersion !== null)
    .map((d) => ({ slug: d.slug, title: d.title, url: datasetFileUrl(d.slug, d.currentVersion as number) }));
}
