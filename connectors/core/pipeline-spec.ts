import { z } from "zod";
import { adxConfigSchema } from "../adx/config-schema.ts";
import { csvConfigSchema } from "../csv/config-schema.ts";
import { dhis2ConfigSchema } from "../dhis2/config-schema.ts";
import { excelConfigSchema } from "../excel/config-schema.ts";
import { FieldDefinitionSchema } from "../harmonize/fields/schema.ts";
import { ColumnMappingSchema } from "../harmonize/mapping/schema.ts";

export const SLUG_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** A dataset slug is what notebooks attach the dataset under (`SELECT … FROM malaria.observations`): a SQL identifier. */
export const slugSchema = z
  .string()
  .regex(SLUG_PATTERN, "must start with a letter and hold only lowercase letters, digits and _ (at most 63)")
  .refine((s) => !RESERVED_SLUGS.has(s), "is a reserved word");

const RESERVED_SLUGS = new Set([
  "main",
  "memory",
  "system",
  "temp",
  "information_schema",
  "pg_catalog",
  "select",
  "from",
  "where",
]);

export const sourceSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("csv"), config: csvConfigSchema }),
  z.object({ kind: z.literal("excel"), config: excelConfigSchema }),
  z.object({ kind: z.literal("dhis2"), config: dhis2ConfigSchema }),
  z.object({ kind: z.literal("adx"), config: adxConfigSchema }),
]);

/** Everything a run needs besides the workspace's hierarchy and decisions: what the CLI reads and a saved source stores. */
export const pipelineSpecSchema = z.object({
  dataset: z.object({
    slug: slugSchema,
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
  }),
  source: sourceSpecSchema,
  mapping: ColumnMappingSchema,
  fields: z.array(FieldDefinitionSchema).min(1, "at least one field"),
  matching: z
    .object({
      typeWords: z.array(z.string()).optional(),
      fuzzyThreshold: z.number().min(0.5).max(1).optional(),
    })
    .default({}),
});

export type PipelineSpec = z.output<typeof pipelineSpecSchema>;
export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;
export type SourceSpec = z.output<typeof sourceSpecSchema>;
