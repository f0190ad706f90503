import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { type GeometryQuery, geometryCollection } from "~/charts/map-locations.server";

/**
 * GET /locations/geometry.json?ids=a,b,c | ?name=Bo&name=Kenema | ?level=2 — the boundaries of workspace locations as a
 * GeoJSON FeatureCollection (properties: location_id, name, level), simplified for a choropleth. Signed-in users only
 * (anonymous: 401, a fetch from a chart cell must not be redirected to an HTML sign-in page). The hierarchy's names and
 * shapes are workspace metadata, not dataset rows, so no dataset grant is needed.
 */

const querySchema = z.union([
  z.object({ ids: z.array(z.string().min(1).max(100)).min(1) }),
  z.object({ names: z.array(z.string().min(1).max(300)).min(1) }),
  z.object({ level: z.coerce.number().int().min(1).max(20) }),
]);

function parseQuery(params: URLSearchParams): GeometryQuery | string {
  const ids = params.get("ids");
  const names = params.getAll("name");
  const level = params.get("level");
  const given = [ids !== null, names.length > 0, level !== null].filter(Boolean).length;
  if (given !== 1) return "give exactly one of ids=a,b,c, name=… (repeatable) or level=N";
  const candidate =
    ids !== null
      ? {
          ids: ids
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : names.length > 0
        ? { names: names.map((s) => s.trim()).filter(Boolean) }
        : { level };
  const parsed = querySchema.safeParse(candidate);
  if (parsed.success) return parsed.data as GeometryQuery;
  const issue = parsed.error.issues[0];
  return `${issue.path.join(".") || "query"}: ${issue.message}`;
}

const text = (message: string, status: number) =>
  new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

export function loader({ request, context }: LoaderFunctionArgs) {
  if (!context.auth.user) throw text("Sign in to read location boundaries.", 401);
  const query = parseQuery(new URL(request.url).searchParams);
  if (typeof query === "string") throw text(`Location boundaries: ${query}`, 400);
  const answer = geometryCollection(context.services.database.db, query);
  if (!answer.ok) throw text(`Location boundaries: ${answer.message}`, answer.status);
  return new Response(answer.body, {
    headers: {
      "Content-Type": "application/geo+json; charset=utf-8",
      "Cache-Control": "private, max-age=60",
      "X-Missing-Geometry": String(answer.collection.missing.length),
    },
  });
}
