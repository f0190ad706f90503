/**
 * One measured export in its own process (so peak RSS belongs to it): `node --import tsx bench/export/case.ts <kind>
 * <rows>`. Kinds: drain (engine stream consumed, nothing written: the engine's share), csv / json / xlsx (kernel
 * exporters over the Node engine's stream, written to a temp file through a WritableStream: the browser's code),
 * native-csv / native-parquet (runNativeExport's COPY, body read to the end), stream-csv / stream-json / stream-xlsx (the
 * server's streamed download, app/exports/stream-export.server.ts, into a file), chromium-csv / chromium-xlsx (the
 * browser path in headless Chromium, chromium.ts: peak is Chromium's resident memory). Prints one JSON line.
 */
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { runNativeExport } from "../../app/exports/native-export.server.ts";
import { streamExport } from "../../app/exports/stream-export.server.ts";
import { NodeEngine } from "../../kernel/engine/node.ts";
import { exportCsv, exportJson, exportXlsx } from "../../kernel/exporters/index.ts";
import { chromiumExport } from "./chromium.ts";
import { benchSql } from "./data.ts";

const [kind, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

let peakHeap = 0;
let peakParts = {};
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.heapUsed + m.external + m.arrayBuffers > peakHeap)
    peakParts = { heap: mb(m.heapUsed), external: mb(m.external), array_buffers: mb(m.arrayBuffers) };
  peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
}, 50);

async function kernelExport(): Promise<{ rows: number; bytes: number }> {
  const engine = new NodeEngine();
  try {
    await engine.query("SELECT 1"); // engine start-up is not export time
    const started = performance.now();
    if (kind === "drain") {
      let n = 0;
      for await (const batch of engine.stream(benchSql(rows))) n += batch.rows.length;
      return report(started, n, 0);
    }
    const file = path.join(tmpdir(), `bench-export-${process.pid}.${kind}`);
    const sink = Writable.toWeb(createWriteStream(file)) as WritableStream<Uint8Array>;
    const exporter = kind === "csv" ? exportCsv : kind === "json" ? exportJson : exportXlsx;
    const summary = await exporter(engine.stream(benchSql(rows)), sink);
    const out = report(started, summary.rows, summary.bytes);
    await rm(file, { force: true });
    return out;
  } finally {
    await engine.close();
  }
}

async function nativeExport() {
  const started = performance.now();
  const result = await runNativeExport({
    sql: benchSql(rows),
    params: {},
    datasets: {},
    format: kind === "native-csv" ? "csv" : "parquet",
  });
  let bytes = 0;
  for await (const chunk of result.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  return report(started, result.rows, bytes);
}

async function serverStream() {
  const file = path.join(tmpdir(), `bench-export-${process.pid}.${kind}`);
  const started = performance.now();
  const summary = await streamExport(
    { sql: benchSql(rows), params: {}, datasets: {}, format: kind.slice("stream-".length) as "csv" | "json" | "xlsx" },
    Writable.toWeb(createWriteStream(file)) as WritableStream<Uint8Array>,
  );
  const out = report(started, summary.rows, summary.bytes);
  await rm(file, { force: true });
  return out;
}

let chromiumPeakMb = 0;
let chromiumIdleMb = 0;
let userAgent: string | undefined;
async function chromium() {
  const result = await chromiumExport(kind.slice("chromium-".length) as "csv" | "xlsx", rows);
  seconds = result.seconds;
  chromiumPeakMb = result.peakMb;
  chromiumIdleMb = result.idleMb;
  userAgent = result.userAgent;
  return { rows: result.rows, bytes: result.bytes };
}

let seconds = 0;
function report(started: number, n: number, bytes: number) {
  seconds = (performance.now() - started) / 1000;
  return { rows: n, bytes };
}

const result = kind.startsWith("native-")
  ? await nativeExport()
  : kind.startsWith("stream-")
    ? await serverStream()
    : kind.startsWith("chromium-")
      ? await chromium()
      : await kernelExport();
clearInterval(sampler);
if (result.rows !== rows) throw new Error(`${kind}: exported ${result.rows} rows, expected ${rows}`);
console.log(
  JSON.stringify({
    kind,
    rows,
    seconds: Math.round(seconds * 100) / 100,
    bytes: result.bytes,
    peak_rss_mb: kind.startsWith("chromium-") ? Math.round(chromiumPeakMb * 10) / 10 : mb(process.resourceUsage().maxRSS * 1024),
    ...(userAgent ? { chromium_idle_mb: Math.round(chromiumIdleMb * 10) / 10, user_agent: userAgent } : {}),
    peak_js_mb: mb(peakHeap),
    peak_js_parts_mb: peakParts,
  }),
);
