import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installSyncXMLHttpRequest } from "../../connectors/publish/testing/sync-xhr.ts";
import { duckdb, openWasm } from "../../connectors/publish/testing/wasm-browser-runtime.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { grantDataset, seedHierarchy, spawnPipeline, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ANALYST, type RunningServer, startServer, tempDataDir } from "../helpers/server.ts";

const work = mkdtempSync(path.join(tmpdir(), "harmony-datasets-"));

/** Resolves once the CLI has created its run row (it prints "run <id>"). */
async function runStarted(run: ReturnType<typeof spawnPipeline>) {
  let output = "";
  run.child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  while (!/^run [\w-]+$/m.test(output)) {
    if (run.child.exitCode !== null) throw new Error(`the pipeline ended before starting a run:\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function countObservations(file: string): Promise<number> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${file}' AS d (READ_ONLY)`);
    const [row] = (await (await conn.runAndReadAll("SELECT count(*)::INTEGER AS n FROM d.observations")).getRowObjectsJson()) as {
      n: number;
    }[];
    return row.n;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("the pipeline CLI and the dataset file route", () => {
  let server: RunningServer;
  let client: HttpClient;
  let expectedTotal: number;
  const dataDir = tempDataDir();

  beforeAll(async () => {
    seedHierarchy(dataDir);
    const { specFile, expected } = writeMalariaSpec(work, "malaria", 6);
    expectedTotal = expected.confirmedTotal;
    const run = spawnPipeline(specFile, dataDir);
    const { code, output } = await run.done;
    expect(code, output).toBe(0);
    expect(output).toMatch(/succeeded: 912 rows in, 1824 observations, 0 rejected; published malaria v1/);
    server = await startServer({ dataDir });
    client = new HttpClient(server.url);
    await client.signIn(ANALYST.email, ANALYST.password);
    // Deny by default: the CLI-published dataset has no owner; without a grant the analyst is refused.
    expect((await client.request("/datasets/malaria/v/1.duckdb", { method: "HEAD" })).status).toBe(403);
    grantDataset(dataDir, "malaria", ANALYST.email);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("exits non-zero with located messages on a bad config", async () => {
    const { writeFileSync } = await import("node:fs");
    const bad = path.join(work, "bad.json");
    writeFileSync(bad, JSON.stringify({ dataset: { slug: "Bad Slug", title: "" } }));
    const { code, output } = await spawnPipeline(bad, dataDir).done;
    expect(code).toBe(2);
    expect(output).toContain("dataset.slug: must start with a letter");
    expect(output).toMatch(/source: /);
  });

  it("serves version files only to signed-in users, with HEAD, ranges, 416, ETag and immutable caching", async () => {
    const url = "/datasets/malaria/v/1.duckdb";
    expect((await fetch(`${server.url}${url}`)).status).toBe(401);
    expect((await client.request("/datasets/malaria/v/9.duckdb")).status).toBe(404);
    expect((await client.request("/datasets/nothing/v/1.duckdb")).status).toBe(404);

    const head = await client.request(url, { method: "HEAD", headers: { Range: "bytes=0-" } });
    expect(head.status).toBe(206);
    const size = Number(head.headers.get("content-length"));
    expect(size).toBeGreaterThan(10_000);
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    expect(head.headers.get("cache-control")).toContain("immutable");

    const part = await client.request(url, { headers: { Range: "bytes=0-99" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-99/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);

    const beyond = await client.request(url, { headers: { Range: `bytes=${size + 10}-${size + 20}` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${size}`);

    const full = await client.request(url);
    const etag = full.headers.get("etag");
    expect(etag).toBeTruthy();
    expect((await full.arrayBuffer()).byteLength).toBe(size);
    expect((await client.request(url, { headers: { "If-None-Match": etag as string } })).status).toBe(304);
  });

  it("is attached by DuckDB-WASM over HTTP range requests on the running server", async () => {
    const xhr = installSyncXMLHttpRequest(30_000, { headers: { Cookie: client.cookieHeader() } });
    try {
      const db = await openWasm();
      const conn = db.connect();
      conn.query("SET autoinstall_known_extensions=false");
      conn.query("SET autoload_known_extensions=false");
      db.registerFileURL("malaria.duckdb", `${server.url}/datasets/malaria/v/1.duckdb`, duckdb.DuckDBDataProtocol.HTTP, false);
      conn.query("ATTACH 'malaria.duckdb' AS malaria (READ_ONLY)");
      const table = conn.query(`
        SELECT l.level_2_name AS district, sum(o.value)::DOUBLE AS total
        FROM malaria.observations o JOIN malaria.locations l USING (location_id)
        WHERE o.field_id = 'malaria_confirmed' GROUP BY ALL ORDER BY district`);
      const rows = table.toArray().map((r) => r.toJSON() as { district: string; total: number });
      expect(rows).toHaveLength(13);
      expect(rows.reduce((s, r) => s + r.total, 0)).toBe(expectedTotal);
      conn.close();
      db.reset();
    } finally {
      await xhr.uninstall();
    }
  });
});

describe("atomic publish under a killed process", () => {
  it("keeps the previous version served and no partial version after kill -9 at random moments", async () => {
    const dataDir = tempDataDir();
    seedHierarchy(dataDir);
    const first = writeMalariaSpec(work, "atomic", 2);
    expect((await spawnPipeline(first.specFile, dataDir).done).code).toBe(0);
    // A much larger second version, killed at several moments of its run: the moments are fractions of how long a
    // whole run of it takes on this machine, measured first in another data directory.
    const second = writeMalariaSpec(work, "atomic", 12, 120);
    const measureDir = tempDataDir();
    seedHierarchy(measureDir);
    const measured = spawnPipeline(second.specFile, measureDir);
    await runStarted(measured);
    const started = Date.now();
    expect((await measured.done).code).toBe(0);
    const whole = Date.now() - started;
    let interrupted = 0;
    for (const delay of [0.1, 0.3, 0.5, 0.7].map((f) => Math.round(f * whole))) {
      const run = spawnPipeline(second.specFile, dataDir);
      await runStarted(run);
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill("SIGKILL");
      const { code } = await run.done;
      if (code === null) interrupted++;
      // Whatever the moment: every version the catalog lists has its complete file, and the current one is listed.
      const db = new Database(path.join(dataDir, "harmony.sqlite"), { readonly: true });
      const listed = db
        .prepare(
          "SELECT v.version, v.file_name AS file, v.rows, d.current_version AS current FROM datasets d JOIN dataset_versions v ON v.dataset_id = d.id WHERE d.slug = 'atomic' ORDER BY v.version",
        )
        .all() as { version: number; file: string; rows: number; current: number }[];
      db.close();
      expect(listed.map((v) => v.version)).toContain(listed[0].current);
      for (const v of listed)
        expect(await countObservations(path.join(dataDir, "datasets", v.file)), `v${v.version} after a kill at ${delay} ms`).toBe(
          v.rows,
        );
    }
    expect(interrupted, "at least one kill landed during a run").toBeGreaterThan(0);
    // The server's start cleans up the leftovers and marks the interrupted runs failed; v1 is still served.
    const server = await startServer({ dataDir });
    try {
      const slugDir = path.join(dataDir, "datasets", "atomic");
      const known = new Database(path.join(dataDir, "harmony.sqlite"), { readonly: true })
        .prepare("SELECT file_name AS f FROM dataset_versions")
        .all()
        .map((r) => path.basename((r as { f: string }).f));
      expect(readdirSync(slugDir).sort()).toEqual(known.sort());
      expect(existsSync(path.join(dataDir, "datasets", ".runs"))).toBe(false);
      const db = new Database(path.join(dataDir, "harmony.sqlite"), { readonly: true });
      const statuses = db.prepare("SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status").all();
      db.close();
      const count = (status: string) => (statuses as { status: string; n: number }[]).find((s) => s.status === status)?.n ?? 0;
      expect(count("running")).toBe(0);
      expect(count("failed")).toBe(interrupted);
      expect(interrupted).toBeGreaterThan(0);
      expect(count("failed") + count("succeeded")).toBe(5);
      const client = new HttpClient(server.url);
      await client.signIn(ANALYST.email, ANALYST.password);
      grantDataset(dataDir, "atomic", ANALYST.email);
      const res = await client.request(`/datasets/atomic/v/${known.length}.duckdb`, { method: "HEAD" });
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
