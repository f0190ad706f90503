import { rm } from "node:fs/promises";
import path from "node:path";
import { createCatalog } from "../connectors/core/catalog.ts";
import { RUNS_SCRATCH_DIR } from "../connectors/core/runner.ts";
import { cleanupLeftovers } from "../connectors/publish/index.ts";
import { openDatabase } from "../db/index.ts";
import { createSliceSweeper } from "./access/slice-sweeper.server.ts";
import { createAuditLog } from "./audit/audit.server.ts";
import { createAccounts } from "./auth/accounts.server.ts";
import { ensureFirstAccounts } from "./auth/first-start.server.ts";
import { LoginLimiter } from "./auth/login-limiter.server.ts";
import { createSessions } from "./auth/sessions.server.ts";
import type { Config } from "./config.server.ts";
import { createRunManager } from "./datasets/run-manager.server.ts";
import { seedSampleNotebook } from "./demo/sample.server.ts";
import { seedDemoWorkspace } from "./demo/seed.server.ts";
import { createExportTickets } from "./exports/tickets.server.ts";
import { createLibrary } from "./library/service.server.ts";
import { createNotebookCollab } from "./notebooks/collab.server.ts";
import { createNotebookStore } from "./notebooks/store.server.ts";

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
  const catalog = createCatalog(database.db, path.join(config.dataDir, "datasets"));
  // Nothing can be publishing yet: a crash may have left temp files, a version file the catalog never committed, or a
  // run marked running. The previous versions stay served.
  catalog.failInterruptedRuns();
  await cleanupLeftovers(catalog.datasetsDir, catalog.knownVersionFiles());
  await rm(path.join(catalog.datasetsDir, RUNS_SCRATCH_DIR), { recursive: true, force: true });
  // Row-level access slices of replaced versions and changed grants: swept now, after each change, and periodically.
  const slices = createSliceSweeper({ database, catalog });
  await slices.sweep();
  if (config.demoData) await seedDemoWorkspace({ catalog, database, config }, log);
  const notebooks = createNotebookStore(database.db);
  // The co-editing server for /collab/:notebookId (server.ts routes the upgrades); on services so that revoking access,
  // disabling a user or signing out can close that user's sockets (collab.closeUserSockets).
  const collab = createNotebookCollab({ db: database.db, sessions, notebooks, trustProxy: config.trustProxy });
  // The sample notebook and report need the demo datasets (above) and the collab server that stores notebook content.
  if (config.demoData) await seedSampleNotebook({ database, catalog, notebooks, collab, audit }, log);
  // The query library; its "used by" scan reads notebook documents from the collab persistence.
  const library = createLibrary({
    db: database.db,
    notebooks,
    datasetSlugs: () => catalog.listDatasets().map((d) => d.slug),
  });
  return {
    config,
    database,
    accounts,
    sessions,
    audit,
    limiter,
    catalog,
    runs: createRunManager(config.dataDir, () => slices.schedule()),
    notebooks,
    collab,
    library,
    /** One-time download tickets of streamed exports (app/exports); shared by the Remix route and server.ts. */
    exportTickets: createExportTickets(),
    /** Deletes unreachable slice files (app/access); `schedule()` after a grant, membership or version change. */
    slices,
    close() {
      void slices.close();
      database.close();
    },
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;
