/**
 * Who may read a report (deny by default). Owners and admins always; otherwise by visibility:
 *   workspace — every signed-in user;  groups — members of the report's groups;
 *   link — anyone holding the token, signed in or not;  nobody — owner and admins only.
 */
import { timingSafeEqual } from "node:crypto";

export const VISIBILITIES = ["workspace", "groups", "link", "nobody"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface Reader {
  id: string;
  role: string;
  groupIds: readonly string[];
}

export interface ReportAccessFacts {
  ownerId: string;
  visibility: Visibility;
  linkToken: string | null;
  groupIds: readonly string[];
}

/** "sign-in": anonymous and a signed-in user might see it; "forbidden": a 403. */
export type ReportDecision = "allowed" | "sign-in" | "forbidden";

function sameToken(given: string | null, expected: string | null): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function decideReportAccess(reader: Reader | null, report: ReportAccessFacts, token: string | null): ReportDecision {
  if (report.visibility === "link" && sameToken(token, report.linkToken)) return "allowed";
  if (!reader) return "sign-in";
  if (reader.id === report.ownerId || reader.role === "admin") return "allowed";
  switch (report.visibility) {
    case "workspace":
      return "allowed";
    case "groups":
      return report.groupIds.some((g) => reader.groupIds.includes(g)) ? "allowed" : "forbidden";
    default:
      return "forbidden";
  }
}
