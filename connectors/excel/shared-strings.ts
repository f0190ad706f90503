/**
 * The workbook's shared-string table read straight from the ZIP. exceljs's streaming reader normally resolves shared
 * strings itself, but when it parses a sheet before its table is loaded it hands back `{ sharedString: index }`
 * instead of the text (seen in CI on a workbook whose sheets precede xl/sharedStrings.xml). This is the fallback.
 */
import { xmlDecode } from "./sheet-scan.ts";
import type { OpenedWorkbook } from "./workbook.ts";
import { readZipText } from "./zip.ts";

const ITEM = /<si\b[^>]*>([\s\S]*?)<\/si>/g;
const TEXT = /<t\b[^>]*>([\s\S]*?)<\/t>/g;
/** Phonetic guides (furigana) are not part of the displayed text. */
const PHONETIC = /<rPh\b[\s\S]*?<\/rPh>/g;

export async function readSharedStrings(book: OpenedWorkbook): Promise<string[]> {
  const entry = book.entries.get("xl/sharedStrings.xml");
  if (!entry) return [];
  const xml = await readZipText(book.path, entry);
  return [...xml.matchAll(ITEM)].map((item) =>
    [...item[1].replace(PHONETIC, "").matchAll(TEXT)].map((t) => xmlDecode(t[1])).join(""),
  );
}

/** The index of an unresolved shared-string cell value, or undefined for any other value. */
export function sharedStringIndex(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const index = (value as { sharedString?: unknown }).sharedString;
  return typeof index === "number" ? index : undefined;
}
