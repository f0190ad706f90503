/** The connector end to end against the stand-in: analytics and dataValueSets modes, chunking, and resume after interruption. */

import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAST_RETRY, makeContext } from "../../tests/dhis2-standin/context.ts";
import { type Dhis2Standin, startDhis2Standin } from "../../tests/dhis2-standin/server.ts";
import type { RawBatch } from "../core/types.ts";
import { fileChunkStore } from "./chunk-store.ts";
import { type ChunkLedger, jsonFileLedger, memoryLedger } from "./chunks.ts";
import type { Dhis2ConfigInput } from "./config-schema.ts";
import { createDhis2Connector } from "./extract.ts";

let standin: Dhis2Standin;
beforeAll(async () => {
  standin = await startDhis2Standin();
});
afterAll(() => standin.close());
afterEach(() => standin.setFaults([]));

const TARGET_INDICATORS = [
  "EY8gsfEomc0",
  "MkXHDfrFRKV",
  "ULW9dQOiiTS",
  "X2XfzgH4NOR",
  "iug406zdfTE",
  "oTOpKabJA1v",
  "qmCKRmVj4WX",
];

/** Districts × 2019 quarters × 7 indicators: the recorded target-with-legend response, 196 rows, asked for in 6 chunks. */
const districtsConfig = (): Dhis2ConfigInput => ({
  baseUrl: standin.url,
  auth: { type: "basic", username: "admin", password: "district" },
  selection: {
    indicators: TARGET_INDICATORS,
    periods: ["LAST_4_QUARTERS"],
    referenceDate: "2020-02-15",
    orgUnits: { roots: ["ImspTQPwCqd"], levels: [2] },
  },
  chunking: { periodsPerChunk: 2, orgUnitsPerChunk: 5, dataItemsPerChunk: 50 },
  retry: FAST_RETRY,
});

async function collect(iterable: AsyncIterable<RawBatch>): Promise<RawBatch[]> {
  const out: RawBatch[] = [];
  for await (const b of iterable) out.push(b);
  return out;
}

const analyticsRequests = (from: number) => standin.requests.slice(from).filter((r) => r.path === "/api/analytics");

describe("analytics mode", () => {
  it("expands relative periods and yields the recorded rows with their URL", async () => {
    const ctx = makeContext();
    const config: Dhis2ConfigInput = {
      baseUrl: standin.url,
      auth: { type: "basic", username: "admin", password: "district" },
      selection: {
        dataElements: ["fbfJHSPpUQD"],
        periods: ["LAST_12_MONTHS"],
        referenceDate: "2020-02-15",
        orgUnits: { roots: ["ImspTQPwCqd"] },
      },
      retry: FAST_RETRY,
    };
    const batches = await collect(createDhis2Connector().extract(config, ctx));
    expect(batches).toHaveLength(1);
    const records = batches[0].records;
    expect(batches[0].table).toBe("analytics");
    // simple.data.json: 201902..202001 for ANC 1st visit at national level (201901 is not in the recording).
    expect(records.map((r) => r.values.period).sort()).toEqual([
      "201902",
      "201903",
      "201904",
      "201905",
      "201906",
      "201907",
      "201908",
      "201909",
      "201910",
      "201911",
      "201912",
      "202001",
    ]);
    expect(records.find((r) => r.values.period === "201907")?.values).toEqual({
      dataElement: "fbfJHSPpUQD",
      period: "201907",
      orgUnit: "ImspTQPwCqd",
      categoryOptionCombo: null,
      attributeOptionCombo: null,
      value: "461.0",
    });
    expect(records[0].place.url).toMatch(/\/api\/analytics\?dimension=dx%3AfbfJHSPpUQD&dimension=pe%3A201902%3B/);
    expect(records[0].place.page).toBe(1);
  });

  it("splits by period and org unit so each request is bounded, and the union is the whole recording", async () => {
    const before = standin.requests.length;
    const ctx = makeContext();
    const batches = await collect(createDhis2Connector().extract(districtsConfig(), ctx));
    const requests = analyticsRequests(before);
    expect(requests).toHaveLength(6); // 13 districts / 5 = 3 org-unit chunks × 4 quarters / 2 = 2 period chunks
    for (const r of requests) {
      const dims = r.params.getAll("dimension");
      expect(dims.find((d) => d.startsWith("pe:"))!.split(";")).toHaveLength(2);
      expect(dims.find((d) => d.startsWith("ou:"))!.split(";").length).toBeLessThanOrEqual(5);
    }
    const rows = batches.flatMap((b) => b.records);
    expect(rows).toHaveLength(196);
    expect(new Set(rows.map((r) => `${r.values.dataElement}|${r.values.period}|${r.values.orgUnit}`)).size).toBe(196);
    expect(ctx.progressLog.at(-1)).toMatchObject({ phase: "extract", done: 6, total: 6 });
  });

  it("surfaces a 409 with the chunk's URL and DHIS2's message", async () => {
    const config = districtsConfig();
    config.selection.indicators = ["EY8gsfEomc0", "NoSuchInd01"];
    await expect(collect(createDhis2Connector().extract(config, makeContext()))).rejects.toThrow(
      /HTTP 409 Conflict\) at http:\/\/127\.0\.0\.1:\d+\/api\/analytics\?.*invalid items: `NoSuchInd01`/,
    );
  });
});

