import { DuckDBInstance } from "@duckdb/node-api";

export interface DatasetSummary {
  fields: {
    field_id: string;
    name: string;
    unit: string | null;
    description: string | null;
    aggregation: string;
    rows: number;
  }[];
  coverage: { period: string; rows: number }[];
  levels: { level: number; level_name: string; locations: number }[];
}

// Version files never change, so their summaries are cached for the process's life (bounded).
const cache = new Map<string, Promise<DatasetSummary>>();

/** Fields, coverage over periods and locations by level of one version file, read with native DuckDB. */
export function summarizeVersion(filePath: string): Promise<DatasetSummary> {
  let summary = cache.get(filePath);
  if (!summary) {
    summary = read(filePath);
    summary.catch(() => cache.delete(filePath));
    if (cache.size > 200) cache.delete(cache.keys().next().value as string);
    cache.set(filePath, summary);
  }
  return summary;
}

async function read(filePath: string): Promise<DatasetSummary> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run("SET autoinstall_known_extensions=false; SET autoload_known_extensions=false");
    await conn.run(`ATTACH '${filePath.replaceAll("'", "''")}' AS d (READ_ONLY)`);
    const rows = async <T>(sql: string) => (await (await conn.runAndReadAll(sql)).getRowObjectsJson()) as T[];
    const fields = await rows<DatasetSummary["fields"][number]>(`
      SELECT f.field_id, f.name, f.unit, f.description, f.aggregation, count(o.field_id)::INTEGER AS rows
      FROM d.fields f LEFT JOIN d.observations o USING (field_id) GROUP BY ALL ORDER BY f.name`);
    const coverage = await rows<{ period: string; rows: number }>(`
      SELECT period_id AS period, count(*)::INTEGER AS rows
      FROM d.observations GROUP BY period_id, period_start ORDER BY period_start, period_id`);
    const levels = await rows<DatasetSummary["levels"][number]>(`
      SELECT l.level::INTEGER AS level, any_value(l.level_name) AS level_name, count(DISTINCT l.location_id)::INTEGER AS locations
      FROM d.locations l
      WHERE EXISTS (SELECT 1 FROM d.observations o JOIN d.locations x USING (location_id)
                    WHERE x.path = l.path OR starts_with(x.path, l.path || '/'))
      GROUP BY l.level ORDER BY l.level`);
    return { fields, coverage, levels };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
