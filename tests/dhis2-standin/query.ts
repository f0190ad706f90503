/**
 * The metadata API's query grammar, as much of it as the client and the UI use: `fields` (with nested `parent[id,name]`,
 * `*` / `:all`), `filter=property:operator:value` (AND, or OR with rootJunction=OR), and paging
 * (`page`, `pageSize`, `paging=false`) with DHIS2's pager object.
 */

export class QueryError extends Error {}

type FieldTree = Map<string, FieldTree | null>;

/** Parses "id,name,parent[id,name]" into a tree; null leaves mean "the whole value". */
export function parseFields(spec: string): FieldTree {
  const tree: FieldTree = new Map();
  let i = 0;
  const parseList = (into: FieldTree, closing: string | null) => {
    let name = "";
    const flush = (child: FieldTree | null) => {
      const n = name.trim();
      if (n) into.set(n, child);
      name = "";
    };
    while (i < spec.length) {
      const ch = spec[i++];
      if (ch === ",") flush(null);
      else if (ch === "[") {
        const child: FieldTree = new Map();
        parseList(child, "]");
        flush(child);
      } else if (ch === closing) {
        flush(null);
        return;
      } else name += ch;
    }
    if (closing) throw new QueryError(`fields: missing '${closing}' in '${spec}'`);
    flush(null);
  };
  parseList(tree, null);
  return tree;
}

function project(value: unknown, tree: FieldTree | null): unknown {
  if (tree === null || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => project(v, tree));
  const obj = value as Record<string, unknown>;
  if (tree.has("*") || tree.has(":all") || tree.has(":owner")) return obj;
  const out: Record<string, unknown> = {};
  for (const [name, child] of tree) {
    const [prop, transform] = name.split("::");
    if (!(prop in obj)) continue;
    if (transform === "size") out[prop] = Array.isArray(obj[prop]) ? (obj[prop] as unknown[]).length : obj[prop];
    else out[prop] = project(obj[prop], child);
  }
  return out;
}

export function selectFields<T>(items: T[], fields: string | null, defaultFields = "id,displayName"): unknown[] {
  const tree = parseFields(fields?.trim() ? fields : defaultFields);
  return items.map((item) => project(item, tree));
}

function propertyOf(item: Record<string, unknown>, dotted: string): unknown {
  let v: unknown = item;
  for (const part of dotted.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

function listOf(raw: string): string[] {
  const inner = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
  return inner.split(",").map((s) => s.trim());
}

/** Builds a predicate for one `property:operator:value` filter, with DHIS2's operator names. */
export function parseFilter(filter: string): (item: Record<string, unknown>) => boolean {
  const first = filter.indexOf(":");
  const second = filter.indexOf(":", first + 1);
  if (first < 0) throw new QueryError(`Invalid filter: ${filter}`);
  const property = filter.slice(0, first);
  const operator = second < 0 ? filter.slice(first + 1) : filter.slice(first + 1, second);
  const arg = second < 0 ? "" : filter.slice(second + 1);
  const str = (item: Record<string, unknown>) => {
    const v = propertyOf(item, property);
    return v === undefined || v === null ? undefined : String(v);
  };
  const lower = arg.toLowerCase();
  switch (operator) {
    case "eq":
      return (it) => str(it) === arg;
    case "ieq":
      return (it) => str(it)?.toLowerCase() === lower;
    case "ne":
    case "neq":
      return (it) => str(it) !== arg;
    case "like":
    case "ilike":
      return (it) => str(it)?.toLowerCase().includes(lower) ?? false;
    case "!like":
    case "!ilike":
      return (it) => !(str(it)?.toLowerCase().includes(lower) ?? false);
    case "startsWith":
    case "$like":
    case "$ilike":
      return (it) => str(it)?.toLowerCase().startsWith(lower) ?? false;
    case "endsWith":
    case "like$":
    case "ilike$":
      return (it) => str(it)?.toLowerCase().endsWith(lower) ?? false;
    case "in":
      return (it) => listOf(arg).includes(str(it) ?? "\u0000");
    case "!in":
      return (it) => !listOf(arg).includes(str(it) ?? "\u0000");
    case "gt":
    case "ge":
    case "lt":
    case "le": {
      const n = Number(arg);
      const cmp = { gt: (a: number) => a > n, ge: (a: number) => a >= n, lt: (a: number) => a < n, le: (a: number) => a <= n }[
        operator
      ];
      return (it) => str(it) !== undefined && cmp(Number(str(it)));
    }
    case "null":
      return (it) => str(it) === undefined;
    case "!null":
      return (it) => str(it) !== undefined;
    default:
      throw new QueryError(`Query failed because of a syntax error: unknown operator \`${operator}\` in filter ${filter}`);
  }
}

export function applyFilters<T>(items: T[], params: URLSearchParams): T[] {
  const predicates = params.getAll("filter").map(parseFilter);
  if (predicates.length === 0) return items;
  const any = params.get("rootJunction")?.toUpperCase() === "OR";
  return items.filter((it) => {
    const rec = it as unknown as Record<string, unknown>;
    return any ? predicates.some((p) => p(rec)) : predicates.every((p) => p(rec));
  });
}

export interface Pager {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  nextPage?: string;
  prevPage?: string;
}

/** DHIS2 paging: pageSize defaults to 50, pages are 1-based, a page past the end is empty (not an error). */
export function paginate<T>(items: T[], params: URLSearchParams, selfUrl: URL): { items: T[]; pager?: Pager } {
  if (params.get("paging") === "false") return { items };
  const pageSize = Math.max(1, Number.parseInt(params.get("pageSize") ?? "50", 10) || 50);
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const total = items.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const link = (p: number) => {
    const u = new URL(selfUrl);
    u.searchParams.set("page", String(p));
    return u.toString();
  };
  const pager: Pager = { page, pageCount, total, pageSize };
  if (page < pageCount) pager.nextPage = link(page + 1);
  if (page > 1) pager.prevPage = link(page - 1);
  return { items: items.slice((page - 1) * pageSize, page * pageSize), pager };
}
