import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { catalogs } from "./instance.ts";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function flatten(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "object" && v ? flatten(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Keys passed literally to t(): `t("a.b")` and `t("a.b", {...})`. Dynamic keys are not allowed in the app. */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sourceFiles(appDir)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\bt\(\s*(["'`])([^"'`]+)\1/g)) used.set(m[2], path.relative(appDir, file));
  }
  return used;
}

// i18next plural forms: a key `x` used with {count} resolves to `x_one`/`x_other` (and more forms in some languages).
const PLURAL = /_(zero|one|two|few|many|other)$/;

describe("translation catalogs", () => {
  const keys = Object.fromEntries(Object.entries(catalogs).map(([lang, c]) => [lang, new Set(flatten(c))]));

  it("finds the keys used in code", () => {
    expect(usedKeys().size).toBeGreaterThan(40);
  });

  for (const lang of Object.keys(catalogs)) {
    it(`${lang} has every key used in code`, () => {
      const missing = [...usedKeys()]
        .filter(([key]) => !keys[lang].has(key) && !keys[lang].has(`${key}_other`))
        .map(([key, file]) => `${key} (${file})`);
      expect(missing).toEqual([]);
    });
    it(`${lang} has the same keys as English`, () => {
      const base = (set: Set<string>) => new Set([...set].map((k) => k.replace(PLURAL, "_other")));
      expect([...base(keys[lang])].sort()).toEqual([...base(keys.en)].sort());
    });
  }
});
