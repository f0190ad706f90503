/**
 * What the SQL editor completes: every dataset the user may read under its slug with the base-format tables (DESIGN.md
 * "The base format"), and every named SQL cell with the columns of its last result.
 */
import type { EditorSchema } from "../../notebook/components/index.ts";

/** The base format's tables and their fixed columns. `locations` also has one name column per hierarchy level. */
export const BASE_FORMAT: Record<string, readonly string[]> = {
  observations: [
    "source",
    "field_id",
    "disaggregation",
    "location_id",
    "period_type",
    "period_id",
    "period_start",
    "period_end",
    "value",
    "value_text",
  ],
  locations: ["location_id", "name", "level", "level_name", "parent_id", "path"],
  fields: ["field_id", "name", "description", "unit", "source_field_id", "aggregation"],
};

export function buildEditorSchema(
  datasetSlugs: readonly string[],
  cells: readonly { name: string; columns: readonly string[] | null }[],
): EditorSchema {
  const schema: Record<string, readonly string[]> = {};
  for (const slug of datasetSlugs)
    for (const [table, columns] of Object.entries(BASE_FORMAT)) schema[`${slug}.${table}`] = columns;
  for (const cell of cells) if (cell.name) schema[cell.name] = cell.columns ?? [];
  return schema;
}
