/**
 * Child process for the crash test: publishes one version of dataset `crash` and records it in a JSON "catalog"
 * (standing in for the SQLite transaction). The parent kills it with SIGKILL at random moments.
 * Usage: node --import tsx publish-child.ts <datasetsDir> <version> <facilitiesPerDistrict> [pause-in-commit]
 * With `pause-in-commit` the commit waits before recording, so the parent can kill between rename and commit.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { publishVersion } from "../publish-version.ts";
import { writeDatasetFile } from "../write-dataset.ts";
import { sampleDataset } from "./sample-dataset.ts";

const [datasetsDir, versionText, facilitiesText, pause] = process.argv.slice(2);
const version = Number(versionText);
const data = sampleDataset({ facilitiesPerDistrict: Number(facilitiesText), fieldCount: 5, months: 24 });
const catalogFile = path.join(datasetsDir, "catalog.json");

process.stdout.write("start\n");
await publishVersion({
  datasetsDir,
  slug: "crash",
  version,
  write: async (tmpPath) => {
    process.stdout.write("writing\n");
    await writeDatasetFile(tmpPath, { observations: data.observationBatches(), locations: data.locations, fields: data.fields });
    process.stdout.write("written\n");
  },
  commit: async (filePath) => {
    if (pause === "pause-in-commit") {
      process.stdout.write("committing\n");
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    }
    const catalog = existsSync(catalogFile) ? JSON.parse(readFileSync(catalogFile, "utf8")) : { files: [] };
    catalog.files.push(path.relative(datasetsDir, filePath));
    writeFileSync(`${catalogFile}.tmp`, JSON.stringify(catalog));
    renameSync(`${catalogFile}.tmp`, catalogFile);
    process.stdout.write("committed\n");
  },
});
process.stdout.write(`done ${data.observationCount}\n`);
