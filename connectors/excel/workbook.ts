/**
 * What is inside an .xlsx before reading cells: refuses other formats with a message naming the file and the format,
 * lists the sheets (tab order, hidden state, XML path) and reads the date system.
 */
import { open } from "node:fs/promises";
import { basename, extname } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { type SheetInfo, type SheetState, SourceFileError, type WorkbookInfo } from "./types.ts";
import { readZipDirectory, readZipText, type ZipEntry } from "./zip.ts";

export interface OpenedWorkbook extends WorkbookInfo {
  path: string;
  file: string;
  entries: Map<string, ZipEntry>;
  /** Sheet name → path of its XML inside the ZIP. */
  sheetPaths: Map<string, string>;
}

const MAGIC: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: "a legacy Excel 97-2003 (.xls, BIFF) workbook" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
];

export async function openWorkbook(path: string, name?: string): Promise<OpenedWorkbook> {
  const file = name ?? basename(path);
  const fail = (why: string) => new SourceFileError(`file ${file}: ${why}`, { file });
  const head = Buffer.alloc(8);
  let size: number;
  try {
    const handle = await open(path, "r");
    try {
      size = (await handle.stat()).size;
      await handle.read(head, 0, 8, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (size === 0) throw fail("is empty (0 bytes)");
  for (const { bytes, what } of MAGIC) {
    if (bytes.every((b, i) => head[i] === b)) {
      throw fail(`is ${what}; only .xlsx workbooks are read: open it in Excel or LibreOffice and save it as .xlsx`);
    }
  }
  if (head.readUInt32LE(0) !== 0x04034b50) {
    const ext = extname(file).toLowerCase();
    const hint = ext === ".csv" || ext === ".txt" ? " (upload it as CSV instead)" : "";
    throw fail(`is not an .xlsx workbook (no ZIP signature; looks like text or another format)${hint}`);
  }
  let entries: Map<string, ZipEntry>;
  try {
    entries = await readZipDirectory(path);
  } catch (error) {
    throw fail(`is not a readable .xlsx workbook: ${(error as Error).message}`);
  }
  if (!entries.has("xl/workbook.xml")) {
    if (entries.has("xl/workbook.bin")) throw fail("is an Excel binary workbook (.xlsb); save it as .xlsx");
    if (entries.has("content.xml")) throw fail("is an OpenDocument spreadsheet (.ods); save it as .xlsx");
    throw fail("is a ZIP archive but not an .xlsx workbook (no xl/workbook.xml)");
  }
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    removeNSPrefix: true,
    isArray: (n) => n === "sheet" || n === "Relationship",
  });
  const book = xml.parse(await readZipText(path, entries.get("xl/workbook.xml")!));
  const relsEntry = entries.get("xl/_rels/workbook.xml.rels");
  const rels = relsEntry ? xml.parse(await readZipText(path, relsEntry)) : {};
  const targets = new Map<string, string>();
  for (const rel of rels?.Relationships?.Relationship ?? []) targets.set(rel.Id, resolveTarget(String(rel.Target)));
  const sheets: SheetInfo[] = [];
  const sheetPaths = new Map<string, string>();
  (book?.workbook?.sheets?.sheet ?? []).forEach((s: Record<string, string>, index: number) => {
    const state: SheetState = s.state === "hidden" || s.state === "veryHidden" ? s.state : "visible";
    const name = String(s.name);
    sheets.push({ name, index, state, hidden: state !== "visible" });
    const target = targets.get(s.id);
    if (target) sheetPaths.set(name, target);
  });
  const pr = book?.workbook?.workbookPr ?? {};
  const date1904 = pr.date1904 === "1" || pr.date1904 === "true";
  return { path, file, entries, sheetPaths, sheets, date1904 };
}

/** Relationship targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml"). */
function resolveTarget(target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = ["xl"];
  for (const part of target.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** Sheets in tab order with their hidden flag. */
export async function listSheets(path: string, name?: string): Promise<SheetInfo[]> {
  return (await openWorkbook(path, name)).sheets;
}

/** The sheet to read: the one asked for, else the first visible one. */
export function chooseSheet(book: OpenedWorkbook, wanted?: string): SheetInfo {
  if (wanted !== undefined) {
    const found = book.sheets.find((s) => s.name === wanted);
    if (!found) {
      const names = book.sheets.map((s) => `"${s.name}"`).join(", ");
      throw new SourceFileError(`file ${book.file}: there is no sheet "${wanted}" (sheets: ${names})`, {
        file: book.file,
        sheet: wanted,
      });
    }
    return found;
  }
  const visible = book.sheets.find((s) => !s.hidden);
  if (!visible) throw new SourceFileError(`file ${book.file}: the workbook has no visible sheet`, { file: book.file });
  return visible;
}
