import type { RawValue } from "../../connectors/core/types.ts";
import { previewCsv } from "../../connectors/csv/index.ts";
import { previewExcel } from "../../connectors/excel/index.ts";
import { uploadKind } from "./uploads.server.ts";

export interface UploadPreview {
  kind: "csv" | "excel";
  columns: string[];
  rows: Array<{ row: number; values: Array<string | null> }>;
  sheets: Array<{ name: string; hidden: boolean }>;
  sheet: string | null;
  issues: string[];
}

const text = (v: RawValue | undefined): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);

/** The first rows of an uploaded file as the wizard shows them. Whole-file problems throw with the file's name. */
export async function previewUpload(
  upload: { storedPath: string; fileName: string },
  sheet?: string | null,
): Promise<UploadPreview> {
  if (uploadKind(upload.fileName) === "excel") {
    const p = await previewExcel(upload.storedPath, { name: upload.fileName, sheet: sheet || undefined }, 20);
    return {
      kind: "excel",
      columns: p.columns,
      rows: p.rows.map((r) => ({ row: r.row, values: p.columns.map((c) => text(r.values[c])) })),
      sheets: p.sheets.map((s) => ({ name: s.name, hidden: s.hidden })),
      sheet: p.sheet,
      issues: p.issues.map((i) => i.message),
    };
  }
  const p = await previewCsv(upload.storedPath, { name: upload.fileName }, 20);
  return {
    kind: "csv",
    columns: p.columns,
    rows: p.rows.map((r) => ({ row: r.row, values: r.values })),
    sheets: [],
    sheet: null,
    issues: p.issues.map((i) => i.message),
  };
}
