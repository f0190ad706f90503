/** DHIS2 sources through the whole pipeline: stand-in server → connector → harmonize → published file in a temp catalog. */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { FAST_RETRY } from "../../tests/dhis2-standin/context.ts";
import { type Dhis2Standin, startDhis2Standin } from "../../tests/dhis2-standin/server.ts";
import { createCatalog } from "../core/catalog.ts";
import { runRecorded } from "../core/run-recorded.ts";
import type { LocationRow } from "../core/types.ts";
import { Dhis2Client } from "./client.ts";
import { type Dhis2ConfigInput, dhis2ConfigSchema } from "./config-schema.ts";
import { fetchOrgUnitHierarchy, toLocationRows } from "./org-units.ts";
import { dhis2PipelineSpec, fetchDhis2SpecMetadata } from "./pipeline.ts";

const AUTH = { type: "basic" as const, username: "admin", password: "district" };
const TARGET_INDICATORS = [
  "EY8gsfEomc0",
  "MkXHDfrFRKV",
  "ULW9dQOiiTS",
  "X2XfzgH4NOR",
  "iug406zdfTE",
  "oTOpKabJA1v",
  "qmCKRmVj4WX",
];

let standin: Dhis2Standin;
let hierarchy: LocationRow[];
beforeAll(async () => {
  standin = await startDhis2Standin();
  const client = new Dhis2Client({ baseUrl: standin.url, auth: AUTH, fetch });
  hierarchy = toLocationRows(await fetchOrgUnitHierarchy(client, { maxLevel: 4 }));
});
afterAll(() => standin.close());

function catalogWith(locations: readonly LocationRow[]) {
  const dir = mkdtempSync(path.join(tmpdir(), "harmony-dhis2-pipeline-"));
  const database = openDatabase(path.join(dir, "data"));
  const catalog = createCatalog(database.db, path.join(dir, "data", "datasets"));
  catalog.replaceHierarchy(locations);
  return { catalog, database };
}

