/**
 * Who may replace the workspace's location hierarchy. Location-restricted grants ("Bo and below") are paths in this
 * hierarchy, so replacing it can move rows into or out of someone's slice: once a hierarchy exists, only admins may
 * replace it (as DHIS2 keeps org-unit maintenance to its own authority). An analyst may still set up the first one.
 */
import type { Role } from "../../db/roles.ts";

export function mayReplaceHierarchy(role: Role, existingLocations: number): boolean {
  if (role === "admin") return true;
  return role === "analyst" && existingLocations === 0;
}

export const HIERARCHY_ADMIN_ONLY =
  "Only an admin can replace the location hierarchy once it exists: location-restricted dataset grants depend on it.";
