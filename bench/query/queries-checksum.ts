/** Result checksums: the engines must agree on row count and the sum of one numeric column (browser-safe, no arquero). */
export interface Checksum {
  rows: number;
  sum: number;
}

export function checksum(rows: ReadonlyArray<Record<string, unknown>>, column: string): Checksum {
  let sum = 0;
  for (const row of rows) sum += Number(row[column] ?? 0);
  return { rows: rows.length, sum };
}

export function sameChecksum(a: Checksum, b: Checksum): boolean {
  return a.rows === b.rows && Math.abs(a.sum - b.sum) <= 1e-6 * Math.max(1, Math.abs(a.sum));
}
