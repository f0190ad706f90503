import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditCsvStream, parseAuditFilter } from "~/access/audit-query.server";
import { requireRole } from "~/auth/guards.server";

/** GET /admin/audit.csv?action=…&actor=…&from=…&to=… — the filtered audit log as CSV, streamed; admins only. */
export function loader({ request, context }: LoaderFunctionArgs) {
  const admin = requireRole(request, context, ["admin"]);
  const filter = parseAuditFilter(new URL(request.url).searchParams);
  const { page: _page, ...criteria } = filter;
  context.services.audit.record({ actor: admin, action: "audit.export", detail: criteria, ip: context.clientIp });
  return new Response(auditCsvStream(context.services.database.db, filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="harmony-audit-log.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