async function query<T>(file: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${file}' AS d (READ_ONLY)`);
    return (await (await conn.runAndReadAll(sql)).getRowObjectsJson()) as T[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function specFor(config: Dhis2ConfigInput, slug: string, options: { allowUnnamed?: boolean } = {}) {
  const client = new Dhis2Client({ baseUrl: standin.url, auth: AUTH, fetch });
  const parsed = dhis2ConfigSchema.parse(config);
  const metadata = await fetchDhis2SpecMetadata(client, parsed.selection, { ...options, mode: parsed.mode });
  return dhis2PipelineSpec({ dataset: { slug, title: slug }, config, metadata });
}

describe("dhis2PipelineSpec", () => {
  it("builds fields from DHIS2 metadata: names, DHIS2 aggregation, unique SQL ids, indicators not additive", () => {
    const spec = dhis2PipelineSpec({
      dataset: { slug: "anc", title: "ANC" },
      config: {
        baseUrl: "https://play.dhis2.org/40/api/",
        auth: AUTH,
        selection: {
          dataElements: ["fbfJHSPpUQD", "cYeuwXTCPkU"],
          indicators: ["EY8gsfEomc0"],
          periods: ["2019"],
          orgUnits: { roots: ["ImspTQPwCqd"], levels: [2, 4] },
        },
      },
      metadata: {
        dataElements: [
          { id: "fbfJHSPpUQD", name: "ANC 1st visit", aggregationType: "SUM" },
          { id: "cYeuwXTCPkU", name: "ANC 1st visit", aggregationType: "AVERAGE_SUM_ORG_UNIT" },
        ],
        indicators: [{ id: "EY8gsfEomc0", name: "Diarrhoea <5 y incidence" }],
        level: 4,
      },
    });
    expect(spec.source.kind).toBe("dhis2");
    expect(spec.fields.map((f) => [f.field_id, f.source_field_id, f.aggregation])).toEqual([
      ["anc_1st_visit", "fbfJHSPpUQD", "sum"],
      ["anc_1st_visit_2", "cYeuwXTCPkU", "average"],
      ["diarrhoea_5_y_incidence", "EY8gsfEomc0", "none"],
    ]);
    expect(spec.mapping).toMatchObject({
      source: "dhis2:play.dhis2.org",
      period: { how: "dhis2-id", column: "period" },
      location: [{ column: "orgUnit", level: 4, by: "id" }],
      layout: { kind: "long", fieldColumn: "dataElement", valueColumn: "value" },
      disaggregationColumn: "categoryOptionCombo",
    });
    if (spec.source.kind === "dhis2") expect(spec.source.config.baseUrl).toBe("https://play.dhis2.org/40");
  });

  it("refuses an empty selection and names ids DHIS2 does not have", async () => {
    const base = { baseUrl: standin.url, auth: AUTH, retry: FAST_RETRY };
    expect(() =>
      dhis2PipelineSpec({
        dataset: { slug: "x", title: "X" },
        config: { ...base, selection: { indicators: ["EY8gsfEomc0"], periods: ["2019"], orgUnits: { roots: ["ImspTQPwCqd"] } } },
        metadata: { dataElements: [], indicators: [], level: 1 },
      }),
    ).toThrow(/no data element or indicator/);
    await expect(
      specFor(
        {
          ...base,
          selection: { dataElements: ["fbfJHSPpUQD", "NoSuchDe001"], periods: ["2019"], orgUnits: { roots: ["ImspTQPwCqd"] } },
        },
        "x",
      ),
    ).rejects.toThrow(/no data element with id NoSuchDe001/);
    // Indicators the metadata list leaves out are named by analytics' metaData, as DHIS2 does for every query item.
    const named = await specFor(
      {
        ...base,
        selection: { indicators: ["EY8gsfEomc0"], periods: ["2019Q1"], orgUnits: { roots: ["ImspTQPwCqd"], levels: [2] } },
      },
      "named",
    );
    expect(named.fields[0].name).not.toBe("EY8gsfEomc0");
    expect(named.fields[0].aggregation).toBe("none");
  });

  it("takes the roots' level when no level is chosen", async () => {
    const spec = await specFor(
      {
        baseUrl: standin.url,
        auth: AUTH,
        retry: FAST_RETRY,
        selection: { dataElements: ["fbfJHSPpUQD"], periods: ["LAST_12_MONTHS"], orgUnits: { roots: ["ImspTQPwCqd"] } },
      },
      "anc_national",
    );
    expect(spec.mapping.location).toEqual([{ column: "orgUnit", level: 1, by: "id" }]);
    expect(spec.fields[0]).toMatchObject({ name: "ANC 1st visit", aggregation: "sum" });
  });
});

describe("a DHIS2 source run into a catalog", () => {
  it("publishes indicators by district and quarter from analytics, matched by org unit id", async () => {
    const { catalog, database } = catalogWith(hierarchy);
    const spec = await specFor(
      {
        baseUrl: standin.url,
        auth: AUTH,
        retry: FAST_RETRY,
        selection: {
          indicators: TARGET_INDICATORS,
          periods: ["LAST_4_QUARTERS"],
          referenceDate: "2020-02-15",
          orgUnits: { roots: ["ImspTQPwCqd"], levels: [2] },
        },
        chunking: { periodsPerChunk: 2, orgUnitsPerChunk: 5, dataItemsPerChunk: 50 },
      },
      "district_indicators",
    );
    const report = await runRecorded(spec, { catalog });
    expect(report.error).toBeNull();
    expect(report).toMatchObject({ status: "succeeded", rowsIn: 196, rowsOut: 196, rowsRejected: 0, version: 1 });
    const dataset = catalog.bySlug("district_indicators")!;
    const [version] = catalog.versions(dataset.id);
    expect(version).toMatchObject({ rows: 196, periodStart: "2019-01-01", periodEnd: "2019-12-31" });
    const file = path.join(catalog.datasetsDir, version.fileName);
    const [counts] = await query<{ n: number; places: number; fields: number; types: string }>(
      file,
      `SELECT count(*)::INT AS n, count(DISTINCT location_id)::INT AS places, count(DISTINCT field_id)::INT AS fields,
              string_agg(DISTINCT period_type, ',') AS types
       FROM d.observations o JOIN d.locations l USING (location_id) WHERE l.level = 2`,
    );
    expect(counts).toEqual({ n: 196, places: 7, fields: 7, types: "Quarterly" });
    const names = await query<{ name: string; aggregation: string }>(
      file,
      "SELECT name, aggregation FROM d.fields ORDER BY name",
    );
    expect(names).toHaveLength(7);
    expect(names.every((f) => f.aggregation === "none" && f.name.length > 3)).toBe(true);
    database.close();
  });

  it("publishes raw data values with their category option combo as the disaggregation", async () => {
    const { catalog, database } = catalogWith(hierarchy);
    const spec = await specFor(
      {
        baseUrl: standin.url,
        auth: AUTH,
        retry: FAST_RETRY,
        mode: "dataValueSets",
        selection: {
          dataElements: ["g9eOBujte1U"],
          periods: ["2016", "2017", "2018", "201906", "201907"],
          orgUnits: { roots: ["ImspTQPwCqd"], levels: [4] },
        },
        chunking: { periodsPerChunk: 12, orgUnitsPerChunk: 500, dataItemsPerChunk: 50 },
      },
      "art_monthly",
      { allowUnnamed: true },
    );
    // The recorded values' data element is in no recorded metadata list: kept under its id rather than refused.
    expect(spec.fields.map((f) => [f.name, f.source_field_id])).toEqual([["g9eOBujte1U", "g9eOBujte1U"]]);
    const report = await runRecorded(spec, { catalog });
    expect(report.error).toBeNull();
    expect(report.status).toBe("succeeded");
    expect(report.rowsRejected).toBe(0);
    const version = catalog.versions(catalog.bySlug("art_monthly")!.id)[0];
    const rows = await query<{ field_id: string; disaggregation: string; period_id: string; value: number }>(
      path.join(catalog.datasetsDir, version.fileName),
      "SELECT field_id, disaggregation, period_id, value FROM d.observations ORDER BY period_id",
    );
    expect(rows.length).toBe(report.rowsOut);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[A-Za-z][A-Za-z0-9]{10}$/.test(r.disaggregation))).toBe(true);
    expect(rows.find((r) => r.period_id === "2017")).toMatchObject({ disaggregation: "Gmbgme7z9BF", value: 12 });
    database.close();
  });
});

