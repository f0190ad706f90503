import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { issueExportTicket } from "~/exports/ticket-request.server";

/**
 * POST /notebooks/:id/export-tickets — a one-time, one-minute download ticket for a SQL cell's full result, streamed
 * by GET /notebooks/:id/export/:ticket (server.ts → app/exports/download-route.server.ts). Body: {cellId, format,
 * params}. Readers of the notebook only; anonymous → sign-in; cross-site POSTs are refused before Remix.
 */
export function action({ request, params, context }: ActionFunctionArgs) {
  return issueExportTicket(request, context, params.id ?? "");
}

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return issueExportTicket(request, context, params.id ?? "");
}
