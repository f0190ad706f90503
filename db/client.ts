import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema/index.ts";

export type Db = BetterSQLite3Database<typeof schema>;
export interface Database_ {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Opens (creating if needed) the metadata database in `dataDir`, with WAL so readers never wait for the writer,
 * foreign keys enforced, and a busy timeout so a concurrent writer (a pipeline CLI run) waits instead of failing.
 * Pending migrations are applied before anything else touches the database.
 */
export function openDatabase(dataDir: string, fileName = "harmony.sqlite"): Database_ {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(path.join(dataDir, fileName));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
