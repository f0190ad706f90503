import type { FieldRow, LocationRow, Observation } from "../../core/types.ts";

/**
 * A generated dataset for the publish tests: country → 2 regions → 3 districts each → `facilitiesPerDistrict` facilities,
 * `fieldCount` fields, monthly values. Deterministic so expected sums can be computed in JS.
 */
export interface SampleDataset {
  locations: LocationRow[];
  fields: FieldRow[];
  observationBatches(batchSize?: number): Generator<Observation[]>;
  observationCount: number;
}

export function sampleDataset(opts: { facilitiesPerDistrict?: number; fieldCount?: number; months?: number } = {}) {
  const facilitiesPerDistrict = opts.facilitiesPerDistrict ?? 4;
  const fieldCount = opts.fieldCount ?? 3;
  const months = opts.months ?? 12;
  const locations: LocationRow[] = [row("C1", "Sierra Leone", 1, "Country", null, "/C1")];
  const facilities: LocationRow[] = [];
  for (let r = 1; r <= 2; r++) {
    const region = row(`R${r}`, `Région ${r}`, 2, "Region", "C1", `/C1/R${r}`);
    locations.push(region);
    for (let d = 1; d <= 3; d++) {
      const district = row(`R${r}D${d}`, `District ${r}.${d}`, 3, "District", region.location_id, `${region.path}/R${r}D${d}`);
      locations.push(district);
      for (let f = 1; f <= facilitiesPerDistrict; f++) {
        const id = `${district.location_id}F${f}`;
        const facility = row(id, `Facility ${id}`, 4, "Health Facility", district.location_id, `${district.path}/${id}`);
        locations.push(facility);
        facilities.push(facility);
      }
    }
  }
  const fields: FieldRow[] = Array.from({ length: fieldCount }, (_, i) => ({
    field_id: `F${i + 1}`,
    name: `Field ${i + 1}`,
    description: i === 0 ? 'Cases "confirmed", by RDT\nsecond line' : null,
    unit: "cases",
    source_field_id: `src-${i + 1}`,
    aggregation: "sum",
  }));
  const observationCount = facilities.length * fields.length * months;

  function* observationBatches(batchSize = 10_000): Generator<Observation[]> {
    let batch: Observation[] = [];
    // Deliberately not in field/period order, so the writer's sort is exercised.
    for (let m = 0; m < months; m++) {
      for (const facility of facilities) {
        for (let fi = 0; fi < fields.length; fi++) {
          const year = 2020 + Math.floor(m / 12);
          const month = (m % 12) + 1;
          const mm = String(month).padStart(2, "0");
          const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
          batch.push({
            source: "test-source",
            field_id: fields[fi].field_id,
            disaggregation: fi === 1 ? "<5y" : null,
            location_id: facility.location_id,
            period_type: "Monthly",
            period_id: `${year}${mm}`,
            period_start: `${year}-${mm}-01`,
            period_end: `${year}-${mm}-${lastDay}`,
            value: sampleValue(facility.location_id, fi, m),
            value_text: null,
          });
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
    }
    if (batch.length > 0) yield batch;
  }
  return { locations, fields, observationBatches, observationCount } satisfies SampleDataset;
}

/** Integer values so sums are exact in any order. */
export function sampleValue(locationId: string, fieldIndex: number, month: number): number {
  let h = 7;
  for (const ch of locationId) h = (h * 31 + ch.charCodeAt(0)) % 1000;
  return (h + fieldIndex * 100 + month) % 997;
}

function row(id: string, name: string, level: number, levelName: string, parent: string | null, path: string): LocationRow {
  return { location_id: id, code: id.toLowerCase(), name, level, level_name: levelName, parent_id: parent, path, geometry: null };
}
