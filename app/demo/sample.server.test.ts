/**
 * The sample's guards (the happy path and restarts run against the real server in tests/integration/demo.test.ts):
 * without the demo datasets nothing is created and the reason is logged; a failure while building is logged and never
 * stops the server from starting.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { createAuditLog } from "../audit/audit.server.ts";
import { createAccounts } from "../auth/accounts.server.ts";
import { createNotebookStore } from "../notebooks/store.server.ts";
import type { Services } from "../services.server.ts";
import { seedSampleNotebook } from "./sample.server.ts";

function services(collab: Partial<Services["collab"]>) {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "harmony-sample-guard-")), "data");
  const database = openDatabase(dataDir);
  const catalog = createCatalog(database.db, path.join(dataDir, "datasets"));
  return {
    database,
    catalog,
    notebooks: createNotebookStore(database.db),
    audit: createAuditLog(database.db),
    collab: collab as Services["collab"],
  };
}

describe("seedSampleNotebook", () => {
  it("creates nothing without the demo datasets and says which are missing", async () => {
    const deps = services({});
    const lines: string[] = [];
    const result = await seedSampleNotebook(deps, (l) => lines.push(l));
    expect(result.skipped).toBe(
      "sample notebook skipped: demo dataset(s) demo_anc_facilities, demo_anc_national_monthly not published",
    );
    expect(lines).toEqual([result.skipped]);
    expect(deps.database.db.select().from(schema.notebooks).all()).toEqual([]);
    deps.database.close();
  });

  /** The datasets' catalog rows are all the guard reads of them before the notebook is written. */
  function withDatasetsPublished(deps: ReturnType<typeof services>) {
    const bySlug = deps.catalog.bySlug;
    deps.catalog.bySlug = (slug: string) => ({ ...(bySlug(slug) ?? ({} as never)), currentVersion: 1 });
  }

  it("creates nothing without the demo analyst to own it", async () => {
    const deps = services({});
    withDatasetsPublished(deps);
    const lines: string[] = [];
    const result = await seedSampleNotebook(deps, (l) => lines.push(l));
    expect(result.skipped).toBe("sample notebook skipped: the demo analyst analyst@harmony.local does not exist or is disabled");
    expect(deps.database.db.select().from(schema.notebooks).all()).toEqual([]);
    deps.database.close();
  });

  it("logs a failure instead of throwing, so the server still starts", async () => {
    const deps = services({
      readState: () => {
        throw new Error("collab store unavailable");
      },
    });
    withDatasetsPublished(deps);
    await createAccounts(deps.database.db).create(
      { email: "analyst@harmony.local", name: "Demo Analyst", role: "analyst" },
      "harmony-analyst",
    );
    const lines: string[] = [];
    const result = await seedSampleNotebook(deps, (l) => lines.push(l));
    expect(result.skipped).toBe("sample notebook not built: collab store unavailable");
    expect(lines).toEqual([result.skipped]);
    // Rolled back with the failure: the next start builds the sample instead of finding an empty one.
    expect(deps.database.db.select().from(schema.notebooks).all()).toEqual([]);
    deps.database.close();
  });
});
