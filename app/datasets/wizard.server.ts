import { z } from "zod";
import { adxPipelineSpec } from "../../connectors/adx/pipeline.ts";
import { type PipelineSpec, pipelineSpecSchema } from "../../connectors/core/pipeline-spec.ts";
import { connectorFor } from "../../connectors/core/registry.ts";
import { PERIOD_TYPES } from "../../connectors/core/types.ts";
import { fieldIdFromName, uniqueFieldIds } from "../../connectors/harmonize/fields/index.ts";

/** What the mapping step posts: one role per column (by index, since column names can be anything). */
export const ROLE_VALUES = ["", "period", "value", "field", "amount", "disaggregation"] as const;

export interface WizardSource {
  kind: "csv" | "excel" | "adx";
  path: string;
  name: string;
  sheet?: string;
}

export class WizardError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const formSchema = z.object({
  title: z.string().trim().min(1, "Give the dataset a title."),
  slug: z.string().trim(),
  periodHow: z.enum(["month", "date", "week", "dhis2-id"]),
  periodType: z.enum(PERIOD_TYPES).default("Monthly"),
  decimal: z.enum([".", ","]).default("."),
});

/** Builds and validates the pipeline spec from the mapping form. Problems are listed in the user's terms. */
export async function specFromForm(form: FormData, source: WizardSource, columns: string[]): Promise<PipelineSpec> {
  const base = formSchema.safeParse(Object.fromEntries(form));
  if (!base.success) throw new WizardError(base.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const { title, periodHow, periodType, decimal } = base.data;
  const slug = base.data.slug || fieldIdFromName(title);
  const roleOf = (i: number) => String(form.get(`role.${i}`) ?? "");
  const problems: string[] = [];

  const indexes = columns.map((_, i) => i);
  const periodColumns = indexes.filter((i) => roleOf(i) === "period");
  const locationColumns = indexes
    .filter((i) => roleOf(i).startsWith("location:"))
    .map((i) => ({ column: columns[i], level: Number(roleOf(i).split(":")[1]), by: String(form.get(`by.${i}`) ?? "name") }))
    .sort((a, b) => a.level - b.level);
  const valueColumns = indexes.filter((i) => roleOf(i) === "value").map((i) => columns[i]);
  const fieldColumn = indexes.find((i) => roleOf(i) === "field");
  const amountColumn = indexes.find((i) => roleOf(i) === "amount");
  const disaggregation = indexes.find((i) => roleOf(i) === "disaggregation");

  if (periodColumns.length !== 1) problems.push("Choose exactly one column as the period.");
  if (locationColumns.length === 0) problems.push("Choose at least one location column (one per hierarchy level).");
  const long = fieldColumn !== undefined || amountColumn !== undefined;
  if (long && (fieldColumn === undefined || amountColumn === undefined)) {
    problems.push("A long table needs both a “field name” column and a “value” column.");
  }
  if (!long && valueColumns.length === 0) problems.push("Choose at least one column of values (one per field).");
  if (problems.length) throw new WizardError(problems);

  const sourceConfig =
    source.kind === "excel"
      ? { path: source.path, name: source.name, sheet: source.sheet }
      : { path: source.path, name: source.name };
  let fields: { field_id: string; name: string; source_field_id?: string }[];
  let layout: Record<string, unknown>;
  if (long) {
    const names = await distinctValues({ kind: source.kind, config: sourceConfig }, columns[fieldColumn as number], 500);
    const ids = uniqueFieldIds(names);
    fields = names.map((name, i) => ({ field_id: ids[i], name, source_field_id: name }));
    layout = { kind: "long", fieldColumn: columns[fieldColumn as number], valueColumn: columns[amountColumn as number] };
  } else {
    const ids = uniqueFieldIds(valueColumns);
    fields = valueColumns.map((name, i) => ({ field_id: ids[i], name }));
    layout = { kind: "wide", values: valueColumns.map((column, i) => ({ column, field_id: ids[i] })) };
  }
  const period =
    periodHow === "dhis2-id"
      ? { how: "dhis2-id", column: columns[periodColumns[0]] }
      : periodHow === "month"
        ? { how: "month", column: columns[periodColumns[0]] }
        : periodHow === "week"
          ? { how: "week", column: columns[periodColumns[0]] }
          : { how: "date", column: columns[periodColumns[0]], periodType };
  const parsed = pipelineSpecSchema.safeParse({
    dataset: { slug, title },
    source: { kind: source.kind, config: sourceConfig },
    mapping: {
      source: slug,
      period,
      location: locationColumns,
      layout,
      disaggregationColumn: disaggregation === undefined ? undefined : columns[disaggregation],
      values: { decimalSeparator: decimal, thousandsSeparator: decimal === "," ? "." : "" },
    },
    fields,
  });
  if (!parsed.success) throw new WizardError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  return parsed.data;
}

/** Distinct non-empty values of one column over the whole file (a long table's field names), at most `limit`. */
async function distinctValues(source: { kind: string; config: Record<string, unknown> }, column: string, limit: number) {
  const seen = new Set<string>();
  const controller = new AbortController();
  const batches = connectorFor(source.kind).extract(source.config, {
    signal: controller.signal,
    fetch,
    tempDir: "",
    report: () => {},
    progress: () => {},
  });
  for await (const batch of batches) {
    for (const r of batch.records) {
      const v = r.values[column];
      if (v !== null && v !== undefined && String(v).trim() !== "") seen.add(String(v).trim());
    }
    if (seen.size > limit) throw new WizardError([`The column “${column}” holds more than ${limit} different field names.`]);
  }
  return [...seen].sort();
}

const adxFormSchema = z.object({
  title: z.string().trim().min(1, "Give the dataset a title."),
  slug: z.string().trim(),
  level: z.coerce.number().int().min(1, "Choose the hierarchy level of the file's org units."),
  idScheme: z.enum(["code", "uid", "name"]).default("code"),
});

/** An ADX upload has a fixed shape: only the dataset's name, the org units' level and how they are identified. */
export async function specFromAdxForm(form: FormData, source: WizardSource): Promise<PipelineSpec> {
  const parsed = adxFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new WizardError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const { title, level, idScheme } = parsed.data;
  const slug = parsed.data.slug || fieldIdFromName(title);
  try {
    return await adxPipelineSpec({
      dataset: { slug, title },
      config: { path: source.path, name: source.name, idScheme },
      level,
    });
  } catch (error) {
    throw new WizardError([error instanceof Error ? error.message : String(error)]);
  }
}
