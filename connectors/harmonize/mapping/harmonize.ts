/**
 * Raw records of a tabular source → base-format observations, by a ColumnMapping. A harmonizer lives for a whole run:
 * its period and location caches and its unmatched report span all batches (≈50k records each).
 * Every row that yields nothing is accounted for: rejected with its place and reason, or counted as blank.
 */
import type { FieldRow, Observation, RawRecord, RawValue, RunIssue, SourcePlace } from "../../core/types.ts";
import { type Matcher, UnmatchedReport } from "../locations/index.ts";
import type { ParsedPeriod } from "../periods/index.ts";
import { createLocationReader } from "./location-reader.ts";
import { createPeriodReader } from "./period-reader.ts";
import { formatPlace, quoteCell } from "./place.ts";
import { type ColumnMapping, type ColumnMappingInput, ColumnMappingSchema } from "./schema.ts";
import { createValueCleaner } from "./values.ts";

export interface Rejection {
  place: SourcePlace;
  /** "row 12, column `period`: '2014W53' — 2014 has only 52 ISO weeks" */
  reason: string;
}

export interface HarmonizeResult {
  observations: Observation[];
  /** The first `maxListed` rejections of this batch; `rejectedCount` counts them all. */
  rejected: Rejection[];
  rejectedCount: number;
  /** Non-numeric values kept as text, and the like (first `maxListed`; `warningCount` counts all). */
  warnings: RunIssue[];
  warningCount: number;
  /** Blank or NA value cells skipped (mapping `values.blanks: "skip"`). */
  skippedBlank: number;
  /** Unmatched location values, accumulated over the harmonizer's whole run. */
  unmatched: UnmatchedReport;
}

export interface HarmonizeOptions {
  /** How many rejections and warnings each batch lists in full. Default 1,000. */
  maxListed?: number;
}

