import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { runView } from "~/datasets/run-view.server";

/** JSON state of a run, polled by the run page's progress bar. */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const view = runView(context, params.runId ?? "", user);
  if (!view) throw new Response("Not Found", { status: 404 });
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
}
