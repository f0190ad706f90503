import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./client.ts";

describe("openDatabase", () => {
  it("creates the data directory, migrates, and sets WAL, foreign keys and a busy timeout", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "harmony-db-")), "nested", "data");
    const { sqlite, close } = openDatabase(dir);
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["users", "sessions", "groups", "group_members", "audit_log"]),
    );
    close();
    // Opening again applies no migration twice.
    openDatabase(dir).close();
  });

  it("enforces foreign keys and keeps the audit log append-only", () => {
    const { sqlite, close } = openDatabase(mkdtempSync(path.join(tmpdir(), "harmony-db-")));
    expect(() =>
      sqlite.prepare("INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES ('s', 'nobody', 1, 1)").run(),
    ).toThrow(/FOREIGN KEY/);
    sqlite.prepare("INSERT INTO audit_log (at, action) VALUES (1, 'test')").run();
    expect(() => sqlite.prepare("UPDATE audit_log SET action = 'changed'").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare("DELETE FROM audit_log").run()).toThrow(/append-only/);
    expect(sqlite.prepare("SELECT count(*) AS n FROM audit_log").get()).toEqual({ n: 1 });
    close();
  });
});