export class MappingError extends Error {
  override name = "MappingError";
  constructor(readonly problems: string[]) {
    super(`the column mapping is invalid:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

function textOf(raw: RawValue | undefined): string {
  if (raw === null || raw === undefined) return "";
  return (raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw)).trim();
}

/** Why a row yields nothing, worded for the person who wrote the cell (shared with the runner's SQL path). */
export const REJECT_REASONS = {
  noLocation: "no location: every location column is empty",
  periodMissing: "the period column is missing",
  noPeriod: "no period",
  unknownField: "is not a known field (no field has it as source id, field id or name)",
} as const;

/** "file x.csv, row 12, column `period`: '2014W53' — 2014 has only 52 ISO weeks" */
export function rejectionMessage(place: SourcePlace, raw: RawValue | undefined, why: string): string {
  return `${formatPlace(place)}: ${quoteCell(raw)} — ${why}`;
}

/** The warning for a value cell that is not a number and is kept as text. */
export function textValueWarning(place: SourcePlace, raw: RawValue | undefined): RunIssue {
  return { severity: "warning", message: `${formatPlace(place)}: ${quoteCell(raw)} is not a number; kept as text`, place };
}

/** Cell text as the harmonizer compares it (trimmed; dates as their ISO day). */
export function cellText(raw: RawValue | undefined): string {
  return textOf(raw);
}

/**
 * Long layout: the field cell (trimmed) may hold the source's id, our field id or the field's name, in that order of
 * trust.
 */
export function createFieldLookup(fieldDefs: readonly FieldRow[]): Map<string, FieldRow> {
  const fieldByKey = new Map<string, FieldRow>();
  for (const f of fieldDefs) if (!fieldByKey.has(f.name)) fieldByKey.set(f.name, f);
  for (const f of fieldDefs) fieldByKey.set(f.field_id, f);
  for (const f of fieldDefs) if (f.source_field_id) fieldByKey.set(f.source_field_id, f);
  return fieldByKey;
}

export interface Harmonizer {
  harmonize(records: readonly RawRecord[]): HarmonizeResult;
  readonly mapping: ColumnMapping;
  readonly unmatched: UnmatchedReport;
}

export function createHarmonizer(
  mappingInput: ColumnMappingInput,
  matcher: Matcher,
  fieldDefs: readonly FieldRow[],
  options: HarmonizeOptions = {},
): Harmonizer {
  const parsed = ColumnMappingSchema.safeParse(mappingInput);
  if (!parsed.success) {
    throw new MappingError(parsed.error.issues.map((i) => `${i.path.join(".") || "mapping"}: ${i.message}`));
  }
  const mapping = parsed.data;
  const maxListed = options.maxListed ?? 1000;

  const fieldByKey = createFieldLookup(fieldDefs);
  const fieldIds = new Set(fieldDefs.map((f) => f.field_id));
  if (mapping.layout.kind === "wide") {
    const unknown = mapping.layout.values.filter((v) => !fieldIds.has(v.field_id));
    if (unknown.length > 0) {
      throw new MappingError(
        unknown.map((v) => `layout.values: column \`${v.column}\` maps to field '${v.field_id}', which is not defined`),
      );
    }
  }

  const readPeriod = createPeriodReader(mapping.period);
  const readLocation = createLocationReader(mapping.location, matcher);
  const clean = createValueCleaner(mapping.values);
  const unmatched = new UnmatchedReport();
  const periodColumn = mapping.period.column;
  const disaggregationColumn = mapping.disaggregationColumn;
  const keepBlanks = mapping.values.blanks === "keep";
  const source = mapping.source;
  const layout = mapping.layout;

  const harmonize = (records: readonly RawRecord[]): HarmonizeResult => {
    const observations: Observation[] = [];
    const rejected: Rejection[] = [];
    const warnings: RunIssue[] = [];
    let rejectedCount = 0;
    let warningCount = 0;
    let skippedBlank = 0;

    const reject = (record: RawRecord, column: string, raw: RawValue | undefined, why: string) => {
      rejectedCount++;
      if (rejected.length >= maxListed) return;
      const place = { ...record.place, column };
      rejected.push({ place, reason: rejectionMessage(place, raw, why) });
    };
    // One literal with a fixed key order: every observation has the same hidden class, and no spread copies.
    const emit = (
      record: RawRecord,
      column: string,
      fieldId: string,
      disaggregation: string | null,
      locationId: string,
      period: ParsedPeriod,
    ) => {
      const raw = record.values[column];
      const cleaned = clean(raw);
      if (cleaned === null && !keepBlanks) {
        skippedBlank++;
        return;
      }
      const isText = typeof cleaned === "string";
      if (isText) {
        warningCount++;
        if (warnings.length < maxListed) {
          warnings.push(textValueWarning({ ...record.place, column }, raw));
        }
      }
      observations.push({
        source,
        field_id: fieldId,
        disaggregation,
        location_id: locationId,
        period_type: period.periodType,
        period_id: period.periodId,
        period_start: period.start,
        period_end: period.end,
        value: isText ? null : cleaned,
        value_text: isText ? cleaned : null,
      });
    };

    for (const record of records) {
      const values = record.values;
      const location = readLocation(values);
      if (!location.ok) {
        if (location.kind === "empty") {
          reject(record, mapping.location[0].column, values[mapping.location[0].column], REJECT_REASONS.noLocation);
        } else {
          const place = { ...record.place, column: location.column };
          unmatched.add({ value: location.value, parent: location.parent, level: location.level }, location.result, place);
          reject(record, location.column, location.value, location.why);
        }
        continue;
      }
      const periodRaw = values[periodColumn];
      if (textOf(periodRaw).length === 0) {
        reject(record, periodColumn, periodRaw, periodRaw === undefined ? REJECT_REASONS.periodMissing : REJECT_REASONS.noPeriod);
        continue;
      }
      const period = readPeriod(periodRaw as RawValue);
      if (!period.ok) {
        reject(record, periodColumn, periodRaw, period.reason);
        continue;
      }
      const rowDisaggregation = disaggregationColumn ? textOf(values[disaggregationColumn]) || null : null;
      if (layout.kind === "long") {
        const fieldRaw = values[layout.fieldColumn];
        const field = fieldByKey.get(textOf(fieldRaw));
        if (!field) {
          reject(record, layout.fieldColumn, fieldRaw, REJECT_REASONS.unknownField);
          continue;
        }
        emit(record, layout.valueColumn, field.field_id, rowDisaggregation, location.locationId, period.period);
      } else {
        for (const v of layout.values) {
          emit(record, v.column, v.field_id, v.disaggregation ?? rowDisaggregation, location.locationId, period.period);
        }
      }
    }
    return { observations, rejected, rejectedCount, warnings, warningCount, skippedBlank, unmatched };
  };

  return { harmonize, mapping, unmatched };
}

/** One-shot form for a single batch; for a run over many batches keep one `createHarmonizer` so caches are shared. */
export function harmonizeRecords(
  records: readonly RawRecord[],
  mapping: ColumnMappingInput,
  matcher: Matcher,
  fieldDefs: readonly FieldRow[],
  options: HarmonizeOptions = {},
): HarmonizeResult {
  return createHarmonizer(mapping, matcher, fieldDefs, options).harmonize(records);
}
