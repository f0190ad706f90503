import { and, desc, eq, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/index.ts";
import { schema } from "../../db/index.ts";
import { csvField as quotedField } from "../../kernel/exporters/csv.ts";
import { neutraliseFormula } from "../../kernel/exporters/formula.ts";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .or(z.literal("").transform(() => undefined));

/** The audit page's filters, from its query string (zod at the boundary; bad values are dropped, not guessed). */
export const auditFilterSchema = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  from: day.catch(undefined),
  to: day.catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function parseAuditFilter(params: URLSearchParams): AuditFilter {
  return auditFilterSchema.parse(Object.fromEntries(params));
}

export interface AuditRow {
  id: number;
  at: Date;
  actorEmail: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

function where(filter: AuditFilter, beforeId?: number): SQL | undefined {
  const a = schema.auditLog;
  const parts: (SQL | undefined)[] = [];
  // "grant" finds grant.add and grant.remove; "grant.add" finds exactly that.
  if (filter.action)
    parts.push(
      or(eq(a.action, filter.action), sql`substr(${a.action}, 1, ${filter.action.length + 1}) = ${`${filter.action}.`}`),
    );
  if (filter.actor) parts.push(sql`instr(lower(${a.actorEmail}), ${filter.actor.toLowerCase()}) > 0`);
  // Dates are whole UTC days: "to" includes its day.
  if (filter.from) parts.push(gte(a.at, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) parts.push(lt(a.at, new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000)));
  if (beforeId !== undefined) parts.push(lte(a.id, beforeId - 1));
  return parts.length ? and(...parts) : undefined;
}

export const AUDIT_PAGE_SIZE = 50;

/** One page of the log, newest first, and whether an older page exists. */
export function auditPage(db: Db, filter: AuditFilter, pageSize = AUDIT_PAGE_SIZE): { rows: AuditRow[]; hasMore: boolean } {
  const rows = db
    .select()
    .from(schema.auditLog)
    .where(where(filter))
    .orderBy(desc(schema.auditLog.id))
    .limit(pageSize + 1)
    .offset((filter.page - 1) * pageSize)
    .all();
  return { rows: rows.slice(0, pageSize) as AuditRow[], hasMore: rows.length > pageSize };
}

/** The distinct actions in the log, for the filter's suggestions. */
export function auditActions(db: Db): string[] {
  return db
    .selectDistinct({ action: schema.auditLog.action })
    .from(schema.auditLog)
    .orderBy(schema.auditLog.action)
    .all()
    .map((r) => r.action);
}

/** Every matching row, newest first, read in batches by id so a large log never sits in memory. */
export function* auditRows(db: Db, filter: AuditFilter, batch = 1000): Generator<AuditRow> {
  let beforeId: number | undefined;
  for (;;) {
    const rows = db
      .select()
      .from(schema.auditLog)
      .where(where(filter, beforeId))
      .orderBy(desc(schema.auditLog.id))
      .limit(batch)
      .all() as AuditRow[];
    yield* rows;
    if (rows.length < batch) return;
    beforeId = rows[rows.length - 1].id;
  }
}

/** A CSV field: quoted when needed, and a leading = + - @ neutralized so a spreadsheet never runs it as a formula. */
export function csvField(value: string | null): string {
  return quotedField(value === null ? null : neutraliseFormula(value));
}

export const AUDIT_CSV_HEADER = "id,at,actor,action,target,detail,ip\r\n";

export function auditCsvLine(row: AuditRow): string {
  return `${[
    String(row.id),
    row.at.toISOString(),
    row.actorEmail,
    row.action,
    row.target,
    row.detail ? JSON.stringify(row.detail) : null,
    row.ip,
  ]
    .map(csvField)
    .join(",")}\r\n`;
}

/** The filtered log as a streamed CSV body. */
export function auditCsvStream(db: Db, filter: AuditFilter): ReadableStream<Uint8Array> {
  const rows = auditRows(db, filter);
  const encoder = new TextEncoder();
  let headerSent = false;
  return new ReadableStream({
    pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(AUDIT_CSV_HEADER));
        return;
      }
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += auditCsvLine(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}
