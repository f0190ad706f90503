// biome-ignore-all lint/suspicious/noExplicitAny: the recorded DHIS2 responses are untyped JSON, read as-is.
/**
 * Loads the real DHIS2 responses in ../shared/fixtures/dhis2-* into the stand-in's in-memory "database".
 * Nothing here is invented except `/api/me` (no recorded response exists): every org unit, data element, analytics row
 * and data value comes from a recorded Sierra Leone demo response. Org units are assembled from several files because no
 * single recording holds levels 1–4 with codes and geometry (see SOURCES.md, "Notes on quirks").
 */
import { readFileSync } from "node:fs";

const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);

function readJson<T = any>(relative: string): T {
  return JSON.parse(readFileSync(new URL(relative, FIXTURES), "utf8")) as T;
}

export interface StandinOrgUnit {
  id: string;
  code?: string;
  name: string;
  displayName: string;
  shortName: string;
  level: number;
  path: string;
  parent?: { id: string };
  geometry?: unknown;
  openingDate?: string;
  closedDate?: string;
}

export interface AnalyticsFixtureRow {
  dx: string;
  pe: string;
  ou: string;
  /** value, numerator, denominator, factor, multiplier, divisor exactly as recorded (strings). */
  rest: string[];
  file: string;
}

export interface StandinDataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  value?: string;
  [key: string]: unknown;
}

export interface StandinData {
  systemInfo: Record<string, unknown>;
  me: Record<string, unknown>;
  orgUnits: StandinOrgUnit[];
  orgUnitById: Map<string, StandinOrgUnit>;
  orgUnitLevels: Record<string, unknown>[];
  dataElements: Record<string, any>[];
  indicators: Record<string, any>[];
  categoryOptionCombos: Record<string, any>[];
  dataSets: Record<string, any>[];
  analyticsRows: AnalyticsFixtureRow[];
  /** Names for analytics metaData.items, keyed by uid (dx items, org units, periods recorded in the fixtures). */
  itemNames: Map<string, string>;
  dataValues: { value: StandinDataValue; dataSet?: string }[];
}

const ANALYTICS_FILES = ["hierarchy", "target-with-legend", "simple", "deepWithFilters"];
const ANALYTICS_REST = ["value", "numerator", "denominator", "factor", "multiplier", "divisor"];

function buildOrgUnits(): StandinOrgUnit[] {
  const levels13 = readJson("dhis2-aggregate-data-entry-app/organisationUnits_sierra_leone_levels1-3.json").organisationUnits;
  const byId = new Map<string, StandinOrgUnit>();
  const add = (id: string, name: string, level: number, path: string) => {
    const ids = path.split("/").filter(Boolean);
    byId.set(id, {
      id,
      name,
      displayName: name,
      shortName: name,
      level,
      path,
      ...(ids.length > 1 ? { parent: { id: ids[ids.length - 2] } } : {}),
    });
  };
  for (const o of levels13) add(o.id, o.displayName, o.level, o.path);

  // Name path ("/Sierra Leone/Bo/Kakua") of every level 1–3 unit, trimmed: the analytics metadata spells one chiefdom
  // with a trailing space, and two facility names contain "/", so facilities are placed by longest known prefix.
  const nameToId = new Map<string, string>();
  for (const o of byId.values()) {
    const names = o.path
      .split("/")
      .filter(Boolean)
      .map((i) => byId.get(i)!.name.trim());
    nameToId.set(`/${names.join("/")}`, o.id);
  }
  const meta = readJson("dhis2-analytics/demo-aggregate/hierarchy.metadata.json").metaData;
  for (const [uid, namePath] of Object.entries<string>(meta.ouNameHierarchy)) {
    if (byId.has(uid)) continue;
    const segments = namePath.split("/").slice(1);
    for (let n = Math.min(3, segments.length - 1); n >= 1; n--) {
      const parentId = nameToId.get(
        `/${segments
          .slice(0, n)
          .map((s) => s.trim())
          .join("/")}`,
      );
      if (!parentId) continue;
      const parent = byId.get(parentId)!;
      if (parent.level !== 3) break; // a facility whose chiefdom is unknown: leave it out rather than misplace it
      add(uid, segments.slice(n).join("/"), 4, `${parent.path}/${uid}`);
      break;
    }
  }
  for (const file of ["organisationUnits_KKkLOTpMXGV_children.json", "organisationUnits_bombali_children.json"]) {
    for (const c of readJson(`dhis2-aggregate-data-entry-app/${file}`).children) {
      if (!byId.has(c.id)) add(c.id, c.displayName, c.level, c.path);
    }
  }
  for (const [uid, item] of Object.entries<any>(meta.items)) {
    const unit = byId.get(uid);
    if (unit && item.code) unit.code = item.code;
  }
  // The Android SDK recording carries code, opening/closed dates and a point geometry for a few Bo units.
  for (const o of readJson("dhis2-android-sdk/organisation_units.json").organisationUnits) {
    const unit = byId.get(o.id);
    if (!unit) continue;
    Object.assign(unit, {
      code: o.code,
      openingDate: o.openingDate,
      ...(o.closedDate ? { closedDate: o.closedDate } : {}),
      ...(o.geometry ? { geometry: o.geometry } : {}),
    });
  }
  const feature = readJson("dhis2-maps-app/feature.geojson");
  const facility = byId.get(feature.properties["user:orgUnitId"]);
  if (facility) facility.geometry = feature.geometry;
  return [...byId.values()].sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
}

