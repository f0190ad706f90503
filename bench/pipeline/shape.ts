/**
 * The shape of the pipeline benchmark's data: a seeded fictional country (districts → chiefdoms → 1,200 facilities),
 * 140 data elements and 60 months. Everything is a pure function of the seed, so generate.ts (the CSV) and run.ts
 * (the hierarchy loaded into the catalog, the field definitions of the spec) agree without sharing files.
 */
import type { FieldRow, LocationRow } from "../../connectors/core/types.ts";
import { uniqueFieldIds } from "../../connectors/harmonize/fields/field-id.ts";

export interface BenchSize {
  facilities: number;
  months: number;
  fields: number;
  /** First month, "YYYY-MM". */
  firstMonth: string;
  seed: number;
}

/** Issue 3: about 1,200 facilities × 60 months × 140 fields ≈ 10M rows. */
export const FULL_SIZE: BenchSize = { facilities: 1_200, months: 60, fields: 140, firstMonth: "2020-01", seed: 20_240_601 };
/** `--quick`: the same places and months, 14 fields ≈ 1M rows. */
export const QUICK_SIZE: BenchSize = { ...FULL_SIZE, fields: 14 };

export const rowCount = (size: BenchSize) => size.facilities * size.months * size.fields;

/** mulberry32: tiny, fast and good enough to make plausible, reproducible data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  "ba",
  "bo",
  "da",
  "ga",
  "ka",
  "ke",
  "ko",
  "kpa",
  "la",
  "le",
  "lu",
  "ma",
  "me",
  "mo",
  "na",
  "ni",
  "pe",
  "ri",
  "ro",
  "sa",
  "se",
  "su",
  "ta",
  "te",
  "to",
  "wa",
  "ya",
  "yo",
  "gbo",
  "ji",
];
const FACILITY_TYPES = ["CHC", "CHP", "MCHP", "MCHP", "CHP", "Clinic", "Hospital"];
const UID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export interface BenchFacility {
  location: LocationRow;
  district: string;
  chiefdom: string;
}

export interface BenchHierarchy {
  /** Canonical rows for `catalog.replaceHierarchy` (levels 1–4). */
  rows: LocationRow[];
  /** Facilities in a fixed order, with the names of their district and chiefdom as the CSV writes them. */
  facilities: BenchFacility[];
}

/**
 * 14 districts of 8–12 chiefdoms; facilities dealt out to chiefdoms at random (each gets at least one). Names are
 * unique within their parent, as in a real hierarchy; ids look like DHIS2 uids.
 */
