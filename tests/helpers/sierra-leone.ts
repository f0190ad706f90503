import { writeFileSync } from "node:fs";
import type { LocationRow } from "../../connectors/core/types.ts";
import { sierraLeoneUnits } from "../../connectors/harmonize/locations/fixtures.ts";
import { hierarchyFromDhis2OrgUnits } from "../../connectors/harmonize/locations/index.ts";

/** The real Sierra Leone org units of the fixtures (country, 13 districts, 152 chiefdoms, a few facilities). */
export function sierraLeoneHierarchy(): LocationRow[] {
  const { units, levels } = sierraLeoneUnits();
  return hierarchyFromDhis2OrgUnits(units as never, levels as never).locations;
}

export const MALARIA_FIELDS = [
  { field_id: "malaria_confirmed", name: "Malaria confirmed cases", unit: "cases", aggregation: "sum" as const },
  { field_id: "malaria_tested", name: "Malaria tests done", unit: "tests", aggregation: "sum" as const },
];

/**
 * A wide monthly sheet by district and chiefdom (2024, or the `years` up to 2024), the way a programme exports it: one row per chiefdom and month,
 * one column per field. Values are a deterministic function of the row, so tests can compute expected totals.
 * `extraRows` are appended verbatim (for unmatched names, bad periods…).
 */
export function writeMalariaCsv(
  file: string,
  hierarchy: LocationRow[],
  options: { months?: number; years?: number; extraRows?: string[] } = {},
) {
  const byId = new Map(hierarchy.map((l) => [l.location_id, l]));
  const chiefdoms = hierarchy.filter((l) => l.level === 3).sort((a, b) => a.location_id.localeCompare(b.location_id));
  const lines = ["District,Chiefdom,Month,Confirmed,Tested"];
  let confirmedTotal = 0;
  const months = Math.min(options.months ?? 12, 12);
  const years = options.years ?? 1;
  chiefdoms.forEach((c, i) => {
    const district = byId.get(c.parent_id ?? "")?.name ?? "";
    for (let y = 2024 - years + 1; y <= 2024; y++) {
      for (let m = 1; m <= months; m++) {
        const confirmed = (i * 7 + m * 3 + y) % 50;
        const tested = confirmed * 2 + 5;
        confirmedTotal += confirmed;
        lines.push(`"${district}","${c.name.trim()}",${y}-${String(m).padStart(2, "0")},${confirmed},${tested}`);
      }
    }
  });
  lines.push(...(options.extraRows ?? []));
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { rows: chiefdoms.length * months * years, confirmedTotal, chiefdoms: chiefdoms.length };
}

export const MALARIA_MAPPING = {
  source: "malaria-sheet",
  period: { how: "month", column: "Month" },
  location: [
    { column: "District", level: 2, by: "name" },
    { column: "Chiefdom", level: 3, by: "name" },
  ],
  layout: {
    kind: "wide",
    values: [
      { column: "Confirmed", field_id: "malaria_confirmed" },
      { column: "Tested", field_id: "malaria_tested" },
    ],
  },
} as const;
