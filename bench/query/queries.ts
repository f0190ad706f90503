/**
 * The five representative notebook queries (issue 5, "Benchmark"), as SQL over the attached dataset `ds` with bound
 * parameters (DESIGN.md decision 6), and the same computations in arquero over the rows loaded as Arrow.
 * Each result has a checksum (row count, sum of one numeric column) so the engines are shown to agree.
 */
import * as aq from "arquero";
import type { QuerySize } from "./generate.ts";
import { benchFields } from "./generate.ts";
import { type Checksum, checksum, sameChecksum } from "./queries-checksum.ts";

// arquero's table type, without depending on its internal paths.
export type AqTable = ReturnType<typeof aq.table>;

export interface BenchQuery {
  name: string;
  title: string;
  sql: string;
  /** Named parameters ($name in the SQL). */
  params: Record<string, string>;
  /** The column summed for the checksum. */
  checkColumn: string;
  /** arquero over `obs` (field_id, location_id, period_id, period_start as epoch ms, value) and `loc` (location_id, name, district). */
  arquero(obs: AqTable, loc: AqTable, params: Record<string, string>): AqTable;
}

/** Observations columns loaded for arquero (and the selective query's needed columns are a subset). */
export const ARQUERO_COLUMNS = ["field_id", "location_id", "period_id", "period_start", "value"] as const;

/**
 * The selective query comes first: its HTTP bytes are measured on a cold engine, before full scans have put every
 * block in DuckDB's buffer pool. Every engine runs them in this order.
 */
export function benchQueries(size: QuerySize): BenchQuery[] {
  const [tested, confirmed, , measles] = benchFields(size).map((f) => f.field_id);
  const lastYear = `${2020 + Math.floor(size.months / 12) - 1}-01-01`;
  return [
    {
      name: "field_five_years",
      title: "one field over five years (monthly national total; selective)",
      sql: `SELECT period_start AS month, sum(value) AS total, count(*) AS reports
            FROM ds.observations WHERE field_id = $field
            GROUP BY ALL ORDER BY month`,
      params: { field: measles },
      checkColumn: "total",
      arquero: (obs, _loc, params) =>
        obs
          .params(params)
          .filter((d: Row, $: Row) => d.field_id === $.field)
          .groupby("period_start")
          .rollup({ total: aq.op.sum("value"), reports: aq.op.count() })
          .orderby("period_start"),
    },
    {
      name: "district_month",
      title: "total by district and month (all fields, full scan)",
      sql: `SELECT l.district, o.period_start AS month, count(*) AS values_reported, sum(o.value) AS total
            FROM ds.observations o JOIN ds.locations l USING (location_id)
            GROUP BY ALL ORDER BY ALL`,
      params: {},
      checkColumn: "total",
      arquero: (obs, loc) =>
        obs
          .lookup(loc, ["location_id", "location_id"], "district")
          .groupby("district", "period_start")
          .rollup({ values_reported: aq.op.count(), total: aq.op.sum("value") })
          .orderby("district", "period_start"),
    },
    {
      name: "top_facilities",
      title: "top 20 facilities for one field over the last year",
      sql: `SELECT l.name AS facility, l.district, sum(o.value) AS total
            FROM ds.observations o JOIN ds.locations l USING (location_id)
            WHERE o.field_id = $field AND o.period_start >= CAST($since AS DATE)
            GROUP BY ALL ORDER BY total DESC, facility LIMIT 20`,
      params: { field: confirmed, since: lastYear },
      checkColumn: "total",
      arquero: (obs, loc, params) =>
        obs
          .params({ field: params.field, since: Date.parse(`${params.since}T00:00:00Z`) })
          .filter((d: Row, $: Row) => d.field_id === $.field && d.period_start >= $.since)
          .groupby("location_id")
          .rollup({ total: aq.op.sum("value") })
          .lookup(loc, ["location_id", "location_id"], "name", "district")
          .rename({ name: "facility" })
          .orderby(aq.desc("total"), "facility")
          .slice(0, 20)
          .select("facility", "district", "total"),
    },
    {
      name: "ratio_join",
      title: "ratio of two fields joined by location and period (positivity by district and year)",
      sql: `WITH confirmed AS (SELECT location_id, period_id, value FROM ds.observations WHERE field_id = $numerator),
                 tested AS (SELECT location_id, period_id, value FROM ds.observations WHERE field_id = $denominator)
            SELECT l.district, left(c.period_id, 4) AS year, sum(c.value) / sum(t.value) AS positivity
            FROM confirmed c JOIN tested t USING (location_id, period_id) JOIN ds.locations l USING (location_id)
            GROUP BY ALL ORDER BY ALL`,
      params: { numerator: confirmed, denominator: tested },
      checkColumn: "positivity",
      arquero: (obs, loc, params) => {
        const pick = (field: string, as: string) =>
          obs
            .params({ field })
            .filter((d: Row, $: Row) => d.field_id === $.field)
            .select("location_id", "period_id", { value: as });
        const KEYS = ["location_id", "period_id"];
        return pick(params.numerator, "c")
          .join(pick(params.denominator, "t"), [KEYS, KEYS], [["location_id", "period_id", "c"], ["t"]])
          .lookup(loc, ["location_id", "location_id"], "district")
          .derive({ year: (d: Row) => aq.op.substring(d.period_id, 0, 4) })
          .groupby("district", "year")
          .rollup({ c: aq.op.sum("c"), t: aq.op.sum("t") })
          .derive({ positivity: (d: Row) => d.c / d.t })
          .select("district", "year", "positivity")
          .orderby("district", "year");
      },
    },
    {
      name: "distinct_count",
      title: "distinct count (facilities reporting each field, per year)",
      sql: `SELECT field_id, year(period_start) AS year, count(DISTINCT location_id) AS facilities_reporting
            FROM ds.observations GROUP BY ALL ORDER BY ALL`,
      params: {},
      checkColumn: "facilities_reporting",
      arquero: (obs) =>
        obs
          .derive({ year: (d: Row) => aq.op.utcyear(d.period_start) })
          .groupby("field_id", "year")
          .rollup({ facilities_reporting: aq.op.distinct("location_id") })
          .orderby("field_id", "year"),
    },
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: arquero row and parameter objects are untyped.
type Row = any;

/** The selective query whose HTTP bytes are measured, and the observations columns it reads. */
export const SELECTIVE = { name: "field_five_years", columns: ["field_id", "period_start", "value"], filterColumn: "field_id" };

export { type Checksum, checksum, sameChecksum };
