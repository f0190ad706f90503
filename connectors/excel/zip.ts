/**
 * Just enough ZIP reading to look inside an .xlsx without loading it: the central directory (entry names and where
 * their data sits) and a streaming inflate of one entry. exceljs's streaming reader skips what we need from the raw
 * XML (merged ranges, ISO date cells, sheet paths), and its own unzip library is not a dependency of ours.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** Reads the central directory; throws an Error with a plain reason when the file is not a readable ZIP. */
export async function readZipDirectory(path: string): Promise<Map<string, ZipEntry>> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const tailSize = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailSize);
    await handle.read(tail, 0, tailSize, size - tailSize);
    let eocd = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error("the ZIP directory is missing (truncated or not a ZIP file)");
    const count = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirOffset === 0xffffffff || count === 0xffff) throw new Error("ZIP64 workbooks (over 4 GB) are not supported");
    if (dirOffset + dirSize > size) throw new Error("the ZIP directory points past the end of the file (truncated?)");
    const dir = Buffer.alloc(dirSize);
    await handle.read(dir, 0, dirSize, dirOffset);
    const entries = new Map<string, ZipEntry>();
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new Error("the ZIP directory is damaged");
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      const name = dir.toString("utf8", p + 46, p + 46 + nameLength);
      entries.set(name, {
        name,
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        localHeaderOffset: dir.readUInt32LE(p + 42),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** A stream of the entry's uncompressed bytes. */
export async function openZipEntry(path: string, entry: ZipEntry): Promise<Readable> {
  const handle = await open(path, "r");
  const header = Buffer.alloc(30);
  try {
    await handle.read(header, 0, 30, entry.localHeaderOffset);
  } finally {
    await handle.close();
  }
  if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`ZIP entry ${entry.name} is damaged`);
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (entry.compressedSize === 0) return Readable.from([]);
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  if (entry.method === 0) return raw;
  if (entry.method !== 8) throw new Error(`ZIP entry ${entry.name} uses an unsupported compression method (${entry.method})`);
  const inflate = createInflateRaw();
  raw.on("error", (error) => inflate.destroy(error));
  return raw.pipe(inflate);
}

export async function readZipText(path: string, entry: ZipEntry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openZipEntry(path, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
