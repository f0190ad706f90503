/**
 * (Re)builds the workspace's location hierarchy from a DHIS2 server's org units: ids, codes, names, levels and their
 * names, parents, uid paths and geometry. DHIS2 data then matches by id, and other sources match by name against it.
 * The replacement is one transaction: readers see the old hierarchy or the new one, never half of each.
 */
import type { Catalog } from "../../connectors/core/catalog.ts";
import type { LocationRow } from "../../connectors/core/types.ts";
import { type Dhis2Auth, Dhis2Client, fetchOrgUnitHierarchy, toLocationRows } from "../../connectors/dhis2/index.ts";
import type { Db } from "../../db/index.ts";
import { unsealSourceAuth } from "./sources.server.ts";

export interface OrgUnitImportOptions {
  baseUrl: string;
  auth: Dhis2Auth;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Subtree roots; default: the whole tree. */
  roots?: string[];
  /** Deepest level to import (1 = country); default: every level. */
  maxLevel?: number;
}

export interface OrgUnitImportResult {
  locations: number;
  levels: { level: number; name: string; count: number }[];
}

export function summarizeHierarchy(rows: readonly LocationRow[]): OrgUnitImportResult {
  const levels = new Map<number, { level: number; name: string; count: number }>();
  for (const r of rows) {
    const l = levels.get(r.level) ?? { level: r.level, name: r.level_name, count: 0 };
    l.count++;
    levels.set(r.level, l);
  }
  return { locations: rows.length, levels: [...levels.values()].sort((a, b) => a.level - b.level) };
}

export async function importOrgUnits(catalog: Catalog, options: OrgUnitImportOptions): Promise<OrgUnitImportResult> {
  const client = new Dhis2Client({
    baseUrl: options.baseUrl,
    auth: options.auth,
    fetch: options.fetch ?? globalThis.fetch,
    signal: options.signal,
  });
  const hierarchy = await fetchOrgUnitHierarchy(client, { roots: options.roots, maxLevel: options.maxLevel });
  const rows = toLocationRows(hierarchy);
  if (rows.length === 0) {
    throw new Error(`DHIS2 at ${options.baseUrl} returned no org units: the hierarchy was left as it was`);
  }
  // A unit whose parent was not fetched (outside the roots or level range) would dangle: it becomes a root only if it
  // is at the top of what was asked for; otherwise it is a sign the tree is incomplete.
  const ids = new Set(rows.map((r) => r.location_id));
  const top = Math.min(...rows.map((r) => r.level));
  const orphans = rows.filter((r) => r.level > top && (r.parent_id === null || !ids.has(r.parent_id)));
  if (orphans.length > 0) {
    const sample = orphans.slice(0, 3).map((o) => `${o.name} (${o.location_id})`);
    throw new Error(
      `DHIS2 at ${options.baseUrl}: ${orphans.length} org units have a parent that was not returned (${sample.join(", ")}); the hierarchy was left as it was`,
    );
  }
  catalog.replaceHierarchy(rows);
  return summarizeHierarchy(rows);
}

/** The same, for a saved DHIS2 source: its URL from the stored spec, its credentials unsealed on the server. */
export async function importOrgUnitsForSource(
  deps: { db: Db; catalog: Catalog; dataDir: string; fetch?: typeof fetch },
  sourceId: string,
  options: { maxLevel?: number } = {},
): Promise<OrgUnitImportResult> {
  const source = deps.catalog.source(sourceId);
  const config = (source?.config as { source?: { kind?: string; config?: { baseUrl?: string } } } | undefined)?.source;
  if (!source || config?.kind !== "dhis2" || !config.config?.baseUrl) throw new Error(`source ${sourceId} is not a DHIS2 source`);
  const auth = unsealSourceAuth(deps.db, deps.dataDir, sourceId);
  if (!auth) throw new Error(`source ${source.name} has no stored credentials: enter them again`);
  return importOrgUnits(deps.catalog, { baseUrl: config.config.baseUrl, auth, fetch: deps.fetch, maxLevel: options.maxLevel });
}
