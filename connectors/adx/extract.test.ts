/**
 * Import of every ADX fixture through the real connector (real files, real parser): each yields records or fails with
 * a located AdxFileError, as SOURCES.md says it should. Plus the bad input the fixtures lack, written to temp files.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawBatch, RawRecord, RunIssue } from "../core/types.ts";
import { ADX_COLUMNS, AdxFileError, extractAdx, parseAdx } from "./index.ts";

const fixtures = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
const DHIS2 = "dhis2-core/adx/";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "adx-extract-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function extract(path: string, options: { batchSize?: number; name?: string; signal?: AbortSignal } = {}) {
  const issues: RunIssue[] = [];
  const batches: RawBatch[] = [];
  const ctx = {
    signal: options.signal ?? new AbortController().signal,
    progress() {},
    report: (i: RunIssue) => issues.push(i),
    fetch,
    tempDir: dir,
  };
  for await (const batch of extractAdx({ path, batchSize: options.batchSize, name: options.name }, ctx)) batches.push(batch);
  const records = batches.flatMap((b) => b.records);
  return { batches, records, issues };
}

async function writeTemp(name: string, content: string | Buffer) {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const failure = async (path: string) => {
  try {
    await extract(path);
  } catch (error) {
    return error as AdxFileError;
  }
  throw new Error(`${path} imported, but should have been rejected`);
};

describe("every ADX fixture imports, or fails with a located message", () => {
  it.each([
    ["adx-hiv/adx_hiv_data_sample.xml", 173],
    [`${DHIS2}adx_data_sample1.xml`, 13],
    [`${DHIS2}adx_data_sample2.xml`, 13],
    [`${DHIS2}exportA.adx.xml`, 2],
    [`${DHIS2}exportB.adx.xml`, 4],
    [`${DHIS2}exportC.adx.xml`, 4],
    [`${DHIS2}exportD.adx.xml`, 1],
    [`${DHIS2}importA.adx.xml`, 9],
    [`${DHIS2}importB.adx.xml`, 9],
    [`${DHIS2}importC.adx.xml`, 9],
    [`${DHIS2}importDates.adx.xml`, 1],
    [`${DHIS2}importDatesUpdate.adx.xml`, 1],
  ])("%s → %i values, each with file, line and a DHIS2 period", async (rel, count) => {
    const { records, issues } = await extract(join(fixtures, rel));
    expect(records).toHaveLength(count);
    const file = rel.split("/").pop();
    for (const r of records) {
      expect(Object.keys(r.values)).toEqual([...ADX_COLUMNS]);
      expect(r.place.file).toBe(file);
      expect(r.place.row).toBeGreaterThan(1);
      expect(r.values.periodId).toMatch(/^\d{6}$|^\d{4}Q\d$/);
      expect(r.values.dataElement).toBeTruthy();
    }
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("the mADX-HIV sample has no namespace and codes with trailing spaces: read, trimmed, said once", async () => {
    const { records, issues } = await extract(join(fixtures, "adx-hiv/adx_hiv_data_sample.xml"));
    expect(records[0].values).toMatchObject({
      orgUnit: "ZW01",
      periodId: "201701",
      dataElement: "QRPH_ADX_ART1_N",
      disaggregation: "AGE_GROUP=P0Y--P1Y|SEX=F",
    });
    expect(records.filter((r) => String(r.values.disaggregation).includes("P20Y--P25Y|"))).not.toHaveLength(0);
    expect(records.some((r) => String(r.values.disaggregation).includes(" |"))).toBe(false);
    expect(issues).toEqual([
      {
        severity: "warning",
        message:
          "file adx_hiv_data_sample.xml, line 11: AGE_GROUP 'P20Y--P25Y ' has surrounding spaces; read as 'P20Y--P25Y' (said once per file)",
        place: { file: "adx_hiv_data_sample.xml", row: 11 },
      },
    ]);
  });

  it("the mADX-HIV MeasureReport sample is not well-formed: rejected with line and column", async () => {
    const error = await failure(join(fixtures, "adx-hiv/adx_hiv_measurereport_sample.xml"));
    expect(error).toBeInstanceOf(AdxFileError);
    expect(error.message).toMatch(
      /^file adx_hiv_measurereport_sample\.xml, line 6, column 48: malformed XML: Expected closing tag 'value'/,
    );
    expect(error.place).toEqual({ file: "adx_hiv_measurereport_sample.xml", row: 6, column: "48" });
  });

  it("the mADX-HIV DSD is XML but not ADX: rejected, naming its root", async () => {
    const error = await failure(join(fixtures, "adx-hiv/adx_hiv_dsd.xml"));
    expect(error.message).toBe(
      "file adx_hiv_dsd.xml, line 2: the root element is <mes:Structure>, not <adx>: this is not an ADX message",
    );
  });

  it("the schema file is not ADX either", async () => {
    const error = await failure(join(fixtures, "adx-hiv/adx_hiv_dsd.xsd"));
    expect(error.message).toMatch(/^file adx_hiv_dsd\.xsd, line \d+: the root element is <xs:schema>/);
  });
});

describe("golden: dhis2-core adx_data_sample2.xml", () => {
  const golden = JSON.parse(readFileSync(new URL("./golden/adx_data_sample2.golden.json", import.meta.url), "utf8"));
  it("gives exactly the golden records and no issues", async () => {
    const { records, issues } = await extract(join(fixtures, DHIS2, "adx_data_sample2.xml"));
    const rows = records.map((r) => ({
      row: r.place.row,
      ...Object.fromEntries(Object.entries(r.values).filter(([, v]) => v !== null)),
    }));
    expect(rows).toEqual(golden.records);
    expect(issues).toEqual(golden.issues);
  });
});

describe("DHIS2 specifics", () => {
  it("a lone categoryOptionCombo is the disaggregation itself; group attributes join the value's", async () => {
    const { records } = await extract(join(fixtures, DHIS2, "importA.adx.xml"));
    const disaggregations = records.map((r) => r.values.disaggregation);
    expect(disaggregations).toContain("FOver555555");
    expect(disaggregations).toContain("Age_category=under555555|Mechanism_category=PEPFARRRRRR|Sex_category=FFFFFFFFFFF");
    expect(disaggregations).toContain("Age_category=under555555|Sex_category=MMMMMMMMMMM|attributeOptionCombo=cocMcDonald");
    expect(records.find((r) => r.values.dataElement === "Malaria text")?.values).toMatchObject({
      disaggregation: null,
      annotation: "Text data value",
    });
  });

  it("audit dates are columns, not disaggregations; the attribute wins over the child element", async () => {
    const { records } = await extract(join(fixtures, DHIS2, "importDatesUpdate.adx.xml"));
    expect(records[0].values).toMatchObject({
      disaggregation: "ageeeeeeeee=over5555555|sexxxxxxxxx=MMMMMMMMMMM",
      value: "55",
      created: "1988-12-21T23:59:38.376+0000",
      annotation: "33333",
    });
  });

  it("quarters, completeDate and dataSet", async () => {
    const { records } = await extract(join(fixtures, DHIS2, "importB.adx.xml"));
    expect(records.at(-1)!.values).toMatchObject({
      dataSet: "Malaria Mechanism DS",
      periodType: "Quarterly",
      periodId: "2021Q1",
      periodEnd: "2021-03-31",
    });
    const sample1 = await extract(join(fixtures, DHIS2, "adx_data_sample1.xml"));
    expect(sample1.records[0].values).toMatchObject({
      completeDate: "2015-06-17",
      disaggregation: "attributeOptionCombo=McDonalds",
    });
  });
});

const adx = (body: string, root = '<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-01-01T00:00:00Z">') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${body}\n</${root.slice(1).split(/[\s>]/)[0]}>\n`;

describe("bad input: per value, located, and the rest still imports", () => {
  it("a bad group period rejects that group's values (one issue at the group's line) and nothing else", async () => {
    const path = await writeTemp(
      "bad-period.xml",
      adx(`  <group orgUnit="OU1" period="2024-01-15/P1M">
    <dataValue dataElement="A" value="1"/>
    <dataValue dataElement="B" value="2"/>
  </group>
  <group orgUnit="OU1" period="2024-02-01/P1M">
    <dataValue dataElement="A" value="3"/>
  </group>`),
    );
    const { records, issues } = await extract(path);
    expect(records.map((r) => [r.values.periodId, r.values.value, r.place.row])).toEqual([["202402", "3", 8]]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "error", place: { file: "bad-period.xml", row: 3 } });
    expect(issues[0].message).toMatch(
      /^file bad-period\.xml, line 3: ADX period '2024-01-15\/P1M': .*not exactly one DHIS2 period.*; the group's 2 data values rejected$/,
    );
  });

  it("missing attributes are rejected one by one with their line", async () => {
    const path = await writeTemp(
      "missing.xml",
      adx(`  <group period="2024-01-01/P1M">
    <dataValue dataElement="A" value="1"/>
  </group>
  <group orgUnit="OU1" period="2024-01-01/P1M">
    <dataValue value="1"/>
    <dataValue dataElement="B"/>
    <dataValue dataElement="C" value=""/>
    <dataValue/>
    <dataValue dataElement="D" value="4"/>
  </group>`),
    );
    const { records, issues } = await extract(path);
    expect(records.map((r) => [r.values.dataElement, r.values.value, r.place.row])).toEqual([
      ["C", "", 9],
      ["D", "4", 11],
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      "file missing.xml, line 3: <group> has no 'orgUnit' attribute; its 1 data value rejected",
      "file missing.xml, line 7: <dataValue> has no 'dataElement' attribute; value rejected",
      "file missing.xml, line 8: <dataValue> has no 'value' attribute; value rejected",
      "file missing.xml, line 10: <dataValue> has no 'dataElement' and 'value' attribute; value rejected",
    ]);
  });

  it("a truncated fixture is malformed XML: rejected with file, line and column, and no batch at all", async () => {
    const text = readFileSync(join(fixtures, DHIS2, "importA.adx.xml"), "utf8");
    const truncated = text.slice(0, text.indexOf("value=", 400) + 8);
    const lastLine = truncated.split("\n").length;
    const path = await writeTemp("truncated.xml", truncated);
    const issues: RunIssue[] = [];
    const batches: RawBatch[] = [];
    const ctx = {
      signal: new AbortController().signal,
      progress() {},
      report: (i: RunIssue) => issues.push(i),
      fetch,
      tempDir: dir,
    };
    const run = async () => {
      for await (const b of extractAdx({ path }, ctx)) batches.push(b);
    };
    const message = new RegExp(
      `^file truncated\\.xml, line ${lastLine}, column \\d+: malformed XML: Attributes for 'dataValue' have open quote`,
    );
    await expect(run()).rejects.toThrow(message);
    await expect(run()).rejects.toMatchObject({
      place: { file: "truncated.xml", row: lastLine, column: expect.stringMatching(/^\d+$/) },
    });
    expect(batches).toEqual([]);
  });

  it("an unclosed element names where it was opened", async () => {
    const text = readFileSync(join(fixtures, DHIS2, "exportB.adx.xml"), "utf8");
    const path = await writeTemp("unclosed.xml", text.slice(0, text.lastIndexOf("</group>")));
    const error = await failure(path);
    expect(error.message).toMatch(/^file unclosed\.xml, line \d+(, column \d+)?: malformed XML: .*group/);
  });

  it("a file in another namespace is refused; empty and non-UTF-8 files are refused", async () => {
    const other = await writeTemp("other-ns.xml", adx("", '<adx xmlns="http://example.org/not-adx">'));
    expect((await failure(other)).message).toBe(
      "file other-ns.xml, line 2: <adx> is in namespace 'http://example.org/not-adx', not urn:ihe:qrph:adx:2015",
    );
    const empty = await writeTemp("empty.xml", "");
    expect((await failure(empty)).message).toBe("file empty.xml: is empty (0 bytes)");
    const latin = await writeTemp("latin.xml", iconv.encode(adx('<group orgUnit="Kénéma" period="2024-01-01/P1M"/>'), "latin1"));
    expect((await failure(latin)).message).toMatch(/^file latin\.xml: is not valid UTF-8/);
    expect((await failure(join(dir, "nowhere.xml"))).message).toBe("file nowhere.xml: cannot be read (ENOENT)");
  });

  it("a file without data values says so", async () => {
    const { records, issues } = await extract(await writeTemp("none.xml", adx("")));
    expect(records).toEqual([]);
    expect(issues.map((i) => i.message)).toEqual(["file none.xml: no data values"]);
  });

  it("foreign elements are ignored, said once per name", async () => {
    const path = await writeTemp(
      "foreign.xml",
      adx(`  <meta>x</meta>
  <group orgUnit="OU1" period="2024-01-01/P1M"><note/><note/>
    <dataValue dataElement="A" value="1"/>
  </group>`),
    );
    const { records, issues } = await extract(path);
    expect(records).toHaveLength(1);
    expect(issues.map((i) => i.message)).toEqual([
      "file foreign.xml, line 3: <meta> inside <adx> is not ADX; ignored",
      "file foreign.xml, line 4: <note> inside <group> is not ADX; ignored",
    ]);
  });
});

describe("namespaces, encodings, batches", () => {
  it("a prefixed ADX namespace imports like the default one", async () => {
    const text = `<a:adx xmlns:a="urn:ihe:qrph:adx:2015" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" exported="2024-01-01">
  <a:group orgUnit="OU1" period="2024-01-01/P7D" xsi:type="x">
    <a:dataValue dataElement="A" SEX="F" value="5"><a:annotation>note</a:annotation></a:dataValue>
  </a:group>
</a:adx>`;
    const { records, issues } = await extract(await writeTemp("prefixed.xml", text));
    expect(issues).toEqual([]);
    expect(records.map((r) => r.values)).toMatchObject([
      { orgUnit: "OU1", periodId: "2024W1", dataElement: "A", disaggregation: "SEX=F", value: "5", annotation: "note" },
    ]);
    expect(records[0].place).toEqual({ file: "prefixed.xml", row: 3 });
  });

  it("a namespace-less file with CRLF line ends imports with the right lines", async () => {
    const text = [
      "<adx>",
      '<group orgUnit="OU1" period="2024-01-01/P1Y">',
      '<dataValue dataElement="A" value="1"/>',
      "",
      '<dataValue dataElement="B" value="2"/>',
      "</group>",
      "</adx>",
    ].join("\r\n");
    const { records } = await extract(await writeTemp("crlf.xml", text));
    expect(records.map((r) => [r.values.periodId, r.place.row])).toEqual([
      ["2024", 3],
      ["2024", 5],
    ]);
  });

  it("reads the encoding the declaration names, and UTF-16 with a BOM", async () => {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?>\n<adx><group orgUnit="Kénéma" period="2024-01-01/P1M"><dataValue dataElement="A" value="1"/></group></adx>`;
    const latin = await extract(await writeTemp("declared-latin.xml", iconv.encode(text, "latin1")));
    expect(latin.records[0].values.orgUnit).toBe("Kénéma");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replace("ISO-8859-1", "UTF-16"), "utf-16le")]);
    const sixteen = await extract(await writeTemp("utf16.xml", utf16));
    expect(sixteen.records[0].values.orgUnit).toBe("Kénéma");
  });

  it("decodes entity and character references; literal line breaks in attributes are spaces", async () => {
    const text = `<adx><group orgUnit="A&amp;B &#x1F600;" period="2024-01-01/P1M"><dataValue dataElement="x&quot;y&lt;&#233;" note="l1\nl2&#10;l3" value="1"/></group></adx>`;
    const { records } = await extract(await writeTemp("refs.xml", text));
    expect(records[0].values).toMatchObject({ orgUnit: "A&B 😀", dataElement: 'x"y<é', disaggregation: "note=l1 l2\nl3" });
  });

  it("yields batches of batchSize records, and stops when aborted", async () => {
    const path = join(fixtures, "adx-hiv/adx_hiv_data_sample.xml");
    const { batches } = await extract(path, { batchSize: 50, name: "hiv.xml" });
    expect(batches.map((b) => b.records.length)).toEqual([50, 50, 50, 23]);
    expect(batches[0].table).toBe("hiv.xml");
    const controller = new AbortController();
    const seen: RawRecord[] = [];
    const ctx = { signal: controller.signal, progress() {}, report() {}, fetch, tempDir: dir };
    const run = async () => {
      for await (const b of extractAdx({ path, batchSize: 50 }, ctx)) {
        seen.push(...b.records);
        controller.abort();
      }
    };
    await expect(run()).rejects.toThrow();
    expect(seen).toHaveLength(50);
  });

  it("parseAdx reads text directly with the same rules", () => {
    const { records, issues } = parseAdx(
      adx('<group orgUnit="OU1" period="nonsense"><dataValue dataElement="A" value="1"/></group>'),
      "t.xml",
    );
    expect(records).toEqual([]);
    expect(issues[0].message).toMatch(/^file t\.xml, line 3: ADX period 'nonsense': expected <start date>\/<duration>/);
  });
});
