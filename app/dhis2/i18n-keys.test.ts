import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import catalogs from "./i18n-keys.json";

// The same check as app/i18n/catalogs.test.ts, for this feature's keys before the integrator merges them.
function flatten(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "object" && v ? flatten(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

const FILES = ["../routes/_app.datasets.dhis2.tsx", "../routes/_app.datasets.sources.tsx"];

function usedKeys(): string[] {
  const keys = new Set<string>();
  for (const file of FILES) {
    const text = readFileSync(new URL(file, import.meta.url), "utf8");
    for (const m of text.matchAll(/\bt\(\s*(["'`])(dhis2\.[^"'`]+)\1/g)) keys.add(m[2]);
  }
  return [...keys];
}

describe("DHIS2 source catalogs", () => {
  const used = usedKeys();
  it("finds the keys used", () => expect(used.length).toBeGreaterThan(30));
  for (const [lang, catalog] of Object.entries(catalogs)) {
    const keys = new Set(flatten(catalog));
    it(`${lang} has every key used, and no other`, () => {
      expect(used.filter((k) => !keys.has(k))).toEqual([]);
      expect([...keys].filter((k) => !used.includes(k))).toEqual([]);
    });
  }
});
