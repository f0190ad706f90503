/** What a data manager configures for a DHIS2 source. Validated at every boundary (form, stored config, runner). */
import { z } from "zod";

/** DHIS2 uids: 11 characters, a letter first, then letters and digits. */
export const dhis2Uid = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{10}$/, "not a DHIS2 id (11 letters/digits, starting with a letter)");

export const basicAuthSchema = z.object({
  type: z.literal("basic"),
  username: z.string().trim().min(1, "username is required"),
  password: z.string().min(1, "password is required"),
});
export const tokenAuthSchema = z.object({
  type: z.literal("token"),
  /** A personal access token, sent as `Authorization: ApiToken d2pat_…`. */
  token: z.string().trim().min(1, "token is required"),
});
export const dhis2AuthSchema = z.discriminatedUnion("type", [basicAuthSchema, tokenAuthSchema]);
export type Dhis2Auth = z.infer<typeof dhis2AuthSchema>;

export const retrySchema = z.object({
  /** Attempts after the first one, for 5xx, connection resets, timeouts and truncated bodies. */
  retries: z.number().int().min(0).max(10).default(4),
  baseDelayMs: z.number().min(0).default(500),
  maxDelayMs: z.number().min(0).default(15_000),
  /** Per-request timeout; analytics on a large DHIS2 can be slow, hence the generous default. */
  timeoutMs: z.number().int().positive().default(120_000),
});
export type RetryOptions = z.infer<typeof retrySchema>;

export const chunkingSchema = z.object({
  periodsPerChunk: z.number().int().positive().default(12),
  orgUnitsPerChunk: z.number().int().positive().default(50),
  dataItemsPerChunk: z.number().int().positive().default(50),
});
export type ChunkingOptions = z.infer<typeof chunkingSchema>;

export const selectionSchema = z.object({
  dataElements: z.array(dhis2Uid).default([]),
  indicators: z.array(dhis2Uid).default([]),
  /** Data sets, for dataValueSets mode (DHIS2 selects values by data set or data element). */
  dataSets: z.array(dhis2Uid).default([]),
  /** Fixed ISO periods ("202401", "2024Q1") or relative ones ("LAST_12_MONTHS"), expanded before chunking. */
  periods: z.array(z.string().trim().min(1)).min(1, "choose at least one period"),
  /** The date relative periods are counted from (YYYY-MM-DD); defaults to today. */
  referenceDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  orgUnits: z.object({
    /** Subtree roots; with no levels, the roots themselves are the org units asked for. */
    roots: z.array(dhis2Uid).min(1, "choose at least one org unit"),
    /** Org unit levels (1 = country) to take under the roots. */
    levels: z.array(z.number().int().min(1).max(10)).default([]),
  }),
});
export type Dhis2Selection = z.infer<typeof selectionSchema>;

export const dhis2ConfigSchema = z
  .object({
    baseUrl: z
      .string()
      .trim()
      .url("not a URL")
      .refine((u) => /^https?:\/\//i.test(u), "the URL must start with http:// or https://")
      .transform((u) => u.replace(/\/+$/, "").replace(/\/api$/, "")),
    auth: dhis2AuthSchema,
    mode: z.enum(["analytics", "dataValueSets"]).default("analytics"),
    selection: selectionSchema,
    chunking: chunkingSchema.default({ periodsPerChunk: 12, orgUnitsPerChunk: 50, dataItemsPerChunk: 50 }),
    retry: retrySchema.default({ retries: 4, baseDelayMs: 500, maxDelayMs: 15_000, timeoutMs: 120_000 }),
  })
  .superRefine((config, ctx) => {
    const s = config.selection;
    if (config.mode === "analytics" && s.dataElements.length + s.indicators.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["selection", "dataElements"],
        message: "choose at least one data element or indicator",
      });
    }
    if (config.mode === "dataValueSets") {
      if (s.indicators.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["selection", "indicators"],
          message: "indicators are computed by analytics; dataValueSets mode reads raw data elements only",
        });
      }
      if (s.dataElements.length + s.dataSets.length === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["selection", "dataSets"],
          message: "choose at least one data set or data element",
        });
      }
    }
  });

export type Dhis2ConfigInput = z.input<typeof dhis2ConfigSchema>;
export type Dhis2Config = z.output<typeof dhis2ConfigSchema>;
