/**
 * Writes the benchmark's long CSV, the way a DHIS2 or HMIS export of facility data looks:
 *   District,Chiefdom,Facility,Period,Data element,Value
 *   "Bokama District","Lusata","Rimoto CHC",202001,"ANC 1st visit (fixed site)",7
 * one row per facility × month × data element, location names as strings, deterministic for a seed, streamed to disk
 * chunk by chunk (10M rows are ~750 MB: never built in memory). A `.meta.json` beside it records what it holds, so a
 * later run reuses it instead of writing it again, and checks the pipeline's output against the row count and value sum.
 *
 * `node --import tsx bench/pipeline/generate.ts [--quick] [--out file.csv]`
 */
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BenchSize,
  benchFields,
  benchHierarchy,
  benchPeriods,
  FULL_SIZE,
  QUICK_SIZE,
  rowCount,
  seededRandom,
} from "./shape.ts";

/** Bump when the generated content changes, so old files on disk are rewritten rather than reused. */
const GENERATOR_VERSION = 2;
const CHUNK_CHARS = 1 << 20;

export const DATA_DIR = fileURLToPath(new URL("../.data/", import.meta.url));

export interface GeneratedCsv {
  csvPath: string;
  size: BenchSize;
  rows: number;
  /** Sum of every value written: the published dataset must hold the same total. */
  valueSum: number;
  bytes: number;
  columns: string[];
  generatorVersion: number;
  /** Seconds spent writing it (0 when an existing file was reused). */
  seconds: number;
}

export const COLUMNS = ["District", "Chiefdom", "Facility", "Period", "Data element", "Value"];

export function defaultCsvPath(size: BenchSize): string {
  return path.join(DATA_DIR, `pipeline-${size.facilities}x${size.months}x${size.fields}-s${size.seed}.csv`);
}

/** Returns the CSV for this size, writing it unless a complete one from the same generator is already there. */
export async function ensureCsv(size: BenchSize, csvPath = defaultCsvPath(size)): Promise<GeneratedCsv> {
  const metaPath = `${csvPath}.meta.json`;
  if (existsSync(csvPath) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as GeneratedCsv;
    const same = meta.generatorVersion === GENERATOR_VERSION && JSON.stringify(meta.size) === JSON.stringify(size);
    if (same && statSync(csvPath).size === meta.bytes) return { ...meta, csvPath, seconds: 0 };
  }
  const generated = await writeCsv(size, csvPath);
  // The meta file is written last: a file interrupted half-way has none and is rewritten next time.
  writeFileSync(metaPath, `${JSON.stringify(generated, null, 2)}\n`);
  return generated;
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export async function writeCsv(size: BenchSize, csvPath: string): Promise<GeneratedCsv> {
  const started = performance.now();
  mkdirSync(path.dirname(csvPath), { recursive: true });
  const { facilities } = benchHierarchy(size);
  const fields = benchFields(size);
  const periods = benchPeriods(size);
  // A separate stream from the hierarchy's, so adding a field does not reshuffle the places.
  const random = seededRandom(size.seed ^ 0x5eed);
  const elementCells = fields.map((f) => quote(f.definition.name));
  // Many exports name districts with their type word; the hierarchy does not ("Bokama"): matched by normalized name.
  const placeCells = facilities.map((f) => `${quote(`${f.district} District`)},${quote(f.chiefdom)},${quote(f.location.name)},`);
  // Facilities differ in size (a hospital sees far more than a post) and months in season (malaria peaks mid-year).
  const facilityScale = facilities.map(() => 0.3 + random() * 1.7);
  const seasonal = periods.map((_, i) => 1 + 0.35 * Math.sin(((i % 12) - 3) * (Math.PI / 6)));

  const out = createWriteStream(csvPath, { highWaterMark: CHUNK_CHARS });
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, "drain"), failed]);
  };
  let chunk = `${COLUMNS.join(",")}\n`;
  let rows = 0;
  let valueSum = 0;
  for (let f = 0; f < facilities.length; f++) {
    const place = placeCells[f];
    for (let p = 0; p < periods.length; p++) {
      const prefix = `${place}${periods[p]},`;
      const scale = facilityScale[f] * seasonal[p];
      for (let e = 0; e < fields.length; e++) {
        const value = Math.floor(fields[e].typical * scale * (0.5 + random()) + random() * 0.999);
        chunk += `${prefix}${elementCells[e]},${value}\n`;
        valueSum += value;
        rows++;
      }
      if (chunk.length >= CHUNK_CHARS) {
        await write(chunk);
        chunk = "";
      }
    }
  }
  await write(chunk);
  out.end();
  await Promise.race([once(out, "finish"), failed]);
  if (rows !== rowCount(size)) throw new Error(`generator: wrote ${rows} rows, expected ${rowCount(size)}`);
  return {
    csvPath,
    size,
    rows,
    valueSum,
    bytes: statSync(csvPath).size,
    columns: COLUMNS,
    generatorVersion: GENERATOR_VERSION,
    seconds: (performance.now() - started) / 1000,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const size = args.includes("--quick") ? QUICK_SIZE : FULL_SIZE;
  const outAt = args.indexOf("--out");
  const csvPath = outAt >= 0 ? path.resolve(args[outAt + 1]) : defaultCsvPath(size);
  const generated = await ensureCsv(size, csvPath);
  const mb = (generated.bytes / 1e6).toFixed(0);
  console.log(
    `${generated.csvPath}: ${generated.rows.toLocaleString("en")} rows, ${mb} MB` +
      (generated.seconds > 0 ? `, written in ${generated.seconds.toFixed(1)} s` : " (already there, reused)"),
  );
}
