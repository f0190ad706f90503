import { describe, expect, it } from "vitest";
import { createExportTickets, type ExportPlan } from "./tickets.server.ts";

const plan: ExportPlan = {
  notebookId: "nb1",
  cellId: "c1",
  cellName: "cases",
  sql: "SELECT 1",
  params: {},
  datasets: [],
  format: "csv",
};
const me = { userId: "u1", sessionId: "s1" };

describe("export tickets", () => {
  it("are long random strings, used once by their holder", () => {
    const tickets = createExportTickets();
    const { ticket } = tickets.issue(me, plan);
    expect(ticket).toMatch(/^[\w-]{43}$/);
    expect(tickets.issue(me, plan).ticket).not.toBe(ticket);
    expect(tickets.take(ticket, me, "nb1")).toEqual(plan);
    expect(tickets.take(ticket, me, "nb1")).toBeNull();
  });

  it("refuse another user, another session and another notebook without being used up", () => {
    const tickets = createExportTickets();
    const { ticket } = tickets.issue(me, plan);
    expect(tickets.take(ticket, { userId: "u2", sessionId: "s1" }, "nb1")).toBeNull();
    expect(tickets.take(ticket, { userId: "u1", sessionId: "s2" }, "nb1")).toBeNull();
    expect(tickets.take(ticket, me, "nb2")).toBeNull();
    expect(tickets.take(ticket, me, "nb1")).toEqual(plan);
  });

  it("expire after their time to live, and expired ones are swept", () => {
    let now = 1_000;
    const tickets = createExportTickets({ ttlMs: 60_000, now: () => now });
    const { ticket, expiresAt } = tickets.issue(me, plan);
    expect(expiresAt).toBe(61_000);
    now = 60_999;
    const second = tickets.issue(me, plan).ticket;
    now = 61_000;
    expect(tickets.take(ticket, me, "nb1")).toBeNull();
    expect(tickets.size).toBe(1);
    expect(tickets.take(second, me, "nb1")).toEqual(plan);
  });

  it("keep at most 20 outstanding per user, dropping the oldest", () => {
    const tickets = createExportTickets();
    const first = tickets.issue(me, plan).ticket;
    for (let i = 0; i < 20; i++) tickets.issue(me, plan);
    expect(tickets.size).toBe(20);
    expect(tickets.take(first, me, "nb1")).toBeNull();
  });
});
