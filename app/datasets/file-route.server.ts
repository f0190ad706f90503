import path from "node:path";
import type { Request, Response } from "express";
import { sendFileWithRanges } from "../../connectors/publish/index.ts";
import type { RequestAuth } from "../auth/session-middleware.server.ts";
import type { Services } from "../services.server.ts";

/**
 * GET/HEAD `/datasets/:slug/v/:version.duckdb`: a published dataset version file for DuckDB-WASM, with Range, HEAD,
 * ETag and immutable caching (the URL changes with the version). Requires a session and a read grant; every signed-in
 * user may read for now (the access-control issue narrows this to grants and location slices).
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
    const filePath = path.join(services.catalog.datasetsDir, row.fileName);
    await sendFileWithRanges(req, res, filePath, {
      etag: `"${dataset.slug}-v${row.version}-${row.sizeBytes}"`,
      immutable: true,
      contentType: "application/octet-stream",
    });
  };
}

export function datasetFileUrl(slug: string, version: number): string {
  return `/datasets/${slug}/v/${version}.duckdb`;
}
