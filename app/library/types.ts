/**
 * The query library's JSON shapes (the API contract shared by the server routes and the notebook UI). Browser-safe: no
 * server imports.
 */
export const QUERY_VISIBILITIES = ["private", "group", "workspace"] as const;
export type QueryVisibility = (typeof QUERY_VISIBILITIES)[number];

export interface UserRef {
  id: string;
  name: string;
}

/** GET /queries/search.json (each entry) and GET /queries/:id/summary.json. */
export interface QuerySummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  owner: UserRef;
  visibility: QueryVisibility;
  groupId: string | null;
  latestVersion: number;
  certifiedVersion: number | null;
  archived: boolean;
  /** Datasets read by the latest version. */
  datasets: string[];
  updatedAt: string;
}

/** GET /queries/:id/v/:version.json */
export interface QueryVersionView {
  id: string;
  name: string;
  version: number;
  sql: string;
  parameters: unknown[];
  message: string;
  author: UserRef;
  createdAt: string;
  certified: boolean;
  latestVersion: number;
  certifiedVersion: number | null;
}
