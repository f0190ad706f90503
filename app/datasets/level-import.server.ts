import type { AppLoadContext } from "@remix-run/node";
import { connectorFor } from "../../connectors/core/registry.ts";
import type { RawRecord } from "../../connectors/core/types.ts";
import { hierarchyFromLevelTable, type LevelColumn } from "../../connectors/harmonize/locations/index.ts";
import { uploadKind } from "./uploads.server.ts";

const SUFFIX = / (id|code|uid)$/i;

/**
 * Derives level columns from a table of levels: every column is a level from the root down, named by its header, except
 * "<Level> code" / "<Level> id" columns, which carry that level's codes or ids.
 */
export function levelColumnsOf(columns: string[]): LevelColumn[] {
  const levels: LevelColumn[] = columns.filter((c) => !SUFFIX.test(c.trim())).map((c) => ({ column: c, levelName: c.trim() }));
  for (const c of columns) {
    const m = SUFFIX.exec(c.trim());
    if (!m) continue;
    const level = levels.find((l) => l.levelName.toLowerCase() === c.trim().slice(0, m.index).toLowerCase());
    if (!level) continue;
    if (m[1].toLowerCase() === "code") level.codeColumn = c;
    else level.idColumn = c;
  }
  return levels;
}

/** Replaces the workspace hierarchy with the one in an uploaded table of levels. Refuses a table that yields nothing. */
export async function importLevelTable(context: AppLoadContext, upload: { storedPath: string; fileName: string }) {
  const kind = uploadKind(upload.fileName);
  const records: RawRecord[] = [];
  const warnings: string[] = [];
  const batches = connectorFor(kind).extract(
    { path: upload.storedPath, name: upload.fileName },
    {
      signal: new AbortController().signal,
      fetch,
      tempDir: "",
      report: (issue) => warnings.push(issue.message),
      progress: () => {},
    },
  );
  for await (const batch of batches) records.push(...batch.records);
  if (records.length === 0) throw new Error(`${upload.fileName}: the table has no rows`);
  const columns = Object.keys(records[0].values);
  const { locations, issues } = hierarchyFromLevelTable(records, levelColumnsOf(columns));
  if (locations.length === 0)
    throw new Error(`${upload.fileName}: no location could be read (${issues[0]?.message ?? "no level columns"})`);
  context.services.catalog.replaceHierarchy(locations);
  return { count: locations.length, warnings: [...warnings, ...issues.map((i) => i.message)].slice(0, 50) };
}
