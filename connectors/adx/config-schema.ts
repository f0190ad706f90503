import { z } from "zod";
import { ADX_ID_SCHEMES } from "./types.ts";

/** An ADX source: one uploaded file. */
export const adxConfigSchema = z.object({
  /** Where the uploaded file sits on the server. */
  path: z.string().min(1),
  /** The name users know the file by (the upload's original name); used in places and messages. */
  name: z.string().min(1).optional(),
  /** Name of the table the batches belong to; defaults to the file name. */
  table: z.string().min(1).optional(),
  /** What the file's orgUnit / dataElement / dataSet identifiers are (ADX messages usually carry codes). */
  idScheme: z.enum(ADX_ID_SCHEMES).optional(),
  batchSize: z.number().int().min(1).max(500_000).default(50_000),
});

export type AdxConfig = z.infer<typeof adxConfigSchema>;
export type AdxConfigInput = z.input<typeof adxConfigSchema>;