/**
 * DHIS2's own invalid import payloads (dhis2-core dxf2 test resources), served as the JSON /api/dataValueSets would
 * answer: every bad value is reported, and a run that keeps nothing publishes nothing.
 */
describe("invalid DHIS2 payloads", () => {
  const known: LocationRow[] = ["DiszpKrYNg8", "BdfsJfj87js"].map((id, i) => ({
    location_id: id,
    code: null,
    name: `Unit ${i + 1}`,
    level: 1,
    level_name: "National",
    parent_id: null,
    path: `/${id}`,
    geometry: null,
  }));
  let body = "";
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // The server's category option combos: only DHIS2's default one, so kjuiHgy67hg (IllegalCoc) is unknown.
      if (req.url?.startsWith("/api/categoryOptionCombos"))
        res.end(JSON.stringify({ categoryOptionCombos: [{ id: "HllvX50cXC0", name: "default" }] }));
      else res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function serveXmlPayload(name: string) {
    const xml = readFileSync(new URL(`../../../shared/fixtures/dhis2-core/datavalueset/${name}`, import.meta.url), "utf8");
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (n) => n === "dataValue",
      parseAttributeValue: false,
    });
    const { dataValue, xmlns: _ns, ...header } = parser.parse(xml).dataValueSet;
    body = JSON.stringify({ ...header, dataValues: dataValue });
  }

  const spec = (slug: string) =>
    dhis2PipelineSpec({
      dataset: { slug, title: slug },
      config: {
        baseUrl: url,
        auth: AUTH,
        mode: "dataValueSets",
        retry: FAST_RETRY,
        selection: { dataSets: ["pBOMPrpg1QX"], periods: ["201201"], orgUnits: { roots: ["DiszpKrYNg8"] } },
      },
      metadata: {
        dataElements: [
          { id: "f7n9E0hX8qk", name: "DE A", aggregationType: "SUM" },
          { id: "Ix2HsbDMLea", name: "DE B", aggregationType: "SUM" },
          { id: "eY5ehpbEsB7", name: "DE C", aggregationType: "SUM" },
        ],
        indicators: [],
        level: 1,
      },
    });

  const publishedFiles = (catalog: ReturnType<typeof catalogWith>["catalog"], slug: string) => {
    const dir = path.join(catalog.datasetsDir, slug);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".duckdb")) : [];
  };

  it("IllegalOrgUnit: the value's org unit is listed as unmatched; nothing is published", async () => {
    serveXmlPayload("dataValueSetIllegalOrgUnit.xml");
    const { catalog, database } = catalogWith(known);
    const report = await runRecorded(spec("illegal_ou"), { catalog });
    expect(report.status).toBe("failed");
    expect(report.error).toMatch(/no observation could be made.*nothing was published/);
    expect(report.unmatched.entries.map((e) => e.value)).toEqual(["missingOrgu"]);
    expect(catalog.bySlug("illegal_ou")?.currentVersion).toBeNull();
    expect(publishedFiles(catalog, "illegal_ou")).toEqual([]);
    database.close();
  });

  it("IllegalCoc: the value with an unknown category option combo is rejected by name; nothing is published", async () => {
    serveXmlPayload("dataValueSetIllegalCoc.xml");
    const { catalog, database } = catalogWith(known);
    const report = await runRecorded(spec("illegal_coc"), { catalog });
    expect(report.status).toBe("failed");
    expect(report.issues.map((i) => i.message).join("\n")).toMatch(/unknown category option combo 'kjuiHgy67hg'/);
    expect(catalog.bySlug("illegal_coc")?.currentVersion).toBeNull();
    expect(publishedFiles(catalog, "illegal_coc")).toEqual([]);
    database.close();
  });

  it("Invalid: keeps the good values and rejects the unknown data element by name", async () => {
    serveXmlPayload("dataValueSetInvalid.xml");
    const { catalog, database } = catalogWith(known);
    const report = await runRecorded(spec("invalid_de"), { catalog });
    expect(report).toMatchObject({ status: "succeeded", rowsOut: 2, rowsRejected: 1 });
    expect(report.issues.map((i) => i.message).join("\n")).toMatch(/jH26dja2f28.*not a known field/);
    database.close();
  });

  it("Null: reports each value without a value and publishes the one that has one", async () => {
    serveXmlPayload("dataValueSetANull.xml");
    const { catalog, database } = catalogWith(known);
    const report = await runRecorded(spec("null_values"), { catalog });
    expect(report).toMatchObject({ status: "succeeded", rowsOut: 1 });
    const rejected = report.issues.filter((i) => /rejected data value #\d.*no value/.test(i.message));
    expect(rejected).toHaveLength(2);
    expect(rejected[0].place?.url).toMatch(/\/api\/dataValueSets\?/);
    database.close();
  });

  it("a broken JSON response fails the run with the URL, and publishes nothing", async () => {
    body = '{"dataValues": [{"dataElement": "f7n9E0hX8qk", "period": "201201"';
    const { catalog, database } = catalogWith(known);
    const report = await runRecorded(spec("broken"), { catalog });
    expect(report.status).toBe("failed");
    expect(report.error).toContain(`${url}/api/dataValueSets`);
    expect(publishedFiles(catalog, "broken")).toEqual([]);
    database.close();
  });
});
