/**
 * One-time download tickets for streamed exports (docs/decisions/0012-streamed-exports.md). The page POSTs what it
 * wants (same-origin only: the cross-site guard refuses other origins' POSTs), gets a ticket, and navigates to
 * GET /notebooks/:id/export/:ticket, a plain download the browser streams to disk. A ticket is 256 random bits, lives
 * one minute, is bound to the user AND session that asked for it and to its notebook, and is used once: a leaked URL
 * is worthless to anyone else and soon to everyone.
 *
 * Kept in memory: one Node process serves the app (DESIGN.md decision 3), and a ticket that dies with a restart
 * costs one click.
 */
import { randomBytes } from "node:crypto";
import type { ParamValue } from "./native-export.server.ts";
import type { StreamFormat } from "./stream-export.server.ts";

export interface TicketHolder {
  userId: string;
  sessionId: string;
}

export interface ExportPlan {
  notebookId: string;
  cellId: string;
  /** The cell's name, for the file name and the audit log. */
  cellName: string;
  /** The cell's SQL with its upstream cells inlined; values stay `$name` and are bound. */
  sql: string;
  params: Record<string, ParamValue>;
  /** Slugs the SQL reads; resolved to the user's files again at download time (access is re-checked then). */
  datasets: string[];
  format: StreamFormat;
}

interface Ticket {
  holder: TicketHolder;
  plan: ExportPlan;
  expiresAt: number;
}

export const TICKET_TTL_MS = 60_000;
/** Outstanding tickets per user: enough for several tabs, bounded so a loop cannot fill memory. */
const MAX_PER_USER = 20;

export function createExportTickets(options: { ttlMs?: number; now?: () => number } = {}) {
  const ttl = options.ttlMs ?? TICKET_TTL_MS;
  const now = options.now ?? Date.now;
  const tickets = new Map<string, Ticket>();

  const sweep = () => {
    const t = now();
    for (const [id, ticket] of tickets) if (ticket.expiresAt <= t) tickets.delete(id);
  };

  return {
    issue(holder: TicketHolder, plan: ExportPlan): { ticket: string; expiresAt: number } {
      sweep();
      const mine = [...tickets.entries()].filter(([, t]) => t.holder.userId === holder.userId);
      // The oldest outstanding ticket of this user gives way.
      if (mine.length >= MAX_PER_USER) tickets.delete(mine[0][0]);
      const ticket = randomBytes(32).toString("base64url");
      const expiresAt = now() + ttl;
      tickets.set(ticket, { holder, plan, expiresAt });
      return { ticket, expiresAt };
    },

    /**
     * The ticket's plan, once: null when it does not exist, expired, was used, or belongs to another user, session or
     * notebook. Only the holder's own request uses it up, so someone else's attempt cannot spoil the holder's download.
     */
    take(ticket: string, holder: TicketHolder, notebookId: string): ExportPlan | null {
      const found = tickets.get(ticket);
      if (!found) return null;
      if (found.expiresAt <= now()) {
        tickets.delete(ticket);
        return null;
      }
      if (found.holder.userId !== holder.userId || found.holder.sessionId !== holder.sessionId) return null;
      if (found.plan.notebookId !== notebookId) return null;
      tickets.delete(ticket);
      return found.plan;
    },

    get size() {
      sweep();
      return tickets.size;
    },
  };
}

export type ExportTickets = ReturnType<typeof createExportTickets>;
