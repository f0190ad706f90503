/** The client's happy paths and HTTP error messages, against the stand-in serving real recorded DHIS2 responses. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAST_RETRY } from "../../tests/dhis2-standin/context.ts";
import { type Dhis2Standin, STANDIN_TOKEN, startDhis2Standin } from "../../tests/dhis2-standin/server.ts";
import { Dhis2Client } from "./client.ts";
import { Dhis2Error } from "./errors.ts";
import { fetchOrgUnitHierarchy, toLocationRows } from "./org-units.ts";

let standin: Dhis2Standin;
beforeAll(async () => {
  standin = await startDhis2Standin();
});
afterAll(() => standin.close());
afterEach(() => standin.setFaults([]));

const client = (
  auth: ConstructorParameters<typeof Dhis2Client>[0]["auth"] = { type: "basic", username: "admin", password: "district" },
) => new Dhis2Client({ baseUrl: `${standin.url}/`, auth, fetch, retry: FAST_RETRY });

async function failure(p: Promise<unknown>): Promise<Dhis2Error> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Dhis2Error);
  return error as Dhis2Error;
}

describe("Dhis2Client against the stand-in", () => {
  it("tests the connection with basic auth and with a personal access token", async () => {
    const expected = { version: "2.43-SNAPSHOT", systemName: "DHIS 2 Demo - Sierra Leone", userName: "John Traore" };
    expect(await client().testConnection()).toEqual(expected);
    expect(await client({ type: "token", token: STANDIN_TOKEN }).testConnection()).toEqual(expected);
  });

  it("reports wrong credentials clearly, without leaking the password, and does not retry them", async () => {
    const before = standin.requests.length;
    const error = await failure(client({ type: "basic", username: "admin", password: "s3cret-pw" }).testConnection());
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toMatch(/rejected the credentials \(HTTP 401\).*\/api\/system\/info.*username and password/);
    expect(error.message).not.toContain("s3cret-pw");
    expect(standin.requests.length - before).toBe(1);
  });

  it("reports a 403 as a permission problem with the URL", async () => {
    standin.setFaults([{ path: "/api/dataSets", kind: "status", status: 403, message: "Access denied for data set" }]);
    const error = await failure(client().listDataSets());
    expect(error.kind).toBe("forbidden");
    expect(error.message).toContain(`${standin.url}/api/dataSets?`);
    expect(error.message).toMatch(/no permission.*Access denied for data set/);
  });

  it("reports a 404 with the URL and DHIS2's message", async () => {
    const error = await failure(client().get("organisationUnits/abcdefghijk"));
    expect(error.kind).toBe("not-found");
    expect(error.message).toContain(`${standin.url}/api/organisationUnits/abcdefghijk`);
    expect(error.message).toContain("could not be found");
  });

  it("reports a 409 with the URL and DHIS2's conflict message", async () => {
    const c = client();
    const q = { dx: ["fbfJHSPpUQD", "NoSuchItem1"], pe: ["2019"], ou: ["ImspTQPwCqd"] };
    const error = await failure(c.fetchAnalytics(q));
    expect(error.kind).toBe("conflict");
    expect(error.status).toBe(409);
    expect(error.message).toContain(c.analyticsUrl(q));
    expect(error.message).toContain("Dimension `dx` has invalid items: `NoSuchItem1`");
  });

  it("reads every page of a paged metadata collection", async () => {
    const before = standin.requests.length;
    const pages: number[] = [];
    const all = await client().listAll<{ id: string }>("dataElements", {
      fields: "id,name",
      pageSize: 100,
      onPage: (_i, _u, p) => pages.push(p),
    });
    expect(all).toHaveLength(601);
    expect(new Set(all.map((d) => d.id)).size).toBe(601);
    expect(pages).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(standin.requests.slice(before).map((r) => r.params.get("page"))).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
  });

  it("fetches indicators, category option combos, data sets and org unit levels", async () => {
    const c = client();
    expect((await c.listIndicators()).map((i) => i.name)).toContain("ANC visits total");
    const cocs = await c.listCategoryOptionCombos();
    expect(cocs.find((x) => x.id === "HllvX50cXC0")).toMatchObject({ name: "default", categoryCombo: { id: "bjDvmb4bfuf" } });
    expect((await c.listDataSets()).length).toBe(26);
    expect((await c.listOrgUnitLevels()).map((l) => l.level).sort()).toEqual([1, 2, 3, 4]);
  });

  it("fetches the org unit hierarchy with levels, level names, parents, paths, codes and geometry", async () => {
    const h = await fetchOrgUnitHierarchy(client(), { pageSize: 200 });
    expect(h.levels).toEqual([
      { level: 1, name: "National" },
      { level: 2, name: "District" },
      { level: 3, name: "Chiefdom" },
      { level: 4, name: "Facility" },
    ]);
    expect(h.orgUnits.filter((o) => o.level === 2)).toHaveLength(13);
    const badjia = h.orgUnits.find((o) => o.id === "YuQRtpLP10I")!;
    expect(badjia).toMatchObject({
      code: "OU_539",
      name: "Badjia",
      level: 3,
      levelName: "Chiefdom",
      parent: "O6uvpzGd5pu",
      path: "/ImspTQPwCqd/O6uvpzGd5pu/YuQRtpLP10I",
    });
    expect(badjia.geometry).toMatchObject({ type: "Point" });
    expect(h.orgUnits.find((o) => o.id === "FNnj3jKGS7i")?.geometry).toMatchObject({ type: "Polygon" });
    const bo = await fetchOrgUnitHierarchy(client(), { roots: ["O6uvpzGd5pu"], maxLevel: 3 });
    expect(bo.orgUnits[0]).toMatchObject({ id: "O6uvpzGd5pu", level: 2, parent: "ImspTQPwCqd" });
    expect(bo.orgUnits.every((o) => o.path.startsWith("/ImspTQPwCqd/O6uvpzGd5pu") && o.level <= 3)).toBe(true);
    const rows = toLocationRows(bo);
    expect(rows.find((r) => r.location_id === "YuQRtpLP10I")).toMatchObject({
      level_name: "Chiefdom",
      parent_id: "O6uvpzGd5pu",
      geometry: expect.stringContaining("Point"),
    });
  });
});
