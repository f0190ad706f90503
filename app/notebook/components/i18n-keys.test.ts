import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import catalogs from "./i18n-keys.json";

// The same check as app/i18n/catalogs.test.ts, for this folder's keys before the integrator merges them.
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "object" && v ? flatten(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function usedKeys(): string[] {
  const dir = new URL(".", import.meta.url);
  const keys = new Set<string>();
  for (const name of readdirSync(dir)) {
    if (!/\.tsx?$/.test(name) || /\.test\.tsx?$/.test(name)) continue;
    const text = readFileSync(new URL(name, dir), "utf8");
    for (const m of text.matchAll(/\bt\(\s*(["'`])([^"'`]+)\1/g)) keys.add(m[2]);
  }
  return [...keys];
}

describe("notebook component catalogs", () => {
  const used = usedKeys();
  it("finds the keys used", () => {
    expect(used.length).toBeGreaterThan(30);
    expect(used.every((k) => k.startsWith("notebook."))).toBe(true);
  });

  for (const [lang, catalog] of Object.entries(catalogs)) {
    const keys = new Set(flatten(catalog));
    it(`${lang} has every key used`, () => {
      expect(used.filter((k) => !keys.has(k) && !keys.has(`${k}_other`))).toEqual([]);
    });
    it(`${lang} has the same keys as English, and no empty text`, () => {
      const base = (set: Set<string>) => [...new Set([...set].map((k) => k.replace(PLURAL, "_other")))].sort();
      expect(base(keys)).toEqual(base(new Set(flatten(catalogs.en))));
      const values = JSON.stringify(catalog);
      expect(values).not.toMatch(/:\s*""/);
    });
  }

  it("French and Portuguese are translated, not copied", () => {
    const en = flatten(catalogs.en);
    const get = (tree: object, key: string) => key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], tree);
    for (const other of [catalogs.fr, catalogs.pt]) {
      const same = en.filter((k) => get(other, k) === get(catalogs.en, k) && !/kind\.sql$/.test(k));
      expect(same).toEqual([]);
    }
  });
});
