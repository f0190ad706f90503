// biome-ignore-all lint/suspicious/noExplicitAny: assertions read untyped DHIS2 JSON bodies.
/**
 * The stand-in's own behaviour (its tests live here because vitest's unit project collects connectors/**):
 * paging, fields, filters and auth the way DHIS2 does them, and analytics split into subsets of the recorded response.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dhis2Standin, STANDIN_TOKEN, startDhis2Standin } from "../../tests/dhis2-standin/server.ts";

let standin: Dhis2Standin;
const basic = { authorization: `Basic ${Buffer.from("admin:district").toString("base64")}` };
const get = async (path: string, headers: Record<string, string> = basic) => {
  const r = await fetch(`${standin.url}${path}`, { headers });
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

beforeAll(async () => {
  standin = await startDhis2Standin();
});
afterAll(() => standin.close());

describe("DHIS2 stand-in", () => {
  it("refuses missing or wrong credentials with a DHIS2 401 body and accepts basic auth and a token", async () => {
    expect((await get("/api/system/info", {})).status).toBe(401);
    const wrong = await get("/api/system/info", { authorization: `Basic ${Buffer.from("admin:nope").toString("base64")}` });
    expect(wrong).toMatchObject({ status: 401, body: { httpStatusCode: 401, status: "ERROR" } });
    expect((await get("/api/system/info", { authorization: "ApiToken d2pat_wrong" })).status).toBe(401);
    expect((await get("/api/system/info", { authorization: `ApiToken ${STANDIN_TOKEN}` })).body.systemName).toBe(
      "DHIS 2 Demo - Sierra Leone",
    );
  });

  it("pages org units like DHIS2 and filters by level and path", async () => {
    const page2 = await get("/api/organisationUnits?filter=level:eq:2&fields=id,name,parent[id]&pageSize=5&page=2");
    expect(page2.body.pager).toMatchObject({ page: 2, pageCount: 3, total: 13, pageSize: 5 });
    expect(page2.body.organisationUnits).toHaveLength(5);
    expect(page2.body.organisationUnits[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      parent: { id: "ImspTQPwCqd" },
    });
    const all = await get(
      "/api/organisationUnits?paging=false&fields=id,level&filter=path:startsWith:/ImspTQPwCqd/O6uvpzGd5pu/YuQRtpLP10I",
    );
    expect(all.body.pager).toBeUndefined();
    expect(all.body.organisationUnits.map((o: { id: string }) => o.id).sort()).toEqual([
      "DiszpKrYNg8",
      "YuQRtpLP10I",
      "g8upMTyEZGZ",
    ]);
    const levels = await get("/api/organisationUnitLevels?fields=level,name");
    expect(levels.body.organisationUnitLevels.map((l: { name: string }) => l.name)).toEqual([
      "National",
      "District",
      "Chiefdom",
      "Facility",
    ]);
  });

  it("answers a split analytics request with exactly its share of the recorded rows", async () => {
    const dims = "dimension=dx:EY8gsfEomc0;MkXHDfrFRKV&dimension=pe:2019Q1;2019Q2;2019Q3;2019Q4";
    const whole = await get(`/api/analytics?${dims}&dimension=ou:TEQlaapDQoK;Vth0fbpFcsO`);
    const half = await get(`/api/analytics?${dims}&dimension=ou:TEQlaapDQoK`);
    expect(whole.body.rows).toHaveLength(16);
    expect(half.body.rows).toHaveLength(8);
    expect(half.body.rows.every((r: string[]) => r[2] === "TEQlaapDQoK")).toBe(true);
    expect(whole.body.headers.slice(0, 4).map((h: { name: string }) => h.name)).toEqual(["dx", "pe", "ou", "value"]);
  });

  it("gives DHIS2's 409 conflict body for unknown analytics items", async () => {
    const r = await get("/api/analytics?dimension=dx:fbfJHSPpUQD&dimension=pe:2019&dimension=ou:NotAnOrgUn1");
    expect(r).toMatchObject({ status: 409, body: { httpStatus: "Conflict", httpStatusCode: 409, status: "ERROR" } });
    expect(r.body.message).toContain("NotAnOrgUn1");
  });

  it("serves dataValueSets filtered by data set, period and org unit with children", async () => {
    const withChildren = await get("/api/dataValueSets?dataSet=lyLU2wR22tC&period=2017&orgUnit=O6uvpzGd5pu&children=true");
    expect(withChildren.body.dataValues.length).toBeGreaterThan(0);
    expect(withChildren.body.dataValues.every((v: { period: string }) => v.period === "2017")).toBe(true);
    const withoutChildren = await get("/api/dataValueSets?dataSet=lyLU2wR22tC&period=2017&orgUnit=O6uvpzGd5pu");
    expect(withoutChildren.body.dataValues).toHaveLength(0);
    const range = await get(
      "/api/dataValueSets?dataElement=tpz77FcntKx&startDate=2018-01-01&endDate=2018-12-31&orgUnit=O6uvpzGd5pu",
    );
    expect(range.body.dataValues.map((v: { value: string }) => v.value)).toEqual(["500000"]);
    expect((await get("/api/dataValueSets?orgUnit=O6uvpzGd5pu&period=2018")).status).toBe(409);
  });

  it("logs every request", async () => {
    const before = standin.requests.length;
    await get("/api/40/dataElements.json?pageSize=1");
    expect(standin.requests.slice(before)).toEqual([expect.objectContaining({ path: "/api/dataElements", status: 200 })]);
  });
});
