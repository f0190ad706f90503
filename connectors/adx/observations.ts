import type { Observation, PeriodType, RawRecord } from "../core/types.ts";

/** xs:decimal plus exponents (some writers use them); anything else is text. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Records from extractAdx → base-format observations, when the file's ids already are the workspace's canonical ids
 * (an ADX export of our own, or a partner using our codes). Otherwise records go through harmonize's mappings.
 * Numbers become `value`, other text `value_text`; an empty value is neither.
 */
export function adxToObservations(records: Iterable<RawRecord>, source: string): Observation[] {
  const out: Observation[] = [];
  for (const { values: v } of records) {
    const raw = v.value === null || v.value === undefined ? "" : String(v.value).trim();
    const numeric = NUMBER.test(raw) ? Number(raw) : null;
    out.push({
      source,
      field_id: String(v.dataElement),
      disaggregation: v.disaggregation === null ? null : String(v.disaggregation),
      location_id: String(v.orgUnit),
      period_type: v.periodType as PeriodType,
      period_id: String(v.periodId),
      period_start: String(v.periodStart),
      period_end: String(v.periodEnd),
      value: numeric !== null && Number.isFinite(numeric) ? numeric : null,
      value_text: raw !== "" && (numeric === null || !Number.isFinite(numeric)) ? raw : null,
    });
  }
  return out;
}
