import { describe, expect, it } from "vitest";
import { keyBetween, keysBetween } from "./order-keys.ts";

describe("order keys", () => {
  it("puts a key strictly between its neighbours, at the ends too", () => {
    const cases: [string | null, string | null][] = [
      [null, null],
      ["V", null],
      [null, "V"],
      ["V", "W"],
      ["1", "2"],
      ["z", null],
      [null, "1"],
      ["01", "1"],
      ["Vz", "W"],
      ["V", "V1"],
    ];
    for (const [a, b] of cases) {
      const k = keyBetween(a, b);
      if (a !== null) expect(k > a, `${k} > ${a}`).toBe(true);
      if (b !== null) expect(k < b, `${k} < ${b}`).toBe(true);
      expect(k.endsWith("0")).toBe(false);
    }
  });

  it("stays short for appends and prepends, and keeps room after many squeezes", () => {
    let last = "V";
    for (let i = 0; i < 200; i++) last = keyBetween(last, null);
    expect(last.length).toBeLessThanOrEqual(8);
    let first = "V";
    for (let i = 0; i < 200; i++) first = keyBetween(null, first);
    expect(first.length).toBeLessThanOrEqual(8);
    let lo = "V";
    const hi = "W";
    for (let i = 0; i < 100; i++) {
      const k = keyBetween(lo, hi);
      expect(k > lo && k < hi).toBe(true);
      lo = k;
    }
    expect(keysBetween("A", "B", 5)).toEqual([...keysBetween("A", "B", 5)].sort());
  });

  it("refuses reversed or equal neighbours and foreign characters, naming them", () => {
    expect(() => keyBetween("W", "V")).toThrow("'W' is not before 'V'");
    expect(() => keyBetween("V", "V")).toThrow(/not before/);
    expect(() => keyBetween("V!", null)).toThrow(/'!' is not an order-key digit/);
  });
});
