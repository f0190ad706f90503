import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { createGrants } from "../../app/access/grants.server.ts";
import { grantToWorkspace } from "../../app/access/workspace-group.server.ts";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { repoRoot } from "./server.ts";
import { MALARIA_FIELDS, MALARIA_MAPPING, sierraLeoneHierarchy, writeMalariaCsv } from "./sierra-leone.ts";

/** Loads the Sierra Leone hierarchy into a data directory's catalog (as the hierarchy import would). */
export function seedHierarchy(dataDir: string) {
  const database = openDatabase(dataDir);
  const hierarchy = sierraLeoneHierarchy();
  createCatalog(database.db, path.join(dataDir, "datasets")).replaceHierarchy(hierarchy);
  database.close();
  return hierarchy;
}

/** Writes a malaria CSV and its pipeline spec (for `npm run pipeline`) into `dir`. */
export function writeMalariaSpec(dir: string, slug: string, months: number, years = 1) {
  const hierarchy = sierraLeoneHierarchy();
  const csv = path.join(dir, `${slug}-${months}-${years}.csv`);
  const expected = writeMalariaCsv(csv, hierarchy, { months, years });
  const specFile = path.join(dir, `${slug}-${months}-${years}.json`);
  writeFileSync(
    specFile,
    JSON.stringify({
      dataset: { slug, title: `Malaria (${months} months × ${years} years)` },
      source: { kind: "csv", config: { path: csv, name: path.basename(csv) } },
      mapping: MALARIA_MAPPING,
      fields: MALARIA_FIELDS,
    }),
  );
  return { specFile, expected };
}

/** Runs the pipeline CLI as a child process, the way cron would. */
export function spawnPipeline(
  specFile: string,
  dataDir: string,
): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts/pipeline.ts"), specFile], {
    cwd: repoRoot,
    env: { ...process.env, HARMONY_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, output })),
  );
  return { child, done };
}

/**
 * Grants read access to dataset `slug` (deny by default, app/access): to the user with `email` (who must exist: call it
 * after the server created the accounts), or to "workspace", a group of every existing user. `locationPaths` restricts
 * the grant to location subtrees. Written straight to the SQLite file; the server decides afresh on each request.
 */
export function grantDataset(dataDir: string, slug: string, to: string, locationPaths: string[] | null = null) {
  const database = openDatabase(dataDir);
  try {
    const dataset = database.db.select().from(schema.datasets).where(eq(schema.datasets.slug, slug)).get();
    if (!dataset) throw new Error(`grantDataset: no dataset ${slug} in ${dataDir}`);
    const grants = createGrants(database.db);
    if (to === "workspace") {
      // The Workspace group of every user (created and filled as the demo does), without granting any dataset yet.
      const groupId = grantToWorkspace(database.db, []);
      return grants.add({ datasetId: dataset.id, grantee: { groupId }, locationPaths, createdBy: null }).id;
    }
    const user = database.db.select().from(schema.users).where(eq(schema.users.email, to)).get();
    if (!user) throw new Error(`grantDataset: no user ${to} in ${dataDir} (start the server first)`);
    return grants.add({ datasetId: dataset.id, grantee: { userId: user.id }, locationPaths, createdBy: null }).id;
  } finally {
    database.close();
  }
}

/**
 * Seeds the hierarchy and publishes a malaria dataset into `dataDir` with the CLI, before the server starts; returns the
 * published version file's path (for comparing what the server serves with the file itself).
 */
export async function publishMalaria(dataDir: string, work: string, slug = "malaria", months = 3): Promise<string> {
  seedHierarchy(dataDir);
  const { specFile } = writeMalariaSpec(work, slug, months);
  const { code, output } = await spawnPipeline(specFile, dataDir).done;
  if (code !== 0) throw new Error(`the pipeline failed (${code}):\n${output}`);
  const database = openDatabase(dataDir);
  try {
    const catalog = createCatalog(database.db, path.join(dataDir, "datasets"));
    const dataset = catalog.bySlug(slug);
    const version = catalog.version(dataset?.id ?? "", dataset?.currentVersion ?? 0);
    if (!version) throw new Error(`dataset ${slug} has no published version`);
    return path.join(catalog.datasetsDir, version.fileName);
  } finally {
    database.close();
  }
}
