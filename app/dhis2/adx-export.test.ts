/** The ADX export's logic: query-string slices, bound parameters, and a round trip from a published file. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAdx } from "../../connectors/adx/index.ts";
import { adxPipelineSpec } from "../../connectors/adx/pipeline.ts";
import { createCatalog } from "../../connectors/core/catalog.ts";
import { runRecorded } from "../../connectors/core/run-recorded.ts";
import type { LocationRow } from "../../connectors/core/types.ts";
import { openDatabase } from "../../db/index.ts";
import { adxSliceQuery, parseAdxSlice, writeAdxSlice } from "./adx-export.server.ts";

const HIV = fileURLToPath(new URL("../../../shared/fixtures/adx-hiv/adx_hiv_data_sample.xml", import.meta.url));
const row = (id: string, code: string, level: number, parent: string | null, p: string): LocationRow => ({
  location_id: id,
  code,
  name: code,
  level,
  level_name: `Level ${level}`,
  parent_id: parent,
  path: p,
  geometry: null,
});

async function publishedHiv() {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-adx-export-"));
  const database = openDatabase(path.join(dir, "data"));
  const catalog = createCatalog(database.db, path.join(dir, "data", "datasets"));
  catalog.replaceHierarchy([
    row("RegionAfr01", "AFR", 1, null, "/RegionAfr01"),
    row("ZwCountry01", "ZW01", 2, "RegionAfr01", "/RegionAfr01/ZwCountry01"),
    row("KeCountry01", "KE01", 2, "RegionAfr01", "/RegionAfr01/KeCountry01"),
  ]);
  const spec = await adxPipelineSpec({ dataset: { slug: "hiv", title: "HIV" }, config: { path: HIV }, level: 2 });
  const report = await runRecorded(spec, { catalog });
  expect(report.status).toBe("succeeded");
  const version = catalog.versions(catalog.bySlug("hiv")!.id)[0];
  database.close();
  return path.join(catalog.datasetsDir, version.fileName);
}

async function exportText(file: string, search: string) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const summary = await writeAdxSlice(file, parseAdxSlice(new URLSearchParams(search)), out, {
    exported: "2024-01-01T00:00:00Z",
  });
  return { summary, text: Buffer.concat(chunks).toString("utf8") };
}

describe("ADX export slices", () => {
  it("reads repeated and comma-separated lists, trimmed and deduplicated; refuses huge lists", () => {
    expect(parseAdxSlice(new URLSearchParams("fields=a,b&fields=b&periods=2024Q1&locations="))).toEqual({
      fields: ["a", "b"],
      periods: ["2024Q1"],
      locations: [],
    });
    expect(() =>
      parseAdxSlice(new URLSearchParams(`fields=${Array.from({ length: 1001 }, (_, i) => `f${i}`).join(",")}`)),
    ).toThrow(/at most 1000/);
  });

  it("binds every value: none of them appears in the SQL text", () => {
    const evil = "x'); DROP TABLE d.observations; --";
    const { sql, params } = adxSliceQuery({ fields: [evil], periods: ["2024Q1"], locations: ["loc"] });
    expect(sql).not.toContain(evil);
    expect(sql).not.toContain("2024Q1");
    expect(params).toEqual([evil, "2024Q1", "loc"]);
    expect(adxSliceQuery({ fields: [], periods: [], locations: [] }).sql).not.toContain("WHERE");
  });

  it("round-trips: a published file exported as ADX imports back to the same values", async () => {
    const file = await publishedHiv();
    const all = await exportText(file, "");
    expect(all.summary.values).toBe(173);
    const back = parseAdx(all.text, "export.adx.xml");
    expect(back.issues).toEqual([]);
    expect(back.records).toHaveLength(173);
    expect(new Set(back.records.map((r) => r.values.periodId))).toEqual(new Set(["201701"]));
    expect(new Set(back.records.map((r) => r.values.orgUnit))).toEqual(new Set(["ZwCountry01"]));
    expect(back.records.filter((r) => String(r.values.disaggregation).includes("SEX")).length).toBeGreaterThan(100);

    const oneField = await exportText(file, "fields=qrph_adx_art1_n&periods=201701");
    expect(oneField.summary.values).toBe(20);
    // A parent location takes its subtree; another place gives an empty but valid document.
    expect((await exportText(file, "locations=RegionAfr01")).summary.values).toBe(173);
    const none = await exportText(file, "locations=KeCountry01");
    expect(none.summary.values).toBe(0);
    expect(parseAdx(none.text, "none.xml").records).toEqual([]);
  });
});
