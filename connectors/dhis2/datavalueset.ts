/**
 * Reads a DHIS2 dataValueSet (JSON from /api/dataValueSets, or DXF2 XML files) into flat records, checking each value on
 * its own: a bad value becomes a rejection naming the value and the reason, never an exception, and never takes its
 * neighbours down with it. Values inherit dataSet/period/orgUnit/attributeOptionCombo from the set's header, as in DHIS2.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { isFixedPeriod } from "./periods.ts";

export interface DataValueRecord {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string | null;
  attributeOptionCombo: string | null;
  value: string;
  /** 1-based position of the value in the payload. */
  index: number;
}

export interface DataValueRejection {
  /** 1-based position of the value in the payload; absent when the whole payload is unreadable. */
  index?: number;
  message: string;
}

export interface DataValueCheckOptions {
  /** "uid" (default) also checks id syntax; "code" accepts any non-empty identifier. */
  idScheme?: "uid" | "code";
  /** When given, ids outside these sets are rejected (e.g. the org units and combos fetched as metadata). */
  known?: { dataElements?: Set<string>; orgUnits?: Set<string>; categoryOptionCombos?: Set<string> };
}

export interface ParsedDataValueSet {
  dataSet: string | null;
  values: DataValueRecord[];
  rejections: DataValueRejection[];
}

const UID = /^[A-Za-z][A-Za-z0-9]{10}$/;
const HEADER_KEYS = ["dataSet", "period", "orgUnit", "attributeOptionCombo"] as const;

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === "" ? undefined : s;
}

/** Checks one raw value (already merged with the header) and returns a record or the reason it is rejected. */
function checkValue(
  raw: Record<string, unknown>,
  index: number,
  options: DataValueCheckOptions,
): DataValueRecord | DataValueRejection {
  const de = text(raw.dataElement);
  const pe = text(raw.period);
  const ou = text(raw.orgUnit);
  const coc = text(raw.categoryOptionCombo) ?? null;
  const aoc = text(raw.attributeOptionCombo) ?? null;
  const where = `data value #${index}${de ? ` (dataElement ${de}${pe ? `, period ${pe}` : ""}${ou ? `, orgUnit ${ou}` : ""})` : ""}`;
  const problems: string[] = [];
  if (!de) problems.push("no dataElement");
  if (!pe) problems.push("no period");
  else if (!isFixedPeriod(pe)) problems.push(`period '${pe}' is not a DHIS2 ISO period`);
  if (!ou) problems.push("no orgUnit");
  const uidChecks: [string, string | null | undefined][] = [
    ["dataElement", de],
    ["orgUnit", ou],
    ["categoryOptionCombo", coc],
    ["attributeOptionCombo", aoc],
  ];
  if ((options.idScheme ?? "uid") === "uid") {
    for (const [name, id] of uidChecks) if (id && !UID.test(id)) problems.push(`${name} '${id}' is not a DHIS2 id`);
  }
  const known = options.known;
  if (de && known?.dataElements && !known.dataElements.has(de)) problems.push(`unknown data element '${de}'`);
  if (ou && known?.orgUnits && !known.orgUnits.has(ou)) problems.push(`unknown org unit '${ou}'`);
  if (coc && known?.categoryOptionCombos && !known.categoryOptionCombos.has(coc))
    problems.push(`unknown category option combo '${coc}'`);
  const value = raw.value === undefined || raw.value === null ? undefined : String(raw.value);
  if (value === undefined || value.trim() === "") problems.push("no value (DHIS2 reads an empty value as a deletion)");
  if (problems.length) return { index, message: `${where}: ${problems.join("; ")}` };
  return {
    dataElement: de!,
    period: pe!,
    orgUnit: ou!,
    categoryOptionCombo: coc,
    attributeOptionCombo: aoc,
    value: value!,
    index,
  };
}

/** Checks every value of an already-parsed set (`{dataSet?, period?, orgUnit?, dataValues: [...]}`). */
export function readDataValueSet(set: unknown, options: DataValueCheckOptions = {}): ParsedDataValueSet {
  if (!set || typeof set !== "object") {
    return { dataSet: null, values: [], rejections: [{ message: "the payload is not a dataValueSet object" }] };
  }
  const header = set as Record<string, unknown>;
  const list = header.dataValues ?? [];
  if (!Array.isArray(list)) {
    return { dataSet: text(header.dataSet) ?? null, values: [], rejections: [{ message: "'dataValues' is not a list" }] };
  }
  const values: DataValueRecord[] = [];
  const rejections: DataValueRejection[] = [];
  list.forEach((item, i) => {
    if (!item || typeof item !== "object") {
      rejections.push({ index: i + 1, message: `data value #${i + 1}: not an object` });
      return;
    }
    const merged: Record<string, unknown> = { ...(item as Record<string, unknown>) };
    for (const key of HEADER_KEYS)
      if (text(merged[key]) === undefined && text(header[key]) !== undefined) merged[key] = header[key];
    const checked = checkValue(merged, i + 1, options);
    if ("dataElement" in checked) values.push(checked);
    else rejections.push(checked);
  });
  return { dataSet: text(header.dataSet) ?? null, values, rejections };
}

/** Parses a JSON or DXF2 XML dataValueSet document; malformed documents give one rejection with the line and column. */
export function parseDataValueSet(
  content: string,
  options: DataValueCheckOptions & { format?: "json" | "xml" } = {},
): ParsedDataValueSet {
  const format = options.format ?? (content.trimStart().startsWith("<") ? "xml" : "json");
  if (format === "json") {
    try {
      return readDataValueSet(JSON.parse(content), options);
    } catch (error) {
      return { dataSet: null, values: [], rejections: [{ message: `not valid JSON: ${(error as Error).message}` }] };
    }
  }
  const valid = XMLValidator.validate(content);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return { dataSet: null, values: [], rejections: [{ message: `not well-formed XML at line ${line}, column ${col}: ${msg}` }] };
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    removeNSPrefix: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => name === "dataValue",
  });
  const doc = parser.parse(content) as Record<string, unknown>;
  const root = doc.dataValueSet;
  if (!root || typeof root !== "object") {
    return { dataSet: null, values: [], rejections: [{ message: "the XML document has no <dataValueSet> root element" }] };
  }
  const { dataValue, ...header } = root as Record<string, unknown>;
  return readDataValueSet({ ...header, dataValues: dataValue ?? [] }, options);
}