describe("resume after an interruption", () => {
  async function interruptedThenResumed(ledger: ChunkLedger) {
    const controller = new AbortController();
    const first = createDhis2Connector({ ledger }).extract(districtsConfig(), makeContext(controller.signal));
    const firstRun: RawBatch[] = [];
    const firstStart = standin.requests.length;
    // Interrupt while the third chunk is in flight: it hangs until the abort.
    standin.setFaults([{ path: "/api/analytics", kind: "delay", ms: 300 }]);
    await expect(
      (async () => {
        for await (const b of first) {
          firstRun.push(b);
          if (firstRun.length === 2) setTimeout(() => controller.abort(), 50);
        }
      })(),
    ).rejects.toMatchObject({ name: "AbortError" });
    standin.setFaults([]);
    const firstKeys = analyticsRequests(firstStart).map((r) => r.url);
    expect(firstKeys).toHaveLength(3); // two fetched, the third cut off

    const secondStart = standin.requests.length;
    const secondRun = await collect(createDhis2Connector({ ledger }).extract(districtsConfig(), makeContext()));
    const secondUrls = analyticsRequests(secondStart).map((r) => r.url);
    expect(secondUrls).toHaveLength(4); // only the chunks not yet done
    expect(secondUrls).not.toContain(firstKeys[0]);
    expect(secondUrls).not.toContain(firstKeys[1]);
    expect(secondUrls).toContain(firstKeys[2]);
    const rows = [...firstRun, ...secondRun].flatMap((b) => b.records);
    expect(rows).toHaveLength(196);
    expect(new Set(rows.map((r) => `${r.values.dataElement}|${r.values.period}|${r.values.orgUnit}`)).size).toBe(196);
  }

  it("keeps fetched chunks in a file store, so a re-run alone yields every row and fetches only the rest", async () => {
    const store = fileChunkStore(join(mkdtempSync(join(tmpdir(), "dhis2-chunks-")), "source-1"));
    const controller = new AbortController();
    const firstStart = standin.requests.length;
    standin.setFaults([{ path: "/api/analytics", kind: "delay", ms: 300 }]);
    let taken = 0;
    await expect(
      (async () => {
        for await (const _ of createDhis2Connector({ chunkStore: store }).extract(
          districtsConfig(),
          makeContext(controller.signal),
        )) {
          if (++taken === 2) setTimeout(() => controller.abort(), 50);
        }
      })(),
    ).rejects.toMatchObject({ name: "AbortError" });
    standin.setFaults([]);
    const firstUrls = analyticsRequests(firstStart).map((r) => r.url);
    // A new process: only the store carries over. It gets all 196 rows, fetching only the chunks the first run missed.
    const secondStart = standin.requests.length;
    const second = await collect(createDhis2Connector({ chunkStore: store }).extract(districtsConfig(), makeContext()));
    const secondUrls = analyticsRequests(secondStart).map((r) => r.url);
    expect(secondUrls).toHaveLength(4);
    expect(secondUrls).not.toContain(firstUrls[0]);
    expect(second.flatMap((b) => b.records)).toHaveLength(196);
    // Once cleared (after a publish), everything is fetched again.
    await store.clear();
    const thirdStart = standin.requests.length;
    await collect(createDhis2Connector({ chunkStore: store }).extract(districtsConfig(), makeContext()));
    expect(analyticsRequests(thirdStart)).toHaveLength(6);
  });

  it("skips fetched chunks with an in-memory ledger", async () => {
    const ledger = memoryLedger();
    await interruptedThenResumed(ledger);
    expect(ledger.keys.size).toBe(6);
  });

  it("skips fetched chunks with a JSON file ledger reopened from disk", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "dhis2-ledger-")), "ledger.json");
    const opened = await jsonFileLedger(path);
    // Reopen from disk between the runs, as a new process would.
    const reopening: ChunkLedger = {
      isDone: async (k) => (await jsonFileLedger(path)).isDone(k),
      done: (k) => opened.done(k),
    };
    await interruptedThenResumed(reopening);
    expect(JSON.parse(await readFile(path, "utf8")).done).toHaveLength(6);
  });
});

describe("dataValueSets mode", () => {
  it("reads raw values of a data set under a root with children", async () => {
    const ctx = makeContext();
    const before = standin.requests.length;
    const batches = await collect(
      createDhis2Connector().extract(
        {
          baseUrl: standin.url,
          auth: { type: "basic", username: "admin", password: "district" },
          mode: "dataValueSets",
          selection: { dataSets: ["lyLU2wR22tC"], periods: ["2017", "2018"], orgUnits: { roots: ["ImspTQPwCqd"] } },
          retry: FAST_RETRY,
        },
        ctx,
      ),
    );
    const request = standin.requests.slice(before).find((r) => r.path === "/api/dataValueSets")!;
    expect(request.params.get("children")).toBe("true");
    expect(request.params.getAll("period")).toEqual(["2017", "2018"]);
    const records = batches.flatMap((b) => b.records);
    expect(records.length).toBeGreaterThan(0);
    expect(batches[0].table).toBe("dataValueSets");
    expect(records[0].values).toMatchObject({
      dataElement: "g9eOBujte1U",
      period: "2017",
      orgUnit: "DiszpKrYNg8",
      categoryOptionCombo: "Gmbgme7z9BF",
      attributeOptionCombo: "bRowv6yZOF2",
      value: "12",
    });
    expect(ctx.issues).toEqual([]);
  });

  it("rejects config mistakes before any request", () => {
    const c = createDhis2Connector();
    const bad = {
      baseUrl: "ftp://x",
      auth: { type: "basic", username: "", password: "" },
      mode: "dataValueSets",
      selection: { indicators: ["EY8gsfEomc0"], periods: [], orgUnits: { roots: [] } },
    };
    expect(() => c.extract(bad as unknown as Dhis2ConfigInput, makeContext())).toThrow(/URL|username|period|org unit|indicators/);
  });
});
