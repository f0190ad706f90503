import { openDatabase } from "../db/index.ts";
import { createAuditLog } from "./audit/audit.server.ts";
import { createAccounts } from "./auth/accounts.server.ts";
import { ensureFirstAccounts } from "./auth/first-start.server.ts";
import { LoginLimiter } from "./auth/login-limiter.server.ts";
import { createSessions } from "./auth/sessions.server.ts";
import type { Config } from "./config.server.ts";

/**
 * Everything stateful the app needs, created once by server.ts and handed to Remix as load context, so the Remix bundle
 * and the server share one database connection.
 */
export async function createServices(config: Config, log: (line: string) => void = console.log) {
  const database = openDatabase(config.dataDir);
  const accounts = createAccounts(database.db);
  const sessions = createSessions(database.db, config.session);
  const audit = createAuditLog(database.db);
  const limiter = new LoginLimiter(config.login);
  await ensureFirstAccounts(config, accounts, log);
  await sessions.deleteExpired();
  return {
    config,
    database,
    accounts,
    sessions,
    audit,
    limiter,
    close() {
      database.close();
    },
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;
