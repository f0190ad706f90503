import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDuckDB } from "./duckdb.ts";
import { cleanupLeftovers, publishVersion } from "./publish-version.ts";
import { sampleDataset } from "./testing/sample-dataset.ts";
import { writeDatasetFile } from "./write-dataset.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const childScript = fileURLToPath(new URL("./testing/publish-child.ts", import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "publish-version-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const small = sampleDataset({ facilitiesPerDistrict: 1, fieldCount: 1, months: 2 });
const writeSmall = (tmpPath: string) =>
  writeDatasetFile(tmpPath, { observations: small.observationBatches(), locations: small.locations, fields: small.fields });

async function countObservations(file: string): Promise<number> {
  const db = await openDuckDB();
  try {
    await db.connection.run(`ATTACH '${file}' AS ds (READ_ONLY)`);
    const rows = (await db.connection.runAndReadAll("SELECT count(*) AS n FROM ds.observations")).getRowsJS();
    return Number(rows[0][0]);
  } finally {
    db.close();
  }
}

describe("publishVersion", () => {
  it("renames a complete file into place, then commits", async () => {
    let committed = "";
    const published = await publishVersion({
      datasetsDir: dir,
      slug: "malaria",
      version: 1,
      write: writeSmall,
      commit: (file) => {
        // At commit time the file is already complete and in its final place.
        committed = file;
        expect(existsSync(file)).toBe(true);
      },
    });
    expect(published.filePath).toBe(path.join(dir, "malaria", "v1.duckdb"));
    expect(committed).toBe(published.filePath);
    expect(readdirSync(path.join(dir, "malaria"))).toEqual(["v1.duckdb"]);
    expect(await countObservations(published.filePath)).toBe(small.observationCount);
  });

  it("removes the version file when the commit fails, and the temp file when writing fails", async () => {
    await expect(
      publishVersion({
        datasetsDir: dir,
        slug: "malaria",
        version: 1,
        write: writeSmall,
        commit: () => {
          throw new Error("UNIQUE constraint failed: dataset_versions");
        },
      }),
    ).rejects.toThrow("UNIQUE constraint failed");
    expect(readdirSync(path.join(dir, "malaria"))).toEqual([]);

    await expect(
      publishVersion({
        datasetsDir: dir,
        slug: "malaria",
        version: 1,
        commit: () => {},
        write: async (tmp) => {
          writeFileSync(tmp, "half a file");
          throw new Error("source went away");
        },
      }),
    ).rejects.toThrow("source went away");
    expect(readdirSync(path.join(dir, "malaria"))).toEqual([]);
  });

  it("never overwrites a published version and rejects unsafe slugs", async () => {
    await publishVersion({ datasetsDir: dir, slug: "malaria", version: 1, write: writeSmall, commit: () => {} });
    await expect(
      publishVersion({ datasetsDir: dir, slug: "malaria", version: 1, write: writeSmall, commit: () => {} }),
    ).rejects.toThrow("already exists");
    await expect(
      publishVersion({ datasetsDir: dir, slug: "../etc", version: 1, write: writeSmall, commit: () => {} }),
    ).rejects.toThrow("dataset slug '../etc'");
    expect(readdirSync(path.join(dir, "malaria"))).toEqual(["v1.duckdb"]);
  });
});

describe("cleanupLeftovers", () => {
  it("removes temp files, uncommitted versions and their slices, keeps what the catalog knows", async () => {
    const slugDir = path.join(dir, "malaria");
    mkdirSync(path.join(slugDir, "slices"), { recursive: true });
    for (const name of ["v1.duckdb", "v2.duckdb", ".tmp-abc.duckdb", ".tmp-abc.duckdb.wal", "v2.duckdb.wal", "notes.txt"]) {
      writeFileSync(path.join(slugDir, name), "x");
    }
    mkdirSync(path.join(slugDir, ".tmp-abc.duckdb.spill"));
    for (const name of ["v1-0a1b.duckdb", "v2-0a1b.duckdb", ".tmp-1.duckdb"]) {
      writeFileSync(path.join(slugDir, "slices", name), "x");
    }
    const removed = await cleanupLeftovers(dir, ["malaria/v1.duckdb"]);
    expect(removed.map((f) => path.relative(slugDir, f)).sort()).toEqual(
      [
        ".tmp-abc.duckdb",
        ".tmp-abc.duckdb.spill",
        ".tmp-abc.duckdb.wal",
        "slices/.tmp-1.duckdb",
        "slices/v2-0a1b.duckdb",
        "v2.duckdb",
        "v2.duckdb.wal",
      ].sort(),
    );
    expect(readdirSync(slugDir).sort()).toEqual(["notes.txt", "slices", "v1.duckdb"]);
    expect(readdirSync(path.join(slugDir, "slices"))).toEqual(["v1-0a1b.duckdb"]);
    // A sweep with an age margin leaves fresh files alone (a publish may be between rename and commit).
    writeFileSync(path.join(slugDir, "v3.duckdb"), "x");
    expect(await cleanupLeftovers(dir, ["malaria/v1.duckdb"], { minAgeMs: 60_000 })).toEqual([]);
  });
});