export function benchHierarchy(size: BenchSize): BenchHierarchy {
  const random = seededRandom(size.seed);
  const pick = <T>(list: ArrayLike<T>) => list[Math.floor(random() * list.length)];
  const usedIds = new Set<string>();
  const uid = () => {
    for (;;) {
      let id = UID_CHARS[Math.floor(random() * 52)];
      for (let i = 0; i < 10; i++) id += pick(UID_CHARS);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const uniqueName = (taken: Set<string>, suffix = "") => {
    for (;;) {
      const parts = 2 + Math.floor(random() * 2);
      let name = "";
      for (let i = 0; i < parts; i++) name += pick(SYLLABLES);
      name = name[0].toUpperCase() + name.slice(1) + suffix;
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  const row = (name: string, level: number, levelName: string, parent: LocationRow | null): LocationRow => {
    const id = uid();
    return {
      location_id: id,
      code: null,
      name,
      level,
      level_name: levelName,
      parent_id: parent?.location_id ?? null,
      path: `${parent?.path ?? ""}/${id}`,
      geometry: null,
    };
  };

  const root = row("Harmonia", 1, "Country", null);
  const rows: LocationRow[] = [root];
  const districtNames = new Set<string>();
  const chiefdoms: Array<{ location: LocationRow; district: LocationRow; names: Set<string> }> = [];
  for (let d = 0; d < 14; d++) {
    const district = row(uniqueName(districtNames), 2, "District", root);
    rows.push(district);
    const chiefdomNames = new Set<string>();
    const count = 8 + Math.floor(random() * 5);
    for (let c = 0; c < count; c++) {
      const chiefdom = row(uniqueName(chiefdomNames), 3, "Chiefdom", district);
      rows.push(chiefdom);
      chiefdoms.push({ location: chiefdom, district, names: new Set() });
    }
  }
  const facilities: BenchFacility[] = [];
  for (let f = 0; f < size.facilities; f++) {
    const home = f < chiefdoms.length ? chiefdoms[f] : pick(chiefdoms);
    const name = uniqueName(home.names, ` ${pick(FACILITY_TYPES)}`);
    const location = row(name, 4, "Facility", home.location);
    rows.push(location);
    facilities.push({ location, district: home.district.name, chiefdom: home.location.name });
  }
  return { rows, facilities };
}

/** Base data elements with a typical monthly count per facility (what a value is drawn around). */
const ELEMENTS: Array<[name: string, typical: number]> = [
  ["ANC 1st visit", 30],
  ["ANC 4th visit", 18],
  ["ANC 8th visit", 6],
  ["Deliveries in facility", 20],
  ["Live births", 19],
  ["Still births", 1],
  ["Low birth weight", 2],
  ["Postnatal care within 48h", 15],
  ["Family planning new acceptors", 12],
  ["Family planning continuing users", 40],
  ["BCG doses given", 20],
  ["Penta 1 doses given", 22],
  ["Penta 3 doses given", 19],
  ["Measles 1 doses given", 18],
  ["Measles 2 doses given", 12],
  ["OPV 3 doses given", 19],
  ["Malaria suspected cases", 160],
  ["Malaria tested RDT", 150],
  ["Malaria confirmed cases", 90],
  ["Malaria treated with ACT", 85],
  ["Severe malaria admissions", 6],
  ["Malaria deaths", 0.3],
  ["Diarrhoea cases", 25],
  ["ORS and zinc given", 22],
  ["Pneumonia cases", 14],
  ["Pneumonia treated", 12],
  ["TB presumptive cases", 4],
  ["TB confirmed cases", 1],
  ["HIV tests done", 45],
  ["HIV positive", 1.5],
  ["ART new patients", 1.2],
  ["SAM admissions", 3],
  ["Vitamin A doses", 35],
  ["OPD attendance", 420],
  ["IPD admissions", 12],
];
/** DHIS2-style category options (service delivery point) folded into the element name, as many exports show them. */
const DISAGGREGATIONS: Array<[label: string, share: number]> = [
  ["(fixed site)", 0.55],
  ["(outreach)", 0.25],
  ["(community)", 0.15],
  ["(referred in)", 0.05],
];

export interface BenchField {
  definition: FieldRow;
  /** Mean monthly value at an average facility. */
  typical: number;
}

/** `size.fields` data elements (at most 140), spread over the base elements so a quick run still mixes programmes. */
export function benchFields(size: BenchSize): BenchField[] {
  const all: Array<{ name: string; typical: number }> = [];
  for (const [label, share] of DISAGGREGATIONS) {
    for (const [name, typical] of ELEMENTS) all.push({ name: `${name} ${label}`, typical: typical * share });
  }
  if (size.fields > all.length) throw new Error(`bench size: at most ${all.length} fields, asked for ${size.fields}`);
  const chosen = all.slice(0, size.fields);
  const ids = uniqueFieldIds(chosen.map((c) => c.name));
  return chosen.map((c, i) => ({
    typical: c.typical,
    definition: {
      field_id: ids[i],
      name: c.name,
      description: null,
      unit: "count",
      source_field_id: null,
      aggregation: "sum",
    },
  }));
}

/** DHIS2 monthly period ids ("202001") from the first month on. */
export function benchPeriods(size: BenchSize): string[] {
  const [year, month] = size.firstMonth.split("-").map(Number);
  return Array.from({ length: size.months }, (_, i) => {
    const m = month - 1 + i;
    return `${year + Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, "0")}`;
  });
}
