/**
 * Text-level helpers for reading XML: bytes → string in the declared encoding, entity and character references,
 * offsets → line numbers. fast-xml-parser is run with its own entity handling off (it leaves `&#233;` undecoded and
 * would expand DOCTYPE entities), so references are decoded here, exactly as XML 1.0 says.
 */
import { readFile } from "node:fs/promises";
import iconv from "iconv-lite";
import { AdxFileError } from "./types.ts";

/** Reads an XML file as text: BOM or the XML declaration's encoding, UTF-8 otherwise (checked, not guessed). */
export async function readXmlFile(path: string, file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AdxFileError(`file ${file}: cannot be read (${code})`, { file });
  }
  return decodeXmlBytes(bytes, file);
}

export function decodeXmlBytes(bytes: Buffer, file: string): string {
  if (bytes.length === 0) throw new AdxFileError(`file ${file}: is empty (0 bytes)`, { file });
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), "utf-16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), "utf-16be");
  const declared = /^(?:\xEF\xBB\xBF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    bytes.subarray(0, 200).toString("latin1"),
  )?.[1];
  const encoding = declared?.toLowerCase() ?? "utf-8";
  if (encoding === "utf-8" || encoding === "utf8") {
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new AdxFileError(
        `file ${file}: is not valid UTF-8; an XML file in another encoding must say so in its declaration ` +
          `(<?xml version="1.0" encoding="ISO-8859-1"?>)`,
        { file },
      );
    }
  }
  if (!iconv.encodingExists(encoding)) {
    throw new AdxFileError(`file ${file}: the XML declaration names an unknown encoding "${declared}"`, { file });
  }
  return iconv.decode(bytes, encoding);
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; anything else is left as written. */
export function decodeReferences(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z]+));/g, (whole, hex?: string, dec?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * An attribute value as XML 1.0 §3.3.3 gives it to applications: literal tabs and line breaks become spaces, then
 * references are decoded (so `&#10;` stays a line break: that is how a writer keeps one).
 */
export const attributeValue = (raw: string) => decodeReferences(raw.replace(/\r\n|[\t\n\r]/g, " "));

/** Maps character offsets to 1-based line numbers with one pass over the text and a binary search per lookup. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}
