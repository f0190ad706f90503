import type { LoaderFunctionArgs } from "@remix-run/node";
import { readableFile } from "~/access/dataset-files.server";
import { requireUser } from "~/auth/guards.server";
import { adxSliceStream, parseAdxSlice } from "~/dhis2/adx-export.server";

/**
 * GET /datasets/:slug/export/adx?fields=…&periods=…&locations=… — the current version's slice as ADX, streamed.
 * Readers of the dataset may export (as with the dataset file itself: a restricted reader exports their slice); a
 * dataset they cannot read is a 404, as on its page. Every export is in the audit log.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const { catalog, audit } = context.services;
  const dataset = catalog.bySlug(params.slug ?? "");
  const version = dataset?.currentVersion ? catalog.version(dataset.id, dataset.currentVersion) : undefined;
  if (!dataset || !version) throw new Response("Not Found", { status: 404 });
  const file = await readableFile(context.services, user, dataset, version);
  if (!file.allowed) throw new Response("Not Found", { status: 404 });
  let slice: ReturnType<typeof parseAdxSlice>;
  try {
    slice = parseAdxSlice(new URL(request.url).searchParams);
  } catch (error) {
    return new Response(error instanceof Error ? error.message : "Bad Request", { status: 400 });
  }
  const slug = dataset.slug;
  const body = adxSliceStream(file.filePath, slice, (summary, error) => {
    audit.record({
      actor: user,
      action: "dataset.export.adx",
      target: slug,
      detail: { rows: summary?.values ?? 0, version: version.version, ...slice, ...(error ? { error: String(error) } : {}) },
      ip: context.clientIp,
    });
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/adx+xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${slug}-v${version.version}.adx.xml"`,
      "Cache-Control": "private, no-store",
    },
  });
}
