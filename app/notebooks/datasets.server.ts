import type { Catalog } from "../../connectors/core/catalog.ts";
import type { Db } from "../../db/index.ts";
import { accessControl } from "../access/access.server.ts";
import { accessKeyOf } from "../access/dataset-files.server.ts";
import type { PolicyUser } from "../access/policy.ts";
import { datasetFileUrl } from "../datasets/file-route.server.ts";

export interface AttachableDataset {
  slug: string;
  title: string;
  url: string;
}

/**
 * The datasets `user` may attach in a notebook, at their current version: only those they have read access to (deny by
 * default, app/access). A restricted reader's URL carries their restriction's key, so the browser never reuses cached
 * ranges of another file after their access changes; the file route serves them the slice either way.
 */
export function attachableDatasets(services: { catalog: Catalog; database: { db: Db } }, user: PolicyUser): AttachableDataset[] {
  const access = accessControl(services);
  return services.catalog.listDatasets().flatMap((d) => {
    if (d.currentVersion === null) return [];
    const decision = access.datasetAccess(user, d);
    if (!decision.allowed) return [];
    return [{ slug: d.slug, title: d.title, url: datasetFileUrl(d.slug, d.currentVersion, accessKeyOf(decision.locationPaths)) }];
  });
}
