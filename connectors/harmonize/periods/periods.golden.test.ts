import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAdxPeriod, parsePeriodId, toAdxPeriod, tryParsePeriodId } from "./index.ts";

interface GoldenPeriod {
  id: string;
  periodType: string;
  periodId: string;
  start: string;
  end: string;
}
const golden = JSON.parse(readFileSync(new URL("./periods.golden.json", import.meta.url), "utf8")) as {
  valid: GoldenPeriod[];
  financialNovStartYear: GoldenPeriod[];
  invalid: { id: string; message: string }[];
  adx: { adx: string; periodId: string }[];
  adxSerialize: { periodId: string; adx: string }[];
  adxInvalid: { adx: string; message: string }[];
};
const shape = ({ periodType, periodId, start, end }: GoldenPeriod) => ({ periodType, periodId, start, end });

describe("golden: valid period ids", () => {
  it.each(golden.valid)("$id → $periodType from $start to $end", (g) => {
    expect(parsePeriodId(g.id)).toEqual(shape(g));
  });

  it("covers every period type at least once", () => {
    const types = new Set(golden.valid.map((g) => g.periodType));
    expect(types.size).toBe(23);
  });
});

describe("golden: FinancialNov read by start year (@dhis2/multi-calendar-dates)", () => {
  it.each(golden.financialNovStartYear)("$id → from $start to $end", (g) => {
    expect(parsePeriodId(g.id, { financialNovLabel: "start-year" })).toEqual(shape(g));
  });
});

describe("golden: invalid period ids say why", () => {
  it.each(golden.invalid)("'$id' → …$message…", ({ id, message }) => {
    expect(() => parsePeriodId(id)).toThrow(message);
    const result = tryParsePeriodId(id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});

describe("golden: ADX start/duration", () => {
  it.each(golden.adx)("$adx → $periodId", ({ adx, periodId }) => {
    const period = parseAdxPeriod(adx);
    expect(period).toEqual(parsePeriodId(periodId));
  });

  it.each(golden.adxSerialize)("$periodId → $adx", ({ periodId, adx }) => {
    expect(toAdxPeriod(parsePeriodId(periodId))).toBe(adx);
    expect(parseAdxPeriod(adx).periodId).toBe(periodId);
  });

  it.each(golden.adxInvalid)("'$adx' → …$message…", ({ adx, message }) => {
    expect(() => parseAdxPeriod(adx)).toThrow(message);
  });
});
