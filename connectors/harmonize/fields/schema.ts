/** Field definitions (the `fields` table) validated with zod at the boundary where people or sources supply them. */
import { z } from "zod";
import type { Aggregation, FieldRow } from "../../core/types.ts";
import { FIELD_ID_PATTERN } from "./field-id.ts";

export const AGGREGATIONS = ["sum", "average", "last", "min", "max", "count", "none"] as const satisfies readonly Aggregation[];

const optionalText = z
  .string()
  .trim()
  .nullish()
  .transform((v) => (v === undefined || v === null || v.length === 0 ? null : v));

export const FieldDefinitionSchema = z.object({
  field_id: z
    .string()
    .regex(FIELD_ID_PATTERN, "must be lowercase letters, digits and _, start with a letter, at most 63 characters"),
  name: z.string().trim().min(1, "must not be empty"),
  unit: optionalText,
  aggregation: z.enum(AGGREGATIONS).default("sum"),
  description: optionalText,
  source_field_id: optionalText,
});

export type FieldDefinitionInput = z.input<typeof FieldDefinitionSchema>;

export class FieldDefinitionError extends Error {
  override name = "FieldDefinitionError";
  constructor(readonly problems: string[]) {
    super(`field definitions are invalid:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

/**
 * Validates field definitions; every problem is named with the field's position and id ("field #3 (`cases`), unit: …"),
 * and ids or source ids used twice are refused (harmonization would not know which field a value belongs to).
 */
export function parseFieldDefinitions(input: unknown): FieldRow[] {
  const list = z.array(z.unknown()).safeParse(input);
  if (!list.success) throw new FieldDefinitionError(["expected a list of field definitions"]);
  const problems: string[] = [];
  const fields: FieldRow[] = [];
  const seenIds = new Map<string, number>();
  const seenSource = new Map<string, number>();
  list.data.forEach((item, i) => {
    const label = `field #${i + 1}${typeof item === "object" && item && "field_id" in item ? ` (\`${String((item as { field_id: unknown }).field_id)}\`)` : ""}`;
    const parsed = FieldDefinitionSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${label}, ${issue.path.join(".") || "value"}: ${issue.message}`);
      return;
    }
    const field = parsed.data;
    const idAt = seenIds.get(field.field_id);
    if (idAt !== undefined) problems.push(`${label}: field_id is already used by field #${idAt}`);
    else seenIds.set(field.field_id, i + 1);
    if (field.source_field_id !== null) {
      const srcAt = seenSource.get(field.source_field_id);
      if (srcAt !== undefined)
        problems.push(`${label}: source_field_id ${field.source_field_id} is already used by field #${srcAt}`);
      else seenSource.set(field.source_field_id, i + 1);
    }
    fields.push(field);
  });
  if (problems.length > 0) throw new FieldDefinitionError(problems);
  return fields;
}

/**
 * DHIS2 `aggregationType` (SUM, AVERAGE, AVERAGE_SUM_ORG_UNIT, LAST…) → our aggregation. The AVERAGE_SUM_* kinds
 * (averaged over time, summed over places) become "average": over time is where summing would be wrong.
 */
export function aggregationFromDhis2(aggregationType: string | null | undefined): Aggregation {
  switch ((aggregationType ?? "").toUpperCase()) {
    case "SUM":
      return "sum";
    case "AVERAGE":
    case "AVERAGE_SUM_ORG_UNIT":
    case "AVERAGE_SUM_INT":
    case "AVERAGE_INT":
    case "AVERAGE_INT_DISAGGREGATION":
    case "AVERAGE_SUM_INT_DISAGGREGATION":
      return "average";
    case "LAST":
    case "LAST_AVERAGE_ORG_UNIT":
    case "LAST_IN_PERIOD":
    case "LAST_IN_PERIOD_AVERAGE_ORG_UNIT":
      return "last";
    case "MIN":
      return "min";
    case "MAX":
      return "max";
    case "COUNT":
      return "count";
    default:
      return "none";
  }
}
