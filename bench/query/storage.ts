/**
 * What the selective query truly needs from the file, from DuckDB's own storage info (native DuckDB, read-only):
 * the compressed segments of the columns it reads, in the rows that match its filter.
 *
 * `pragma_storage_info` gives each segment's block and offset but not its size. Segments are packed one after another
 * inside a block, so a segment's size is the distance to the next segment's offset in the same block (every table's
 * segments are considered); the last one in a block is given the rest of the block (an upper bound, which can only
 * make the "needed" side larger and the ratio kinder).
 */
import { DuckDBInstance } from "@duckdb/node-api";

interface Segment {
  table: string;
  rowGroup: number;
  column: string;
  start: number;
  count: number;
  blockId: number;
  offset: number;
  extraBlocks: number;
  size: number;
}

export interface NeededBytes {
  /** Sum of the needed columns' segments that overlap the matching rows. */
  segmentBytes: number;
  /** The same columns' segments in the whole table (what "needs the columns" would mean without the filter). */
  wholeColumnBytes: number;
  /** Distinct blocks holding those segments × block size: the least DuckDB can read, as it reads whole blocks. */
  blockBytes: number;
  blocks: number;
  blockSize: number;
  rowGroups: number[];
  matchingRows: number;
  segments: number;
}

export async function neededBytes(
  file: string,
  columns: readonly string[],
  filter: { column: string; value: string },
): Promise<NeededBytes> {
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const conn = await instance.connect();
  const rows = async (sql: string, values?: Record<string, string>) =>
    (await conn.runAndReadAll(sql, values)).getRowObjectsJS() as Record<string, unknown>[];
  try {
    await conn.run(`ATTACH '${file.replaceAll("'", "''")}' AS ds (READ_ONLY)`);
    const blockSize = Number(
      (await rows("SELECT block_size FROM pragma_database_size() WHERE database_name = 'ds'"))[0].block_size,
    );
    const segments: Segment[] = [];
    for (const table of ["observations", "locations", "fields"]) {
      for (const r of await rows(`SELECT * FROM pragma_storage_info('ds.${table}')`)) {
        segments.push({
          table,
          rowGroup: Number(r.row_group_id),
          column: String(r.column_name),
          start: Number(r.start),
          count: Number(r.count),
          blockId: Number(r.block_id),
          offset: Number(r.block_offset),
          extraBlocks: (r.additional_block_ids as unknown[]).length,
          size: 0,
        });
      }
    }
    sizeSegments(segments, blockSize);
    // Rows are contiguous in rowid order (the file is written sorted by field), so the match is one rowid range.
    const match = (
      await rows(`SELECT min(rowid) AS lo, max(rowid) AS hi, count(*) AS n FROM ds.observations WHERE "${filter.column}" = $v`, {
        v: filter.value,
      })
    )[0];
    const lo = Number(match.lo);
    const hi = Number(match.hi);
    const groupStart = rowGroupStarts(segments.filter((s) => s.table === "observations"));
    const wanted = segments.filter((s) => s.table === "observations" && columns.includes(s.column));
    const needed = wanted.filter((s) => {
      const first = (groupStart.get(s.rowGroup) ?? 0) + s.start;
      return first <= hi && first + s.count - 1 >= lo;
    });
    const blocks = new Set(needed.filter((s) => s.blockId >= 0).map((s) => s.blockId));
    return {
      segmentBytes: sum(needed.map((s) => s.size)),
      wholeColumnBytes: sum(wanted.map((s) => s.size)),
      blockBytes: blocks.size * blockSize,
      blocks: blocks.size,
      blockSize,
      rowGroups: [...new Set(needed.map((s) => s.rowGroup))].sort((a, b) => a - b),
      matchingRows: Number(match.n),
      segments: needed.length,
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Size of each segment from the next offset in its block; constant segments (no block) take no bytes. */
function sizeSegments(segments: Segment[], blockSize: number): void {
  const byBlock = new Map<number, Segment[]>();
  for (const s of segments) {
    if (s.blockId < 0) continue;
    byBlock.set(s.blockId, [...(byBlock.get(s.blockId) ?? []), s]);
  }
  for (const inBlock of byBlock.values()) {
    inBlock.sort((a, b) => a.offset - b.offset);
    inBlock.forEach((s, i) => {
      const end = i + 1 < inBlock.length ? inBlock[i + 1].offset : blockSize;
      s.size = end - s.offset + s.extraBlocks * blockSize;
    });
  }
}

/** First rowid of each row group: the running total of the row counts of one column's segments. */
function rowGroupStarts(segments: readonly Segment[]): Map<number, number> {
  const firstColumn = segments[0]?.column;
  const counts = new Map<number, number>();
  for (const s of segments)
    if (s.column === firstColumn) counts.set(s.rowGroup, Math.max(counts.get(s.rowGroup) ?? 0, s.start + s.count));
  const starts = new Map<number, number>();
  let next = 0;
  for (const group of [...counts.keys()].sort((a, b) => a - b)) {
    starts.set(group, next);
    next += counts.get(group) ?? 0;
  }
  return starts;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
