/**
 * Who may see and change a library query (deny by default; pure, so the rule is tested without a database):
 *   private   — its owner;   group — members of its one group and its owner;   workspace — every signed-in user.
 * Admins see and manage every query. Only the owner and admins save versions, edit, archive or delete it. A query a
 * user may not see is answered as if it did not exist (404), so ids cannot be probed.
 */
import type { Role } from "../../db/roles.ts";
import type { QueryVisibility } from "./types.ts";

export interface LibraryReader {
  id: string;
  role: Role;
  groupIds: readonly string[];
}

export interface QueryAccessFacts {
  ownerId: string;
  visibility: QueryVisibility;
  groupId: string | null;
}

export function canSeeQuery(reader: LibraryReader, query: QueryAccessFacts): boolean {
  if (reader.role === "admin" || reader.id === query.ownerId) return true;
  switch (query.visibility) {
    case "workspace":
      return true;
    case "group":
      return query.groupId !== null && reader.groupIds.includes(query.groupId);
    default:
      return false;
  }
}

export function canManageQuery(reader: { id: string; role: Role }, query: { ownerId: string }): boolean {
  return reader.role === "admin" || reader.id === query.ownerId;
}

/** Analysts and admins save queries; viewers read the ones they may see. */
export const mayCreateQueries = (role: Role): boolean => role === "admin" || role === "analyst";

/** Certification is an admin decision (designated reviewers may come later). */
export const mayCertify = (role: Role): boolean => role === "admin";
