import path from "node:path";
import type { Request, Response } from "express";
import { sendFileWithRanges } from "../../connectors/publish/index.ts";
import { readableFile } from "../access/dataset-files.server.ts";
import type { RequestAuth } from "../auth/session-middleware.server.ts";
import type { Services } from "../services.server.ts";

/**
 * GET/HEAD `/datasets/:slug/v/:version.duckdb`: a published dataset version file for DuckDB-WASM, with Range, HEAD,
 * ETag and caching. Requires a session and read access (app/access: admin, owner or a grant; deny by default), decided
 * afresh on every request so a removed grant stops the very next range read. Users restricted to location subtrees get
 * the slice file holding only those rows (built on first request, cached per version × restriction).
 */
export function datasetFileRoute(services: Services) {
  return async (req: Request, res: Response) => {
    const auth = res.locals.auth as RequestAuth | undefined;
    if (!auth?.user) {
      res.status(401).type("text/plain").send("Sign in to read dataset files.");
      return;
    }
    const { slug, version } = req.params as { slug: string; version: string };
    const dataset = services.catalog.bySlug(slug);
    const row = dataset ? services.catalog.version(dataset.id, Number(version)) : undefined;
    if (!dataset || !row) {
      res.status(404).type("text/plain").send(`No dataset version ${slug} v${version}.`);
      return;
    }
    const file = await readableFile(services, auth.user, dataset, row);
    if (!file.allowed) {
      res.status(403).type("text/plain").send(`You have no read access to dataset ${slug}.`);
      return;
    }
    const restricted = file.locationPaths !== null;
    await sendFileWithRanges(req, res, file.filePath, {
      etag: restricted
        ? `"${dataset.slug}-v${row.version}-${file.accessKey}-${path.basename(file.filePath, ".duckdb")}"`
        : `"${dataset.slug}-v${row.version}-${row.sizeBytes}"`,
      // A slice's URL is the version's URL: it must be revalidated (ETag) so a changed restriction is never mixed with
      // cached ranges of another file. The whole file of a version never changes.
      immutable: !restricted,
      contentType: "application/octet-stream",
    });
  };
}

/** The file URL; `accessKey` (see app/access) makes the URL change when a reader's restriction changes. */
export function datasetFileUrl(slug: string, version: number, accessKey?: string): string {
  const base = `/datasets/${slug}/v/${version}.duckdb`;
  return accessKey && accessKey !== "all" ? `${base}?access=${accessKey}` : base;
}
