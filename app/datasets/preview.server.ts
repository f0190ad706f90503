import { parseAdx } from "../../connectors/adx/extract.ts";
import { readXmlFile } from "../../connectors/adx/xml-text.ts";
import type { RawValue } from "../../connectors/core/types.ts";
import { previewCsv } from "../../connectors/csv/index.ts";
import { previewExcel } from "../../connectors/excel/index.ts";
import { uploadKind } from "./uploads.server.ts";

const ADX_COLUMNS = ["dataElement", "orgUnit", "period", "disaggregation", "value"];

export interface UploadPreview {
  kind: "csv" | "excel" | "adx";
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
  const kind = uploadKind(upload.fileName);
  if (kind === "adx") {
    // ADX has a fixed shape: the preview shows its values as records (malformed XML throws with line and column).
    const { records, issues } = parseAdx(await readXmlFile(upload.storedPath, upload.fileName), upload.fileName);
    return {
      kind: "adx",
      columns: ADX_COLUMNS,
      rows: records.slice(0, 20).map((r) => ({ row: r.place.row ?? 0, values: ADX_COLUMNS.map((c) => text(r.values[c])) })),
      sheets: [],
      sheet: null,
      issues: issues.slice(0, 20).map((i) => i.message),
    };
  }
  if (kind === "excel") {
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
