/**
 * Who may read which rows of a dataset (DESIGN.md security model). Pure: the grants come in, the decision goes out, so
 * the rule is tested without a database and read fresh on every request (no cached decisions: revocation is immediate).
 */
import type { Role } from "../../db/roles.ts";

export type DatasetAccess = { allowed: false } | { allowed: true; locationPaths: string[] | null };

export interface PolicyUser {
  id: string;
  role: Role;
}

export interface PolicyDataset {
  ownerId: string | null;
}

/**
 * "/C1/R2/" → "/C1/R2"; sorted, deduplicated, and a path below another one dropped ("/C1/R2/D3" is inside "/C1/R2"),
 * so one restriction has one spelling (it names the cached slice file).
 */
export function normalizeLocationPaths(paths: readonly string[]): string[] {
  const cleaned = [
    ...new Set(
      paths.map((p) => {
        const t = p.trim().replace(/\/+$/, "");
        if (!/^(\/[^/\s]+)+$/.test(t)) throw new Error(`location path '${p}' must look like '/rootId/childId'`);
        return t;
      }),
    ),
  ].sort();
  return cleaned.filter((p) => !cleaned.some((other) => other !== p && p.startsWith(`${other}/`)));
}

/**
 * Admins and the dataset's owner read every row. Anyone else needs a grant (their own or a group's): no grant, no access.
 * Several grants add up; one without a restriction (null) means every row.
 */
export function decideDatasetAccess(
  user: PolicyUser,
  dataset: PolicyDataset,
  grants: readonly { locationPaths: readonly string[] | null }[],
): DatasetAccess {
  if (user.role === "admin" || (dataset.ownerId !== null && dataset.ownerId === user.id)) {
    return { allowed: true, locationPaths: null };
  }
  if (grants.length === 0) return { allowed: false };
  if (grants.some((g) => g.locationPaths === null)) return { allowed: true, locationPaths: null };
  return { allowed: true, locationPaths: normalizeLocationPaths(grants.flatMap((g) => g.locationPaths ?? [])) };
}
