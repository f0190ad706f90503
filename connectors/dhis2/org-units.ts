/**
 * The DHIS2 org unit tree as the workspace's canonical location hierarchy: ids, codes, names, levels with their names,
 * parents, uid paths and geometry when present. Fetched page by page so a country with 10,000 facilities stays cheap.
 */
import type { LocationRow } from "../core/types.ts";
import type { Dhis2Client } from "./client.ts";

export interface Dhis2OrgUnit {
  id: string;
  code: string | null;
  name: string;
  level: number;
  levelName: string;
  parent: string | null;
  /** DHIS2's uid path, "/ImspTQPwCqd/O6uvpzGd5pu". Names may contain "/", so names are never used as paths. */
  path: string;
  geometry: unknown | null;
}

export interface OrgUnitHierarchy {
  levels: { level: number; name: string }[];
  orgUnits: Dhis2OrgUnit[];
}

export interface HierarchyOptions {
  /** Subtree roots; default: the whole tree. */
  roots?: string[];
  /** Deepest level to include (1 = country). */
  maxLevel?: number;
  pageSize?: number;
  onPage?: (count: number, url: string) => void;
}

export async function fetchOrgUnitHierarchy(client: Dhis2Client, options: HierarchyOptions = {}): Promise<OrgUnitHierarchy> {
  const levels = (await client.listOrgUnitLevels())
    .map((l) => ({ level: l.level, name: l.displayName ?? l.name }))
    .sort((a, b) => a.level - b.level);
  const levelName = new Map(levels.map((l) => [l.level, l.name]));
  const levelFilter = options.maxLevel ? [`level:le:${options.maxLevel}`] : [];
  const roots = options.roots?.length ? options.roots : [undefined];
  const byId = new Map<string, Dhis2OrgUnit>();
  for (const root of roots) {
    const units = await client.listOrgUnits({
      fields: "id,code,name,displayName,level,path,parent[id],geometry",
      filters: [...levelFilter, ...(root ? [`path:like:${root}`] : [])],
      pageSize: options.pageSize,
      onPage: (items, url) => options.onPage?.(items.length, url),
    });
    for (const u of units) {
      // path:like also matches units whose path merely contains the id elsewhere; keep true descendants only.
      if (root && !String(u.path).split("/").includes(root)) continue;
      byId.set(u.id, {
        id: u.id,
        code: u.code ?? null,
        name: u.name ?? u.displayName ?? u.id,
        level: u.level,
        levelName: levelName.get(u.level) ?? `Level ${u.level}`,
        parent: u.parent?.id ?? null,
        path: u.path,
        geometry: u.geometry ?? null,
      });
    }
  }
  const orgUnits = [...byId.values()].sort((a, b) => a.level - b.level || a.path.localeCompare(b.path));
  return { levels, orgUnits };
}

/** The base format's `locations` rows (DESIGN.md) for a fetched hierarchy. */
export function toLocationRows(hierarchy: OrgUnitHierarchy): LocationRow[] {
  return hierarchy.orgUnits.map((o) => ({
    location_id: o.id,
    code: o.code,
    name: o.name,
    level: o.level,
    level_name: o.levelName,
    parent_id: o.parent,
    path: o.path,
    geometry: o.geometry ? JSON.stringify(o.geometry) : null,
  }));
}
