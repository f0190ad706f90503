import type { SourcePlace } from "../core/types.ts";

/** The IHE QRPH ADX namespace (ADX 2015 profile). Files without any namespace are read too (mADX-HIV samples). */
export const ADX_NAMESPACE = "urn:ihe:qrph:adx:2015";

/** What the identifiers in a file are, as DHIS2 names its id schemes; harmonize uses it to match ids. */
export const ADX_ID_SCHEMES = ["uid", "code", "name"] as const;
export type AdxIdScheme = (typeof ADX_ID_SCHEMES)[number];

/** `<group>` attributes that identify the group: never disaggregations. */
export const GROUP_KEYS = ["orgUnit", "period", "dataSet"] as const;

/**
 * Attributes (on `<group>` or `<dataValue>`) that describe the report or the value rather than split it: DHIS2 writes
 * them (completeDate, audit dates, comments). Counting them as disaggregations would split one value into many.
 * They become columns of their own; a dataValue's wins over its group's.
 */
export const METADATA_ATTRIBUTES = [
  "completeDate",
  "dataSetComplete",
  "comment",
  "created",
  "lastUpdated",
  "storedBy",
  "followup",
] as const;

/**
 * A lone `categoryOptionCombo` attribute carries a whole DHIS2 disaggregation (a category option combo id, code or
 * name): its value is the disaggregation itself, and an unstructured disaggregation is exported through it.
 */
export const CATEGORY_OPTION_COMBO = "categoryOptionCombo";

/** Columns of every extracted record, in order. */
export const ADX_COLUMNS = [
  "dataSet",
  "orgUnit",
  "period",
  "periodType",
  "periodId",
  "periodStart",
  "periodEnd",
  "dataElement",
  "disaggregation",
  "value",
  "annotation",
  ...METADATA_ATTRIBUTES,
] as const;
export type AdxColumn = (typeof ADX_COLUMNS)[number];

/** A whole-file failure (unreadable, malformed XML, not ADX): names the file (and line/column) so the runner can go on. */
export class AdxFileError extends Error {
  readonly place: SourcePlace;
  constructor(message: string, place: SourcePlace) {
    super(message);
    this.name = "AdxFileError";
    this.place = place;
  }
}
