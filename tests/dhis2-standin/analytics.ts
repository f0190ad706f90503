/**
 * `/api/analytics` for dx/pe/ou dimension requests, answered from the recorded analytics rows: the rows are filtered by
 * the requested items, so a request split into chunks receives exactly its share of the recorded response. Items the
 * stand-in does not know give DHIS2's 409 conflict body.
 */
import type { StandinData } from "./fixtures.ts";
import { isPeriodId, resolveRelative } from "./periods.ts";

export class ConflictError extends Error {
  constructor(
    message: string,
    readonly errorCode = "E7100",
  ) {
    super(message);
  }
}

interface Dimensions {
  dx: string[];
  pe: string[];
  ou: string[];
}

function parseDimensions(params: URLSearchParams): Dimensions {
  const dims: Partial<Record<string, string[]>> = {};
  for (const raw of params.getAll("dimension")) {
    const colon = raw.indexOf(":");
    const name = colon < 0 ? raw : raw.slice(0, colon);
    const items =
      colon < 0
        ? []
        : raw
            .slice(colon + 1)
            .split(";")
            .filter(Boolean);
    dims[name] = items;
  }
  if (params.getAll("filter").length > 0) {
    throw new ConflictError("The DHIS2 stand-in answers dx, pe and ou dimensions only; filters are not supported", "E7100");
  }
  for (const name of Object.keys(dims)) {
    if (!["dx", "pe", "ou"].includes(name)) throw new ConflictError(`Dimension does not exist: \`${name}\``, "E7125");
  }
  if (!dims.dx || dims.dx.length === 0)
    throw new ConflictError(
      "At least one data dimension item or data element group set dimension item must be specified when a data dimension is present in query",
      "E7102",
    );
  if (!dims.pe || dims.pe.length === 0)
    throw new ConflictError("At least one period must be specified as dimension or filter", "E7104");
  if (!dims.ou || dims.ou.length === 0)
    throw new ConflictError(
      "At least one organisation unit must be specified when organisation unit dimension is present in query",
      "E7103",
    );
  return dims as unknown as Dimensions;
}

function resolveOrgUnits(items: string[], data: StandinData): string[] {
  const levels = items.filter((i) => i.startsWith("LEVEL-")).map((i) => Number(i.slice(6)));
  const ids = items.filter((i) => !i.startsWith("LEVEL-")).map((i) => (i === "USER_ORGUNIT" ? data.orgUnits[0].id : i));
  const unknown = ids.filter((i) => !data.orgUnitById.has(i));
  if (unknown.length || levels.some((l) => !Number.isInteger(l) || l < 1)) {
    throw new ConflictError(
      `Organisation unit or organisation unit level is not valid: \`${[...unknown, ...items.filter((i) => i.startsWith("LEVEL-") && !/^LEVEL-\d+$/.test(i))].join(", ")}\``,
      "E7143",
    );
  }
  if (levels.length === 0) return ids;
  const roots = ids.length ? ids : [data.orgUnits[0].id];
  return data.orgUnits.filter((o) => levels.includes(o.level) && roots.some((r) => o.path.includes(`/${r}`))).map((o) => o.id);
}

function resolvePeriods(items: string[], today: string): string[] {
  const out: string[] = [];
  const invalid: string[] = [];
  for (const item of items) {
    const relative = resolveRelative(item, today);
    if (relative) out.push(...relative);
    else if (isPeriodId(item)) out.push(item);
    else invalid.push(item);
  }
  if (invalid.length) throw new ConflictError(`Dimension \`pe\` has invalid items: \`${invalid.join(", ")}\``, "E7124");
  return [...new Set(out)];
}

const HEADERS = [
  { name: "dx", column: "Data" },
  { name: "pe", column: "Period" },
  { name: "ou", column: "Organisation unit" },
];
const VALUE_HEADERS = ["value", "numerator", "denominator", "factor", "multiplier", "divisor"];

export function answerAnalytics(params: URLSearchParams, data: StandinData, today: string): Record<string, unknown> {
  const dims = parseDimensions(params);
  const knownDx = new Set([...data.itemNames.keys(), ...data.analyticsRows.map((r) => r.dx)]);
  const unknownDx = dims.dx.filter((d) => !knownDx.has(d));
  if (unknownDx.length) throw new ConflictError(`Dimension \`dx\` has invalid items: \`${unknownDx.join(", ")}\``, "E7124");
  const pe = resolvePeriods(dims.pe, today);
  const ou = resolveOrgUnits(dims.ou, data);
  const [dxSet, peSet, ouSet] = [new Set(dims.dx), new Set(pe), new Set(ou)];
  const rows = data.analyticsRows.filter((r) => dxSet.has(r.dx) && peSet.has(r.pe) && ouSet.has(r.ou));

  // Columns follow the order the dimensions were requested in, as DHIS2 does.
  const order = params.getAll("dimension").map((d) => d.split(":")[0]) as ("dx" | "pe" | "ou")[];
  const headers = [
    ...order.map((name) => ({
      ...HEADERS.find((h) => h.name === name)!,
      valueType: "TEXT",
      type: "java.lang.String",
      hidden: false,
      meta: true,
    })),
    ...VALUE_HEADERS.map((name) => ({
      name,
      column: name[0].toUpperCase() + name.slice(1),
      valueType: "NUMBER",
      type: "java.lang.Double",
      hidden: false,
      meta: false,
    })),
  ];
  const items: Record<string, { name: string }> = {};
  for (const uid of [...dims.dx, ...pe, ...ou]) items[uid] = { name: data.itemNames.get(uid) ?? uid };
  return {
    headers,
    metaData: { items, dimensions: { dx: dims.dx, pe, ou, co: [] } },
    rows: rows.map((r) => [...order.map((name) => r[name]), ...r.rest]),
    height: rows.length,
    width: headers.length,
    headerWidth: headers.length,
  };
}