function buildAnalytics(itemNames: Map<string, string>): AnalyticsFixtureRow[] {
  const rows: AnalyticsFixtureRow[] = [];
  for (const file of ANALYTICS_FILES) {
    const data = readJson(`dhis2-analytics/demo-aggregate/${file}.data.json`);
    const names: string[] = data.headers.map((h: { name: string }) => h.name);
    const [dx, pe, ou] = ["dx", "pe", "ou"].map((n) => names.indexOf(n));
    const rest = ANALYTICS_REST.map((n) => names.indexOf(n));
    for (const r of data.rows as string[][]) {
      rows.push({ dx: r[dx], pe: r[pe], ou: r[ou], rest: rest.map((i) => (i < 0 ? "" : r[i])), file });
    }
    try {
      const meta = readJson(`dhis2-analytics/demo-aggregate/${file}.metadata.json`).metaData ?? {};
      for (const [uid, item] of Object.entries<any>(meta.items ?? {})) if (item?.name) itemNames.set(uid, item.name);
    } catch {
      // not every recording has a metadata file; names then fall back to the metadata endpoints
    }
  }
  return rows;
}

function buildDataValues(): StandinData["dataValues"] {
  const out: StandinData["dataValues"] = [];
  const bulk = readJson("dhis2-core/datavalueset/dataValues_bulk_sierra_leone.json");
  for (const v of bulk.dataValues) out.push({ value: v });
  for (const ds of ["BfMAe6Itzgt", "TaMAefItzgt", "lyLU2wR22tC"]) {
    const set = readJson(`dhis2-android-sdk/dataValueSets/data_values_${ds}.json`);
    for (const v of set.dataValues) out.push({ value: v, dataSet: set.dataSet });
  }
  return out;
}

let cached: StandinData | undefined;

/** The stand-in's data, loaded once per process (the files are read-only). */
export function loadStandinData(): StandinData {
  if (cached) return cached;
  const metadata = readJson("dhis2-aggregate-data-entry-app/dataEntry_metadata_v43.json");
  const orgUnits = buildOrgUnits();
  const itemNames = new Map<string, string>();
  const analyticsRows = buildAnalytics(itemNames);
  for (const o of orgUnits) itemNames.set(o.id, o.name);
  for (const d of [...metadata.dataElements, ...metadata.indicators]) itemNames.set(d.id, d.name);
  const categoryOptionCombos = metadata.categoryCombos.flatMap((cc: any) =>
    (cc.categoryOptionCombos ?? []).map((coc: any) => ({ ...coc, categoryCombo: { id: cc.id } })),
  );
  cached = {
    systemInfo: readJson("dhis2-aggregate-data-entry-app/system_info.json"),
    // No recorded /api/me exists; this is the Sierra Leone demo's well-known admin user.
    me: {
      id: "xE7jOejl9FI",
      username: "admin",
      name: "John Traore",
      displayName: "John Traore",
      firstName: "John",
      surname: "Traore",
    },
    orgUnits,
    orgUnitById: new Map(orgUnits.map((o) => [o.id, o])),
    orgUnitLevels: readJson("dhis2-android-sdk/organisation_unit_levels.json").organisationUnitLevels,
    dataElements: metadata.dataElements,
    indicators: metadata.indicators,
    categoryOptionCombos,
    dataSets: metadata.dataSets,
    analyticsRows,
    itemNames,
    dataValues: buildDataValues(),
  };
  return cached;
}
