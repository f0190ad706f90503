import { z } from "zod";

/** An .xlsx source as saved by the upload wizard. */
export const excelConfigSchema = z.object({
  /** Where the uploaded file sits on the server. */
  path: z.string().min(1),
  /** The name users know the file by (the upload's original name); used in places and messages. */
  name: z.string().min(1).optional(),
  /** Sheet to read; left out → the first visible sheet (hidden sheets are never picked by default). */
  sheet: z.string().min(1).optional(),
  /** 1-based row with the column names; left out → the first non-empty row; 0 → no header (columns column_A…). */
  headerRow: z.number().int().min(0).optional(),
  /** Name of the table the batches belong to; defaults to the sheet name. */
  table: z.string().min(1).optional(),
  batchSize: z.number().int().min(1).max(500_000).default(50_000),
});

export type ExcelConfig = z.infer<typeof excelConfigSchema>;
export type ExcelConfigInput = z.input<typeof excelConfigSchema>;
