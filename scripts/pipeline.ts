/**
 * `npm run pipeline -- <config.json> [--json] [--preview]`: runs a pipeline spec headless (for cron), with the same runner
 * and catalog as the app (which starts its runs through this script, one child process per run, so a long harmonization
 * never blocks the server and a cancel is a signal). `--preview` harmonizes and reports unmatched locations, writing nothing. Prints progress; exits 1 when the run fails or is cancelled, 2 when the config is invalid.
 * Relative file paths in the config are resolved from the config file's folder.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../app/config.server.ts";
import { withSealedCredentials } from "../app/dhis2/sources.server.ts";
import { createCatalog } from "../connectors/core/catalog.ts";
import { pipelineSpecSchema } from "../connectors/core/pipeline-spec.ts";
import { runRecorded } from "../connectors/core/run-recorded.ts";
import { openDatabase } from "../db/index.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const preview = args.includes("--preview");
const configPath = args.find((a) => !a.startsWith("--"));
if (!configPath) {
  console.error("usage: npm run pipeline -- <config.json> [--json] [--preview]");
  process.exit(2);
}

function readSpec(file: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`${file}: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  }
  const parsed = pipelineSpecSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    process.exit(2);
  }
  const spec = parsed.data;
  if (
    (spec.source.kind === "csv" || spec.source.kind === "excel" || spec.source.kind === "adx") &&
    !path.isAbsolute(spec.source.config.path)
  ) {
    spec.source.config.path = path.resolve(path.dirname(file), spec.source.config.path);
  }
  return spec;
}

const spec = readSpec(path.resolve(configPath));
const config = loadConfig();
const database = openDatabase(config.dataDir);
// DHIS2 credentials live sealed in the database, never in the spec file: unsealed here, for this run only.
const runSpec = withSealedCredentials(spec, database.db, config.dataDir, process.env.HARMONY_RUN_SOURCE_ID || null);
const catalog = createCatalog(database.db, path.join(config.dataDir, "datasets"));
const controller = new AbortController();
process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());

let lastPrint = 0;
const report = await runRecorded(runSpec, {
  catalog,
  mode: preview ? "preview" : "publish",
  triggeredBy: process.env.HARMONY_RUN_USER_ID || null,
  sourceId: process.env.HARMONY_RUN_SOURCE_ID || null,
  signal: controller.signal,
  onStarted: ({ runId }) => (json ? console.log(JSON.stringify({ event: "started", runId })) : console.log(`run ${runId}`)),
  onProgress: (p) => {
    if (json) return console.log(JSON.stringify({ event: "progress", ...p }));
    if (Date.now() - lastPrint < 500) return;
    lastPrint = Date.now();
    console.log(`${p.phase}: ${p.done.toLocaleString("en")}${p.message ? ` — ${p.message}` : ""}`);
  },
});
database.close();

if (json) {
  console.log(JSON.stringify({ event: "finished", ...report, issues: report.issues.slice(0, 50), unmatched: report.unmatched }));
} else {
  for (const issue of report.issues.slice(0, 20)) console.log(`${issue.severity}: ${issue.message}`);
  if (report.issueCount > 20) console.log(`… and ${report.issueCount - 20} more issues (see the run record)`);
  if (report.unmatched.distinctValues > 0) {
    console.log(`${report.unmatched.totalRows} rows with ${report.unmatched.distinctValues} unmatched location values:`);
    for (const e of report.unmatched.entries.slice(0, 20))
      console.log(`  ${e.value}${e.parent ? ` (in ${e.parent})` : ""}: ${e.count} rows`);
  }
  console.log(
    `${report.status}: ${report.rowsIn} rows in, ${report.rowsOut} observations, ${report.rowsRejected} rejected` +
      (report.version ? `; published ${spec.dataset.slug} v${report.version}` : "") +
      (report.error ? `\n${report.error}` : ""),
  );
}
process.exit(report.status === "succeeded" ? 0 : 1);
