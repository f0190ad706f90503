import iconv from "iconv-lite";
import { z } from "zod";
import { CSV_DELIMITERS, CSV_QUOTES } from "./types.ts";

/** A CSV source as saved by the upload wizard. Options left out are detected when the file is read. */
export const csvConfigSchema = z.object({
  /** Where the uploaded file sits on the server. */
  path: z.string().min(1),
  /** The name users know the file by (the upload's original name); used in places and messages. */
  name: z.string().min(1).optional(),
  /** Name of the table the batches belong to; defaults to the file name. */
  table: z.string().min(1).optional(),
  encoding: z
    .string()
    .refine((e) => iconv.encodingExists(e), { message: "unknown text encoding" })
    .optional(),
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  quote: z.enum(CSV_QUOTES).optional(),
  skipRows: z.number().int().min(0).default(0),
  /** false → columns are named column_1, column_2…; left out → guessed from the first row. */
  header: z.boolean().optional(),
  batchSize: z.number().int().min(1).max(500_000).default(50_000),
});

export type CsvConfig = z.infer<typeof csvConfigSchema>;
export type CsvConfigInput = z.input<typeof csvConfigSchema>;
