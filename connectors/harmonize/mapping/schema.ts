/**
 * How the columns of a tabular source (CSV, xlsx sheet, DHIS2 CSV export) become observations. A person builds this in the
 * import wizard; it is stored with the source and validated here at the boundary.
 */
import { z } from "zod";
import { PERIOD_TYPES, type PeriodType } from "../../core/types.ts";
import { TYPE_INFO } from "../periods/index.ts";

const WEEK_TYPES = PERIOD_TYPES.filter((t) => TYPE_INFO[t].shape.kind === "week") as [PeriodType, ...PeriodType[]];
const MONTH_TYPES = PERIOD_TYPES.filter((t) => TYPE_INFO[t].shape.kind === "month") as [PeriodType, ...PeriodType[]];

const column = z.string().min(1, "a column name is required");
const periodType = z.enum(PERIOD_TYPES);

export const PeriodMappingSchema = z.discriminatedUnion("how", [
  /** The column holds DHIS2 period ids ("201201", "2017W5", "2017Q1"); `periodType`, if set, is the type every id must have. */
  z.object({ how: z.literal("dhis2-id"), column, periodType: periodType.optional() }),
  /** The column holds dates (Date cells, "2017-01-15", or with `dateOrder` "15/01/2017"), filed under `periodType`. */
  z.object({
    how: z.literal("date"),
    column,
    periodType,
    dateOrder: z.enum(["ymd", "dmy", "mdy"]).default("ymd"),
  }),
  /** The column holds months ("2017-01", "201701", "Jan 2017", "janvier 2017"), filed under a type made of whole months. */
  z.object({ how: z.literal("month"), column, periodType: z.enum(MONTH_TYPES).default("Monthly") }),
  /** The column holds week numbers with their year ("2017W5", "2017-W05", "W5 2017") in the weeks of `periodType`. */
  z.object({ how: z.literal("week"), column, periodType: z.enum(WEEK_TYPES).default("Weekly") }),
]);

export const LocationColumnSchema = z.object({
  column,
  /** The hierarchy level the column names (1 = root). */
  level: z.number().int().min(1),
  by: z.enum(["id", "code", "name"]),
});

export const WideValueColumnSchema = z.object({
  column,
  field_id: z.string().min(1),
  disaggregation: z.string().min(1).nullish(),
});

export const LayoutSchema = z.discriminatedUnion("kind", [
  /** One row per value: a column names the field (source id, field id or name), another holds the value. */
  z.object({ kind: z.literal("long"), fieldColumn: column, valueColumn: column }),
  /** One column per field (and optional disaggregation): each row gives several values. */
  z.object({ kind: z.literal("wide"), values: z.array(WideValueColumnSchema).min(1, "at least one value column") }),
]);

export const DEFAULT_NA_TOKENS = ["", "NA", "N/A", "n/a", "-", "--", "null", "#N/A", "nil", "."];

export const ValueCleaningSchema = z
  .object({
    decimalSeparator: z.enum([".", ","]).default("."),
    /** "" when numbers are not grouped. A space also accepts the no-break spaces spreadsheets use. */
    thousandsSeparator: z.enum(["", ",", ".", " ", "'"]).default(""),
    /** Values meaning "no value", compared trimmed and case-insensitively. */
    naTokens: z.array(z.string()).default(DEFAULT_NA_TOKENS),
    /** Blank and NA cells: "skip" (count them, emit nothing) or "keep" (an observation with a null value). */
    blanks: z.enum(["skip", "keep"]).default("skip"),
  })
  .refine((v) => v.decimalSeparator !== v.thousandsSeparator, {
    message: "the decimal and thousands separators must differ",
    path: ["thousandsSeparator"],
  });

export const ColumnMappingSchema = z
  .object({
    /** The source id written on every observation. */
    source: z.string().min(1),
    period: PeriodMappingSchema,
    /** One column per level, from the top; the deepest non-empty one is the row's location. */
    location: z.array(LocationColumnSchema).min(1, "at least one location column"),
    layout: LayoutSchema,
    /** Column holding the disaggregation (e.g. DHIS2 category option combo); a wide column's own one wins. */
    disaggregationColumn: column.optional(),
    values: ValueCleaningSchema.prefault({}),
  })
  .superRefine((m, ctx) => {
    const levels = m.location.map((l) => l.level);
    if (new Set(levels).size !== levels.length) {
      ctx.addIssue({ code: "custom", message: "two location columns name the same level", path: ["location"] });
    }
  });

/** A mapping as stored (defaults may be left out). */
export type ColumnMappingInput = z.input<typeof ColumnMappingSchema>;
/** A validated mapping, defaults filled in. */
export type ColumnMapping = z.output<typeof ColumnMappingSchema>;
export type PeriodMapping = z.output<typeof PeriodMappingSchema>;
export type ValueCleaning = z.output<typeof ValueCleaningSchema>;
/** Named for the brief: `ColumnMapping.parse(x)` reads as the schema. */
export const ColumnMapping = ColumnMappingSchema;
