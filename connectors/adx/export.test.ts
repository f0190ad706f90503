/**
 * Export, and the round trip import → observations → export → import on every importable fixture and on values
 * chosen to break escaping. Output is re-read by the real importer (and checked well-formed), never string-compared only.
 */
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Observation } from "../core/types.ts";
import { adxToObservations, exportAdx, parseAdx, writeAdx, XmlTextError } from "./index.ts";

const fixtures = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
const IMPORTABLE = [
  "adx-hiv/adx_hiv_data_sample.xml",
  ...["adx_data_sample1.xml", "adx_data_sample2.xml", "exportA.adx.xml", "exportB.adx.xml", "exportC.adx.xml", "exportD.adx.xml"],
  ...["importA.adx.xml", "importB.adx.xml", "importC.adx.xml", "importDates.adx.xml", "importDatesUpdate.adx.xml"],
].map((f) => (f.includes("/") ? f : `dhis2-core/adx/${f}`));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "adx-export-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const EXPORTED = "2024-05-01T12:00:00.000Z";
const observationsOf = (xml: string, file = "x.xml") => {
  const { records, issues } = parseAdx(xml, file);
  expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  return adxToObservations(records, "src");
};
const key = (o: Observation) => JSON.stringify(o);
const sorted = (rows: Observation[]) => rows.map(key).sort();

const obs = (over: Partial<Observation>): Observation => ({
  source: "src",
  field_id: "F1",
  disaggregation: null,
  location_id: "OU1",
  period_type: "Monthly",
  period_id: "202401",
  period_start: "2024-01-01",
  period_end: "2024-01-31",
  value: 1,
  value_text: null,
  ...over,
});

describe("round trip: import → observations → export → import gives the same rows", () => {
  it.each(IMPORTABLE)("%s", (rel) => {
    const first = observationsOf(readFileSync(join(fixtures, rel), "utf8"));
    const xml = exportAdx(first, { exported: EXPORTED });
    expect(XMLValidator.validate(xml)).toBe(true);
    const second = observationsOf(xml, "exported.xml");
    expect(second).toHaveLength(first.length);
    expect(sorted(second)).toEqual(sorted(first));
  });

  it("attribute values with quotes, ampersands, markup, separators, line breaks and any script survive", () => {
    const awkward = [
      `Tom & Jerry's "clinic" <north>`,
      "a|b=c\\d",
      "line one\nline two\ttabbed\r\nend",
      "Kénéma · 日本 · 😀 · ﷺ",
      "  padded  ",
    ];
    const rows = awkward.map((text, i) =>
      obs({
        field_id: `F&${i}"`,
        location_id: `OU <${i}>`,
        disaggregation: `AGE=${text.replace(/[\\|=]/g, (c) => `\\${c}`)}|SEX=F&M`,
        value: i % 2 === 0 ? null : i,
        value_text: i % 2 === 0 ? text : null,
      }),
    );
    // Surrounding spaces are trimmed on import (codes with stray spaces are a known source quirk), so compare trimmed.
    const expected = rows.map((o) => ({
      ...o,
      value_text: o.value_text?.trim() ?? null,
      disaggregation: o.disaggregation!.replace("=  padded  |", "=padded|"),
    }));
    const xml = exportAdx(rows, { exported: EXPORTED });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('dataElement="F&amp;1&quot;"');
    expect(xml).toContain('AGE="line one&#10;line two&#9;tabbed&#13;&#10;end"');
    const back = observationsOf(xml);
    expect(sorted(back)).toEqual(sorted(expected));
  });

  it("DHIS2-style disaggregations (category option combo names) travel as categoryOptionCombo and come back as they were", () => {
    const rows = [
      obs({ disaggregation: "Female, <5y" }),
      obs({ disaggregation: "value=3" }), // would collide with the value attribute
      obs({ disaggregation: "categoryOptionCombo=X" }),
      obs({ disaggregation: "SEX=F|AGE=1" }), // not canonical (unsorted): kept whole
    ];
    const xml = exportAdx(rows, { exported: EXPORTED });
    expect(xml).toContain('categoryOptionCombo="Female, &lt;5y"');
    expect(xml).toContain('categoryOptionCombo="value=3"');
    expect(sorted(observationsOf(xml))).toEqual(sorted(rows));
  });
});

