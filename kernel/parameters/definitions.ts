/**
 * Input cell definitions (zod): what an input is called, its type, its choices and its default. Values are checked
 * against these in validate.ts; definitions themselves come from the shared notebook document, so they are untrusted
 * and parsed here too.
 */
import { z } from "zod";
import { PERIOD_TYPES, RELATIVE_PERIOD_KINDS } from "../../connectors/harmonize/periods/index.ts";

/** Input names become `$name` in SQL: a plain identifier. */
export const inputNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "an input name is a letter or _ followed by letters, digits or _ (at most 63)");

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD");

export const periodTypeSchema = z.enum(PERIOD_TYPES);
export const relativePeriodSchema = z.enum(RELATIVE_PERIOD_KINDS as [string, ...string[]]);

export const dateRangeValueSchema = z.object({ from: isoDate, to: isoDate });
export type DateRangeValue = z.infer<typeof dateRangeValueSchema>;

/** A period choice: a range of one type's periods (bounds are period ids or dates), or a relative choice. */
export const periodValueSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("range"), periodType: periodTypeSchema, from: z.string().min(1), to: z.string().min(1) }),
  z.object({ kind: z.literal("relative"), periodType: periodTypeSchema, relative: relativePeriodSchema }),
]);
export type PeriodValue = z.infer<typeof periodValueSchema>;

const option = z.union([z.string(), z.object({ value: z.string(), label: z.string().optional() })]);

const base = { name: inputNameSchema, label: z.string().max(200).optional() };

export const inputDefinitionSchema = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("select"),
    /** Fixed options; when absent the options come from a SQL cell's column (`context.options[name]`). */
    options: z.array(option).max(10_000).optional(),
    optionsFrom: z.object({ cell: z.string(), column: z.string() }).optional(),
    default: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal("multi-select"),
    options: z.array(option).max(10_000).optional(),
    optionsFrom: z.object({ cell: z.string(), column: z.string() }).optional(),
    default: z.array(z.string()).optional(),
  }),
  z.object({
    ...base,
    type: z.literal("text"),
    maxLength: z.number().int().positive().max(100_000).default(1_000),
    default: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal("number"),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
    default: z.number().optional(),
  }),
  z.object({ ...base, type: z.literal("date-range"), default: dateRangeValueSchema.optional() }),
  z.object({
    ...base,
    type: z.literal("period"),
    /** Types the picker offers; the first is the default type. */
    periodTypes: z.array(periodTypeSchema).min(1).default(["Monthly"]),
    default: periodValueSchema.optional(),
  }),
  z.object({
    ...base,
    type: z.literal("location"),
    multiple: z.boolean().default(false),
    /** Only locations at these hierarchy levels may be picked (all when absent). */
    levels: z.array(z.number().int()).optional(),
    default: z.union([z.string(), z.array(z.string())]).optional(),
  }),
]);

export type InputDefinition = z.infer<typeof inputDefinitionSchema>;
export type InputDefinitionInput = z.input<typeof inputDefinitionSchema>;
export type InputType = InputDefinition["type"];

/** The value each input type holds. */
export type InputValue = string | number | string[] | DateRangeValue | PeriodValue | null;

/** One node of the workspace hierarchy a location picker offers (from the dataset's `locations` table). */
export interface LocationNode {
  id: string;
  name: string;
  level?: number;
  parentId?: string | null;
}

/** What validation needs beyond the definition: options computed from SQL cells, the hierarchy, today's date. */
export interface ValidationContext {
  /** Options of selects whose options come from a SQL cell, by input name. */
  options?: Readonly<Record<string, readonly string[]>>;
  locations?: readonly LocationNode[];
  /** "YYYY-MM-DD" (relative periods); default: today in UTC. */
  today?: string;
}

export function optionValues(def: Extract<InputDefinition, { type: "select" | "multi-select" }>, context: ValidationContext) {
  if (def.options) return def.options.map((o) => (typeof o === "string" ? o : o.value));
  return context.options?.[def.name] ?? null;
}

/** Parses definitions and refuses duplicate names (case-insensitive, as DuckDB matches `$name`). */
export function parseDefinitions(raw: unknown[]): InputDefinition[] {
  const defs = raw.map((d, i) => {
    const parsed = inputDefinitionSchema.safeParse(d);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = (d as { name?: unknown })?.name;
      throw new TypeError(
        `input ${typeof name === "string" ? `\`${name}\`` : `#${i + 1}`}: ${issue.path.join(".") || "definition"}: ${issue.message}`,
      );
    }
    return parsed.data;
  });
  const seen = new Map<string, string>();
  for (const d of defs) {
    for (const provided of providedNames(d)) {
      const key = provided.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined) {
        throw new TypeError(
          provided === d.name && key === other.toLowerCase()
            ? `input \`${d.name}\`: two inputs have this name`
            : `input \`${d.name}\`: its parameter $${provided} clashes with input \`${other}\``,
        );
      }
      seen.set(key, d.name);
    }
  }
  return defs;
}

/**
 * The `$names` an input gives SQL. Ranges also give their ends: a date range `r` gives `$r` (a list [from, to]),
 * `$r_from` and `$r_to`; a period picker `p` gives `$p` (the period ids), `$p_start`, `$p_end` and `$p_type`.
 */
export function providedNames(def: InputDefinition): string[] {
  if (def.type === "date-range") return [def.name, `${def.name}_from`, `${def.name}_to`];
  if (def.type === "period") return [def.name, `${def.name}_start`, `${def.name}_end`, `${def.name}_type`];
  return [def.name];
}
