import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleDataset, sampleValue } from "./testing/sample-dataset.ts";
import { installSyncXMLHttpRequest } from "./testing/sync-xhr.ts";
import { openWasm } from "./testing/wasm-browser-runtime.ts";
import { writeDatasetFile } from "./write-dataset.ts";

/**
 * The key integration: a file written by native DuckDB, served by sendFileWithRanges over real HTTP, ATTACHed by
 * DuckDB-WASM 1.32 read-only with full HTTP reads forbidden, answering a GROUP BY with range reads only.
 *
 * DuckDB-WASM's blocking Node build cannot read HTTP files itself (its Node runtime has no HTTP protocol), so the test
 * runs the package's own browser runtime (BROWSER_RUNTIME: synchronous XHR, HEAD probe, range GETs — the code the
 * notebook runs in its worker) on top of a synchronous XMLHttpRequest stand-in (testing/sync-xhr.ts).
 */
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const serveScript = fileURLToPath(new URL("./testing/serve-file.ts", import.meta.url));

interface LogEntry {
  event: string;
  port?: number;
  method?: string;
  range?: string | null;
  status?: number;
  contentLength?: number;
  bytes?: number;
}

let dir: string;
let file: string;
let server: ChildProcess;
let baseUrl: string;
const log: LogEntry[] = [];
// 2,400 facilities × 6 fields × 60 months = 864k rows: each field spans several row groups, so a field filter can skip.
const data = sampleDataset({ facilitiesPerDistrict: 400, fieldCount: 6, months: 60 });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "publish-wasm-"));
  file = path.join(dir, "v1.duckdb");
  await writeDatasetFile(file, { observations: data.observationBatches(), locations: data.locations, fields: data.fields });
  server = spawn(process.execPath, ["--import", "tsx", serveScript, file, "malaria-v1"], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let pending = "";
  server.stdout?.setEncoding("utf8").on("data", (text: string) => {
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line) log.push(JSON.parse(line));
  });
  const port = await waitFor(() => log.find((e) => e.event === "listening")?.port);
  baseUrl = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(() => {
  if (server?.pid !== undefined && server.exitCode === null) process.kill(server.pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the file server child");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("DuckDB-WASM attaches a published dataset file over HTTP ranges", () => {
  it("answers a GROUP BY with the expected sums, reading less than the file", async () => {
    const xhr = installSyncXMLHttpRequest();
    let rows: Array<{ district: string; total: number; n: number }>;
    try {
      const db = await openWasm();
      const conn = db.connect();
      conn.query("SET autoinstall_known_extensions=false");
      conn.query("SET autoload_known_extensions=false");
      db.registerFileURL("malaria.duckdb", `${baseUrl}/datasets/malaria/v1`, duckdb.DuckDBDataProtocol.HTTP, false);
      conn.query("ATTACH 'malaria.duckdb' AS malaria (READ_ONLY)");
      const table = conn.query(`
        SELECT l.district, sum(o.value)::DOUBLE AS total, count(*)::INTEGER AS n
        FROM malaria.observations o JOIN malaria.locations l USING (location_id)
        WHERE o.field_id = 'F3' AND o.period_start >= DATE '2023-01-01'
        GROUP BY ALL ORDER BY l.district`);
      rows = table.toArray().map((r) => r.toJSON() as { district: string; total: number; n: number });
      conn.close();
      db.reset();
    } finally {
      await xhr.uninstall();
    }

    const expected = new Map<string, { total: number; n: number }>();
    const byId = new Map(data.locations.map((l) => [l.location_id, l]));
    for (const facility of data.locations.filter((l) => l.level === 4)) {
      const district = byId.get(facility.parent_id as string)?.name as string;
      const entry = expected.get(district) ?? { total: 0, n: 0 };
      for (let m = 36; m < 60; m++) {
        entry.total += sampleValue(facility.location_id, 2, m);
        entry.n++;
      }
      expected.set(district, entry);
    }
    expect(rows).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)).map(([district, e]) => ({ district, ...e })));

    await fetch(`${baseUrl}/__done`);
    await waitFor(() => (log.some((e) => e.event === "done") ? true : undefined));
    const responses = log.filter((e) => e.event === "response");
    const size = statSync(file).size;
    const sent = responses.reduce((sum, e) => sum + (e.bytes ?? 0), 0);
    console.info(
      `dataset file ${size} bytes; DuckDB-WASM made ${responses.length} requests, server sent ${sent} bytes ` +
        `(${((100 * sent) / size).toFixed(1)}%)`,
    );
    // The open probe: HEAD with Range: bytes=0- answered 206 with the full length.
    expect(responses[0]).toMatchObject({ method: "HEAD", range: "bytes=0-", status: 206, contentLength: size });
    // Every read is a range read: no full download.
    for (const r of responses.filter((e) => e.method === "GET")) {
      expect(r.status).toBe(206);
      expect(r.range).toMatch(/^bytes=\d+-\d+$/);
    }
    expect(sent).toBeLessThan(size);
  }, 120_000);
});
