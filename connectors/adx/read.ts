/**
 * ADX elements → raw records, one per `<dataValue>`: ids, the ADX period and the DHIS2 period it denotes, the
 * disaggregation (group and value attributes together), the value as written, and where it sits (file, line).
 * A value that cannot be read (bad period, missing attribute) is rejected with a located issue; the rest goes on.
 */
import type { RawRecord, RawValue, RunIssue } from "../core/types.ts";
import { type ParsedPeriod, parseAdxPeriod } from "../harmonize/periods/index.ts";
import { type Attributes, serializeDisaggregation } from "./disaggregation.ts";
import type { AdxDocument, AdxGroupElement } from "./document.ts";
import { ADX_COLUMNS, type AdxColumn, CATEGORY_OPTION_COMBO, GROUP_KEYS, METADATA_ATTRIBUTES } from "./types.ts";

export type AdxItem = { kind: "record"; record: RawRecord } | { kind: "issue"; issue: RunIssue };

const META = new Set<string>(METADATA_ATTRIBUTES);
const GROUP_ONLY = new Set<string>(GROUP_KEYS);
const VALUE_KEYS = new Set(["dataElement", "value"]);

/** Walks a parsed document in order, yielding records and issues. */
export function* readAdxGroups(doc: AdxDocument, file: string): Generator<AdxItem> {
  for (const issue of doc.issues) yield { kind: "issue", issue };
  const trimmed = new Set<string>();
  const issue = (severity: RunIssue["severity"], line: number, message: string): AdxItem => ({
    kind: "issue",
    issue: { severity, message: `file ${file}, line ${line}: ${message}`, place: { file, row: line } },
  });
  // Codes with stray spaces ("P20Y--P25Y " in mADX-HIV) would never match a code list: trim them, say so once each.
  function* clean(name: string, raw: string, line: number): Generator<AdxItem, string> {
    const value = raw.trim();
    if (value !== raw && !trimmed.has(`${name}\u0000${raw}`)) {
      trimmed.add(`${name}\u0000${raw}`);
      yield issue("warning", line, `${name} '${raw}' has surrounding spaces; read as '${value}' (said once per file)`);
    }
    return value;
  }

  for (const group of doc.groups) {
    const g = group.attributes;
    const missing = ["orgUnit", "period"].filter((k) => !g[k]?.trim());
    const count = `${group.dataValues.length} data value${group.dataValues.length === 1 ? "" : "s"}`;
    if (missing.length > 0) {
      const what = missing.map((m) => `'${m}'`).join(" and ");
      yield issue("error", group.line, `<group> has no ${what} attribute; its ${count} rejected`);
      continue;
    }
    const periodText = yield* clean("period", g.period, group.line);
    let period: ParsedPeriod;
    try {
      period = parseAdxPeriod(periodText);
    } catch (error) {
      yield issue("error", group.line, `${(error as Error).message}; the group's ${count} rejected`);
      continue;
    }
    const base: Partial<Record<AdxColumn, RawValue>> = {
      dataSet: g.dataSet === undefined ? null : yield* clean("dataSet", g.dataSet, group.line),
      orgUnit: yield* clean("orgUnit", g.orgUnit, group.line),
      period: periodText,
      periodType: period.periodType,
      periodId: period.periodId,
      periodStart: period.start,
      periodEnd: period.end,
    };
    const groupDisaggregation = yield* splitAttributes(group, base, GROUP_ONLY);
    yield* readDataValues(group, base, groupDisaggregation);
  }

  function* splitAttributes(
    element: { attributes: Attributes; line: number },
    into: Partial<Record<AdxColumn, RawValue>>,
    skip: Set<string>,
  ): Generator<AdxItem, Attributes> {
    const disaggregation: Attributes = {};
    for (const [name, raw] of Object.entries(element.attributes)) {
      if (skip.has(name)) continue;
      if (META.has(name)) into[name as AdxColumn] = raw;
      else disaggregation[name] = yield* clean(name, raw, element.line);
    }
    return disaggregation;
  }

  function* readDataValues(
    group: AdxGroupElement,
    base: Partial<Record<AdxColumn, RawValue>>,
    groupAttrs: Attributes,
  ): Generator<AdxItem> {
    for (const dv of group.dataValues) {
      const a = dv.attributes;
      const missing = ["dataElement", "value"].filter((k) => a[k] === undefined || (k === "dataElement" && !a[k].trim()));
      if (missing.length > 0) {
        const what = missing.map((m) => `'${m}'`).join(" and ");
        yield issue("error", dv.line, `<dataValue> has no ${what} attribute; value rejected`);
        continue;
      }
      const values: Partial<Record<AdxColumn, RawValue>> = { ...base };
      // Child elements named like metadata (DHIS2 writes <created> and <lastUpdated> too) fill what attributes did not.
      for (const [name, text] of Object.entries(dv.children)) if (META.has(name)) values[name as AdxColumn] = text;
      const own = yield* splitAttributes(dv, values, VALUE_KEYS);
      for (const name of Object.keys(own)) {
        if (name in groupAttrs && groupAttrs[name] !== own[name]) {
          yield issue("warning", dv.line, `${name}='${own[name]}' overrides its group's ${name}='${groupAttrs[name]}'`);
        }
      }
      const attrs = { ...groupAttrs, ...own };
      const names = Object.keys(attrs);
      values.dataElement = yield* clean("dataElement", a.dataElement, dv.line);
      values.disaggregation =
        names.length === 1 && names[0] === CATEGORY_OPTION_COMBO ? attrs[CATEGORY_OPTION_COMBO] : serializeDisaggregation(attrs);
      values.value = a.value.trim();
      values.annotation = dv.children.annotation ?? null;
      const record: Record<string, RawValue> = {};
      for (const column of ADX_COLUMNS) record[column] = values[column] ?? null;
      yield { kind: "record", record: { values: record, place: { file, row: dv.line } } };
    }
  }
}
