/**
 * One streaming pass over a sheet's raw XML for what exceljs's streaming reader drops or misreads: merged ranges (it
 * ignores <mergeCell>, which sits after all rows); ISO-8601 date cells (t="d", written by non-Excel tools, which it
 * reads as the serial number 2014 for "2014-02-14T…"); formulas whose cached result is inline text, a boolean or an
 * error (it parses those results as numbers and gets NaN or 1).
 */
import { StringDecoder } from "node:string_decoder";
import type { OpenedWorkbook } from "./workbook.ts";
import { openZipEntry } from "./zip.ts";

export interface MergedRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface RawCell {
  /** "d" (ISO date), "inlineStr", "b" or "e", as in the t attribute. */
  type: string;
  text: string;
}

export interface SheetExtras {
  merges: MergedRange[];
  /** Cell reference ("B5") → the cell's type and raw text, for the cells exceljs misreads. */
  raw: Map<string, RawCell>;
}

const MERGE = /<mergeCell\b[^>]*?\bref="([A-Z]+\d+)(?::([A-Z]+\d+))?"/g;
const CELL = /<c\b([^>]*)>([\s\S]*?)<\/c>/g;
const TYPE = /\bt=["']([a-zA-Z]+)["']/;

export async function scanSheet(book: OpenedWorkbook, sheetPath: string): Promise<SheetExtras> {
  const extras: SheetExtras = { merges: [], raw: new Map() };
  const entry = book.entries.get(sheetPath);
  if (!entry) return extras;
  const decoder = new StringDecoder("utf8");
  let buffer = "";
  let afterRows = false;
  const consume = (text: string) => {
    if (/t=["']d["']|<f[ >]/.test(text)) {
      for (const m of text.matchAll(CELL)) {
        const type = TYPE.exec(m[1])?.[1];
        if (!type || (type !== "d" && !(["inlineStr", "b", "e"].includes(type) && /<f[ >]/.test(m[2])))) continue;
        const ref = /\br=["']([A-Z]+\d+)["']/.exec(m[1])?.[1];
        const inner =
          type === "inlineStr"
            ? [...m[2].matchAll(/<t\b[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]).join("")
            : /<v>([^<]*)<\/v>/.exec(m[2])?.[1];
        if (ref && inner !== undefined) extras.raw.set(ref, { type, text: xmlDecode(inner) });
      }
    }
    if (afterRows) {
      for (const m of text.matchAll(MERGE)) {
        const a = decodeRef(m[1]);
        const b = decodeRef(m[2] ?? m[1]);
        extras.merges.push({
          top: Math.min(a.row, b.row),
          left: Math.min(a.col, b.col),
          bottom: Math.max(a.row, b.row),
          right: Math.max(a.col, b.col),
        });
      }
    }
  };
  for await (const chunk of await openZipEntry(book.path, entry)) {
    buffer += decoder.write(chunk as Buffer);
    if (!afterRows && buffer.includes("</sheetData>")) {
      const end = buffer.indexOf("</sheetData>");
      consume(buffer.slice(0, end));
      buffer = buffer.slice(end);
      afterRows = true;
    }
    // Cut only where no cell (or tag) can be open, so every match lies whole on one side.
    const cut = afterRows ? buffer.lastIndexOf("/>") + 2 : buffer.lastIndexOf("</c>") + 4;
    if (cut > 3) {
      consume(buffer.slice(0, cut));
      buffer = buffer.slice(cut);
    }
  }
  consume(buffer + decoder.end());
  return extras;
}

/** "AB12" → { col: 28, row: 12 } (1-based). */
export function decodeRef(ref: string): { col: number; row: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!m) throw new Error(`bad cell reference ${ref}`);
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col, row: Number(m[2]) };
}

/** 28 → "AB". */
export function columnLetter(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function xmlDecode(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    if (e === "amp") return "&";
    return String.fromCodePoint(e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}
