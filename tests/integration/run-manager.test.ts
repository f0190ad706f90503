/**
 * The app's run manager: a pipeline run in a child process of the CLI, followed by its progress, and cancelled the way the
 * run page's Cancel button does it. Cancelling publishes nothing and records the run as cancelled.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAccounts } from "../../app/auth/accounts.server.ts";
import { createRunManager } from "../../app/datasets/run-manager.server.ts";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { pipelineSpecSchema } from "../../connectors/core/pipeline-spec.ts";
import { openDatabase } from "../../db/index.ts";
import { seedHierarchy, writeMalariaSpec } from "../helpers/pipeline.ts";
import { tempDataDir } from "../helpers/server.ts";

describe("runs started by the app", () => {
  it("reports progress, and a cancel ends the run as cancelled with nothing published", async () => {
    const dataDir = tempDataDir();
    seedHierarchy(dataDir);
    const work = mkdtempSync(path.join(tmpdir(), "harmony-runs-"));
    const { specFile } = writeMalariaSpec(work, "cancelled", 12, 200);
    const spec = pipelineSpecSchema.parse(JSON.parse(readFileSync(specFile, "utf8")));
    const runs = createRunManager(dataDir);
    const setup = openDatabase(dataDir);
    const userId = await createAccounts(setup.db).create(
      { email: "runner@harmony.local", name: "Runner", role: "analyst" },
      "a-long-password",
    );
    setup.close();

    const run = runs.start(spec, { userId });
    const runId = await runs.started(run);
    expect(runId).toBeTruthy();
    await expect.poll(() => run.progress?.done ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(runs.cancel(runId as string)).toBe(true);
    const report = await run.done;
    expect(report.status).toBe("cancelled");
    expect(report.version).toBeNull();

    const database = openDatabase(dataDir);
    try {
      const catalog = createCatalog(database.db, path.join(dataDir, "datasets"));
      expect(catalog.run(runId as string)?.status).toBe("cancelled");
      expect(catalog.bySlug("cancelled")?.currentVersion).toBeNull();
      const slugDir = path.join(dataDir, "datasets", "cancelled");
      expect(existsSync(slugDir) ? readdirSync(slugDir).filter((f) => f.endsWith(".duckdb")) : []).toEqual([]);
    } finally {
      database.close();
    }
    // A finished run cannot be cancelled again.
    expect(runs.cancel(runId as string)).toBe(false);
  });
});
