/** The notebook list's filters as they travel in the URL (`?q=&owner=&archived=1`). */
export interface ListQuery {
  search: string;
  owner: "all" | "mine" | "shared";
  archived: boolean;
}

const OWNERS = ["all", "mine", "shared"] as const;

export function parseListQuery(params: URLSearchParams): ListQuery {
  const owner = params.get("owner");
  return {
    search: (params.get("q") ?? "").slice(0, 200),
    owner: (OWNERS as readonly string[]).includes(owner ?? "") ? (owner as ListQuery["owner"]) : "all",
    archived: params.get("archived") === "1",
  };
}
