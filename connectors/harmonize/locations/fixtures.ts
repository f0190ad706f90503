/** Test helpers: read the shared real-data fixtures (../shared/fixtures from the repo root). Used by tests only. */
import { readFileSync } from "node:fs";

export function fixtureText(relative: string): string {
  return readFileSync(new URL(`../../../../shared/fixtures/${relative}`, import.meta.url), "utf8");
}

export function fixtureJson<T = unknown>(relative: string): T {
  return JSON.parse(fixtureText(relative)) as T;
}

/** A small CSV reader for the fixtures' quoted, comma-separated files (no embedded newlines in them). */
export function parseSimpleCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        cells.push(cell.trim());
        cell = "";
      } else cell += ch;
    }
    cells.push(cell.trim());
    return cells;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

/**
 * Real Sierra Leone units for matcher and harmonization tests: country, 13 districts, 152 chiefdoms (levels 1–3), the 15
 * facilities of Bombali Sebora and the 2 of Badjia (Ngelehun CHC, Njandama MCHP), with the DHIS2 level names.
 */
export function sierraLeoneUnits(): { units: unknown[]; levels: unknown } {
  const units = [
    ...fixtureJson<{ organisationUnits: unknown[] }>(
      "dhis2-aggregate-data-entry-app/organisationUnits_sierra_leone_levels1-3.json",
    ).organisationUnits,
    ...fixtureJson<{ children: unknown[] }>("dhis2-aggregate-data-entry-app/organisationUnits_KKkLOTpMXGV_children.json")
      .children,
    ...fixtureJson<{ organisationUnits: { level?: number }[] }>(
      "dhis2-android-sdk/organisation_units.json",
    ).organisationUnits.filter((u) => u.level === 4),
  ];
  return { units, levels: fixtureJson("dhis2-android-sdk/organisation_unit_levels.json") };
}