describe("exportAdx", () => {
  it("writes one group per location and period, the ADX period, attributes sorted, numbers as decimals", () => {
    const rows = [
      obs({ field_id: "A", disaggregation: "SEX=F|AGE_GROUP=15-24".split("|").sort().join("|"), value: 12.5 }),
      obs({
        field_id: "B",
        location_id: "OU2",
        period_type: "Quarterly",
        period_id: "2024Q2",
        period_start: "2024-04-01",
        period_end: "2024-06-30",
        value: 1e21,
      }),
      obs({ field_id: "C", value: null, value_text: "yes" }),
      obs({ field_id: "D", value: null, value_text: null }),
      obs({ field_id: "E", disaggregation: "SEX=M|attributeOptionCombo=PEPFAR", value: -2e-7 }),
    ];
    expect(exportAdx(rows, { dataSet: "HIV & TB", exported: EXPORTED })).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-05-01T12:00:00.000Z">
  <group orgUnit="OU1" period="2024-01-01/P1M" dataSet="HIV &amp; TB">
    <dataValue dataElement="A" AGE_GROUP="15-24" SEX="F" value="12.5"/>
    <dataValue dataElement="C" value="yes"/>
    <dataValue dataElement="D" value=""/>
  </group>
  <group orgUnit="OU2" period="2024-04-01/P3M" dataSet="HIV &amp; TB">
    <dataValue dataElement="B" value="1000000000000000000000"/>
  </group>
  <group orgUnit="OU1" period="2024-01-01/P1M" dataSet="HIV &amp; TB" attributeOptionCombo="PEPFAR">
    <dataValue dataElement="E" SEX="M" value="-0.0000002"/>
  </group>
</adx>
`,
    );
  });

  it("exports DHIS2's week and financial types as their ADX start and duration", () => {
    const rows = [
      obs({ period_type: "WeeklySunday", period_id: "2024SunW1", period_start: "2023-12-31", period_end: "2024-01-06" }),
      obs({ period_type: "FinancialNov", period_id: "2025Nov", period_start: "2024-11-01", period_end: "2025-10-31" }),
    ];
    const xml = exportAdx(rows, { exported: EXPORTED });
    expect(xml).toContain('period="2023-12-31/P7D"');
    expect(xml).toContain('period="2024-11-01/P1Y"');
    expect(observationsOf(xml).map((o) => o.period_id)).toEqual(["2024SunW1", "2025Nov"]);
  });

  it("translates ids through the id scheme and counts those it could not", async () => {
    const rows = [obs({ location_id: "uid1", field_id: "deA" }), obs({ location_id: "uid2", field_id: "deB" })];
    const out = new Sink();
    const summary = await writeAdx(out, rows, {
      exported: EXPORTED,
      idScheme: { orgUnit: new Map([["uid1", "CODE_1"]]), dataElement: (id) => (id === "deA" ? "DE_A" : undefined) },
    });
    expect(summary).toEqual({ groups: 2, values: 2, unmappedIds: 2 });
    const back = observationsOf(out.text);
    expect(back.map((o) => [o.location_id, o.field_id])).toEqual([
      ["CODE_1", "DE_A"],
      ["uid2", "deB"],
    ]);
  });

  it("refuses text XML cannot carry, naming the observation", () => {
    expect(() => exportAdx([obs({ value: null, value_text: "bell\u0007" })])).toThrow(XmlTextError);
    expect(() => exportAdx([obs({ value: null, value_text: "bell\u0007" })])).toThrow(
      "field F1, location OU1, period 202401: value: character U+0007 cannot be written in XML 1.0",
    );
  });
});

/** A Writable that accepts little before asking the writer to wait, and takes its time: drain must be awaited. */
class Sink extends Writable {
  chunks: string[] = [];
  constructor() {
    super({ highWaterMark: 1024, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void) {
    this.chunks.push(String(chunk));
    setImmediate(done);
  }
  get text() {
    return this.chunks.join("");
  }
}

describe("writeAdx streams", () => {
  const many = (n: number, location: string) =>
    Array.from({ length: n }, (_, i) =>
      obs({ location_id: location, field_id: `F${i % 7}`, disaggregation: `N=${i}`, value: i }),
    );

  it("writes batches from an async iterable in chunks, with backpressure, and the document reads back whole", async () => {
    const batches = [many(3000, "OU1"), many(2000, "OU2"), many(10, "OU1")];
    async function* source() {
      for (const b of batches) yield b;
    }
    const out = new Sink();
    const summary = await writeAdx(out, source(), { exported: EXPORTED });
    expect(summary).toEqual({ groups: 3, values: 5010, unmappedIds: 0 });
    expect(out.chunks.length).toBeGreaterThan(5);
    expect(Math.max(...out.chunks.map((c) => c.length))).toBeLessThan(70 * 1024);
    expect(out.writableFinished).toBe(true);
    const back = observationsOf(out.text);
    expect(sorted(back)).toEqual(sorted(batches.flat()));
  });

  it("writes to a file stream; a single array gives the same text as exportAdx", async () => {
    const rows = observationsOf(readFileSync(join(fixtures, "adx-hiv/adx_hiv_data_sample.xml"), "utf8"));
    const path = join(dir, "out.adx.xml");
    await writeAdx(createWriteStream(path), rows, { exported: EXPORTED });
    expect(await readFile(path, "utf8")).toBe(exportAdx(rows, { exported: EXPORTED }));
    expect(createReadStream(path)).toBeTruthy();
  });

  it("leaves the stream open with end: false", async () => {
    const out = new Sink();
    await writeAdx(out, [[obs({})]], { exported: EXPORTED, end: false });
    expect(out.writableEnded).toBe(false);
    await new Promise((resolve) => out.end(resolve));
    expect(out.text).toMatch(/<\/adx>\n$/);
  });
});
