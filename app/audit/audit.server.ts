import type { Db } from "../../db/index.ts";
import { schema } from "../../db/index.ts";

export interface AuditEntry {
  actor?: { id: string; email: string } | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Appends one entry to the audit log. The table refuses updates and deletes (see migration 0001). */
export function createAuditLog(db: Db) {
  return {
    record(entry: AuditEntry): void {
      db.insert(schema.auditLog)
        .values({
          at: new Date(),
          actorId: entry.actor?.id ?? null,
          actorEmail: entry.actor?.email ?? null,
          action: entry.action,
          target: entry.target ?? null,
          detail: entry.detail ?? null,
          ip: entry.ip ?? null,
        })
        .run();
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
