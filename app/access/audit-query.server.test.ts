import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "../../db/index.ts";
import { auditCsvLine, auditPage, auditRows, csvField, parseAuditFilter } from "./audit-query.server.ts";

const database = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-audit-query-")));
const db = database.db;
const at = (iso: string) => new Date(iso);

beforeAll(() => {
  const rows = [
    { at: at("2025-03-01T10:00:00Z"), actorEmail: "admin@x.org", action: "grant.add", target: "malaria" },
    { at: at("2025-03-02T23:59:59Z"), actorEmail: "admin@x.org", action: "grant.remove", target: "malaria" },
    { at: at("2025-03-03T00:00:00Z"), actorEmail: "Ana@x.org", action: "grantee.odd", target: "x" },
    { at: at("2025-03-04T08:00:00Z"), actorEmail: "ana@x.org", action: "export", target: '=HYPERLINK("evil")' },
  ];
  for (const r of rows) db.insert(schema.auditLog).values(r).run();
});
afterAll(() => database.close());

describe("audit queries", () => {
  it("filters by action family, actor (case-insensitive substring) and whole UTC days", () => {
    const actions = (q: string) => auditPage(db, parseAuditFilter(new URLSearchParams(q))).rows.map((r) => r.action);
    // "grant" is grant.* — not grantee.odd.
    expect(actions("action=grant")).toEqual(["grant.remove", "grant.add"]);
    expect(actions("action=grant.add")).toEqual(["grant.add"]);
    expect(actions("actor=ANA@")).toEqual(["export", "grantee.odd"]);
    expect(actions("from=2025-03-02&to=2025-03-02")).toEqual(["grant.remove"]);
    expect(actions("from=2025-03-03")).toEqual(["export", "grantee.odd"]);
    // Nonsense in the query string is dropped, not guessed.
    expect(actions("from=yesterday&page=-3")).toHaveLength(4);
  });

  it("pages newest first and says whether an older page exists", () => {
    const first = auditPage(db, parseAuditFilter(new URLSearchParams("page=1")), 3);
    expect(first.rows.map((r) => r.action)).toEqual(["export", "grantee.odd", "grant.remove"]);
    expect(first.hasMore).toBe(true);
    const second = auditPage(db, parseAuditFilter(new URLSearchParams("page=2")), 3);
    expect(second.rows.map((r) => r.action)).toEqual(["grant.add"]);
    expect(second.hasMore).toBe(false);
    // The CSV reader walks every row in batches, whatever the batch size.
    expect([...auditRows(db, parseAuditFilter(new URLSearchParams()), 1)].map((r) => r.id)).toEqual([4, 3, 2, 1]);
  });

  it("writes CSV a spreadsheet cannot turn into a formula", () => {
    expect(csvField('=HYPERLINK("evil")')).toBe(`"'=HYPERLINK(""evil"")"`);
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField(null)).toBe("");
    const [row] = [...auditRows(db, parseAuditFilter(new URLSearchParams("action=export")))];
    expect(auditCsvLine(row)).toBe(`4,2025-03-04T08:00:00.000Z,ana@x.org,export,"'=HYPERLINK(""evil"")",,\r\n`);
  });
});