function runChild(datasetsDir: string, version: number, facilities: number, pause = "") {
  // Node itself with tsx's loader (not `npx tsx`, whose wrapper would take the SIGKILL while the writer lives on).
  const child = spawn(
    process.execPath,
    ["--import", "tsx", childScript, datasetsDir, String(version), String(facilities), pause],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  let pending = "";
  let stderr = "";
  // Chunks may split lines: keep the unfinished tail until its newline arrives.
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    const parts = (pending + text).split("\n");
    pending = parts.pop() ?? "";
    lines.push(...parts.filter(Boolean));
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const reached = (line: string) =>
    new Promise<void>((resolve) => {
      const check = () => (lines.includes(line) ? resolve() : setTimeout(check, 5));
      check();
    });
  return { child, lines, exited, started: reached("start"), reached, stderr: () => stderr };
}

function kill(child: ChildProcess) {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
}

describe("publish under kill -9", () => {
  it("keeps the previous version intact and leaves nothing partial visible after cleanup", async () => {
    const facilities = 120;
    // Calibrate: how long a full publish takes in the child, so kill moments spread over all of it.
    const calibration = runChild(path.join(dir, "calibration"), 1, facilities);
    await calibration.started;
    const t0 = performance.now();
    expect(await calibration.exited, calibration.stderr()).toBe(0);
    const duration = performance.now() - t0;
    const expectedRows = Number(calibration.lines.at(-1)?.split(" ")[1]);

    const datasetsDir = path.join(dir, "datasets");
    const catalogFile = path.join(datasetsDir, "catalog.json");
    const first = runChild(datasetsDir, 1, facilities);
    expect(await first.exited, first.stderr()).toBe(0);
    const v1 = path.join(datasetsDir, "crash", "v1.duckdb");

    const phases: string[] = [];
    const kills = 5;
    // Kills 0..kills-1 at random moments spread over [0, duration] (slot i, random inside the slot); the last one
    // deterministically in the narrow window after the rename, before the catalog commit.
    for (let i = 0; i <= kills; i++) {
      const betweenRenameAndCommit = i === kills;
      const run = runChild(datasetsDir, i + 2, facilities, betweenRenameAndCommit ? "pause-in-commit" : "");
      if (betweenRenameAndCommit) {
        await run.reached("committing");
        expect(existsSync(path.join(datasetsDir, "crash", `v${i + 2}.duckdb`))).toBe(true);
      } else {
        await run.started;
        await new Promise((resolve) => setTimeout(resolve, ((i + Math.random()) / kills) * duration));
      }
      kill(run.child);
      await run.exited;
      phases.push(run.lines.at(-1) ?? "none");

      const catalog: string[] = JSON.parse(readFileSync(catalogFile, "utf8")).files;
      await cleanupLeftovers(datasetsDir, catalog);
      const visible = readdirSync(path.join(datasetsDir, "crash")).sort();
      expect(visible).toEqual(catalog.map((f) => path.basename(f)).sort());
      expect(await countObservations(v1)).toBe(expectedRows);
      for (const file of catalog) expect(await countObservations(path.join(datasetsDir, file))).toBe(expectedRows);
    }
    // Which phase each kill interrupted (start/writing/written/committed/done), for the log.
    console.info(`publish kill -9 phases (full publish ${Math.round(duration)} ms): ${phases.join(", ")}`);
  }, 120_000);
});
