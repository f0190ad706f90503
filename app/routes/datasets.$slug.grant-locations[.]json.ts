import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { accessControl } from "~/access/access.server";
import { searchLocations } from "~/access/location-search";
import { forbidden, requireUser } from "~/auth/guards.server";

const query = z.object({
  q: z.string().max(200).default(""),
  level: z.coerce.number().int().min(0).max(20).optional(),
});

/**
 * GET /datasets/:slug/grant-locations.json?q=bo&level=3 — the grant picker's typeahead: locations of any level whose name
 * matches, with their ancestors' names. For those who manage the dataset's grants (admin, owner); other readers get 403,
 * and to anyone who may not read it the dataset does not exist (404), as on its page.
 */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const dataset = context.services.catalog.bySlug(params.slug ?? "");
  const access = accessControl(context.services);
  if (!dataset || !access.datasetAccess(user, dataset).allowed) throw new Response("Not Found", { status: 404 });
  if (!access.mayManageGrants(user, dataset)) throw forbidden("Only an admin or the dataset's owner can change its grants.");
  const url = new URL(request.url);
  const parsed = query.safeParse({ q: url.searchParams.get("q") ?? "", level: url.searchParams.get("level") || undefined });
  if (!parsed.success) {
    return new Response(`grant-locations: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`, {
      status: 400,
    });
  }
  const matches = searchLocations(context.services.catalog.hierarchy(), { ...parsed.data, limit: 30 });
  return Response.json({ matches }, { headers: { "Cache-Control": "private, no-store" } });
}
