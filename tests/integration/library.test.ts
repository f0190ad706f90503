/**
 * The query library against the real server: create and version queries through the JSON API, certification (admin
 * yes, analyst no), visibility (private, group, workspace; hidden = 404 everywhere), archive (hidden from search, still
 * resolvable), used-by blocking delete, and linked notebook cells resolved on the server with the acting user's
 * visibility (report publish, native export).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { createAccounts } from "../../app/auth/accounts.server.ts";
import { addCell, connectNotebook, findCell } from "../../collab/index.ts";
import { openDatabase, schema } from "../../db/index.ts";
import { cookieSocket, until } from "../helpers/collab-socket.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

const BEA = { email: "bea@harmony.local", password: "bea-analyst-password" };

const json = (client: HttpClient, path: string, body: unknown) =>
  client.request(path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", Accept: "application/json" },
  });

describe("query library", () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  let analyst: HttpClient;
  let bea: HttpClient;
  let viewer: HttpClient;
  let admin: HttpClient;
  let groupId = "";
  const ids = { tpr: "", beaPrivate: "", group: "", workspace: "" };

  const create = async (client: HttpClient, body: Record<string, unknown>) => {
    const response = await json(client, "/queries/new.json", {
      description: "",
      tags: [],
      parameters: [],
      message: "first",
      ...body,
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const created = (await response.json()) as { id: string; version: number };
    expect(created.version).toBe(1);
    return created.id;
  };
  const searchIds = async (client: HttpClient, query = "") => {
    const response = await client.request(`/queries/search.json${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { queries: { id: string }[] }).queries.map((q) => q.id);
  };

  beforeAll(async () => {
    const database = openDatabase(dataDir);
    const beaId = await createAccounts(database.db).create(
      { email: BEA.email, name: "Bea Analyst", role: "analyst" },
      BEA.password,
    );
    groupId = "g_epi";
    database.db.insert(schema.groups).values({ id: groupId, name: "Epidemiologists" }).run();
    database.db.insert(schema.groupMembers).values({ groupId, userId: beaId }).run();
    database.close();
    server = await startServer({ dataDir });
    analyst = new HttpClient(server.url);
    bea = new HttpClient(server.url);
    viewer = new HttpClient(server.url);
    admin = new HttpClient(server.url);
    expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    expect((await bea.signIn(BEA.email, BEA.password)).status).toBe(302);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).status).toBe(302);
    expect((await admin.signIn(ADMIN.email, ADMIN.password)).status).toBe(302);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("creates a query with parameters; refuses bad input by field, viewers (403), anonymous (401) and other sites", async () => {
    ids.tpr = await create(analyst, {
      name: "Test positivity rate",
      description: "Confirmed over tested",
      tags: ["Malaria", "TPR"],
      visibility: "workspace",
      sql: "SELECT $factor * 42 AS answer",
      parameters: [{ name: "factor", type: "number", default: 1 }],
    });
    const summary = await (await analyst.request(`/queries/${ids.tpr}/summary.json`)).json();
    expect(summary).toMatchObject({
      id: ids.tpr,
      name: "Test positivity rate",
      tags: ["malaria", "tpr"],
      owner: { name: expect.any(String) },
      visibility: "workspace",
      groupId: null,
      latestVersion: 1,
      certifiedVersion: null,
      archived: false,
      datasets: [],
    });

    const bad = await json(analyst, "/queries/new.json", { name: "x", visibility: "group", sql: "SELECT 1" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: "groupId" });
    const unparsable = await json(analyst, "/queries/new.json", { name: "x", visibility: "private", sql: "SELEC nothing" });
    expect(unparsable.status).toBe(400);
    expect(await unparsable.json()).toMatchObject({ field: "sql" });
    const badParams = await json(analyst, "/queries/new.json", {
      name: "x",
      visibility: "private",
      sql: "SELECT 1",
      parameters: [{ name: "1bad", type: "number" }],
    });
    expect(await badParams.json()).toMatchObject({ field: "parameters" });
    // An analyst cannot share with a group they do not belong to.
    const notMine = await json(analyst, "/queries/new.json", { name: "x", visibility: "group", groupId, sql: "SELECT 1" });
    expect(notMine.status).toBe(400);
    expect(await notMine.json()).toMatchObject({ field: "groupId" });

    expect((await json(viewer, "/queries/new.json", { name: "x", visibility: "private", sql: "SELECT 1" })).status).toBe(403);
    const anonymous = new HttpClient(server.url);
    expect((await json(anonymous, "/queries/new.json", { name: "x", visibility: "private", sql: "SELECT 1" })).status).toBe(401);
    for (const path of [
      "/queries/search.json",
      `/queries/${ids.tpr}/summary.json`,
      `/queries/${ids.tpr}/v/1.json`,
      "/queries/my-groups.json",
    ])
      expect((await anonymous.request(path)).status, path).toBe(401);
    const crossSite = await analyst.request("/queries/new.json", {
      method: "POST",
      body: JSON.stringify({ name: "x", visibility: "private", sql: "SELECT 1" }),
      headers: { "Content-Type": "application/json" },
      origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    expect(await searchIds(analyst)).toEqual([ids.tpr]);
  });

  it("saves versions 1..n (owner and admin only) and serves any version with its author and message", async () => {
    const v2 = await json(analyst, `/queries/${ids.tpr}/versions.json`, {
      sql: "SELECT $factor * 43 AS answer",
      parameters: [{ name: "factor", type: "number", default: 2 }],
      message: "off by one",
    });
    expect(v2.status).toBe(201);
    expect(await v2.json()).toEqual({ version: 2 });
    expect(
      (await json(admin, `/queries/${ids.tpr}/versions.json`, { sql: "SELECT 44 AS answer", message: "admin" })).status,
    ).toBe(201);
    // Bea sees the workspace query but does not own it.
    expect((await json(bea, `/queries/${ids.tpr}/versions.json`, { sql: "SELECT 0", message: "mine now" })).status).toBe(403);
    expect((await json(viewer, `/queries/${ids.tpr}/versions.json`, { sql: "SELECT 0" })).status).toBe(403);

    const v1 = await (await viewer.request(`/queries/${ids.tpr}/v/1.json`)).json();
    expect(v1).toMatchObject({
      id: ids.tpr,
      version: 1,
      sql: "SELECT $factor * 42 AS answer",
      parameters: [expect.objectContaining({ name: "factor", type: "number", default: 1 })],
      message: "first",
      author: { name: expect.any(String) },
      certified: false,
      latestVersion: 3,
      certifiedVersion: null,
    });
    const v3 = (await (await analyst.request(`/queries/${ids.tpr}/v/3.json`)).json()) as { author: { id: string } };
    expect(v3).toMatchObject({ version: 3, message: "admin" });
    expect(v3.author.id).not.toBe((v1 as { author: { id: string } }).author.id);
    expect((await analyst.request(`/queries/${ids.tpr}/v/4.json`)).status).toBe(404);
    expect((await analyst.request(`/queries/${ids.tpr}/v/0.json`)).status).toBe(404);

    const page = await viewer.request(`/queries/${ids.tpr}?from=1&to=2`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("off by one");
    expect(html).toMatch(/class="diff-removed"/);
    expect(html).toMatch(/class="diff-added"/);
  });

  it("certifies a version: admins yes, analysts and viewers 403; the badge follows", async () => {
    expect((await analyst.form(`/queries/${ids.tpr}`, { intent: "certify", version: "2" })).status).toBe(403);
    expect((await viewer.form(`/queries/${ids.tpr}`, { intent: "certify", version: "2" })).status).toBe(403);
    expect((await admin.form(`/queries/${ids.tpr}`, { intent: "certify", version: "2" })).status).toBe(200);
    expect(await (await analyst.request(`/queries/${ids.tpr}/summary.json`)).json()).toMatchObject({ certifiedVersion: 2 });
    expect(await (await analyst.request(`/queries/${ids.tpr}/v/2.json`)).json()).toMatchObject({ certified: true });
    expect(await searchIds(viewer, "?certified=1")).toEqual([ids.tpr]);
    expect(await (await viewer.request("/queries")).text()).toContain("Certified v2");
    expect((await admin.form(`/queries/${ids.tpr}`, { intent: "certify", version: "9" })).status).toBe(400);
  });

  it("private is invisible to another analyst (404 everywhere), group to non-members, workspace visible to all", async () => {
    ids.beaPrivate = await create(bea, { name: "Bea's draft", visibility: "private", sql: "SELECT 'secret' AS s" });
    ids.group = await create(bea, { name: "Epi only", visibility: "group", groupId, sql: "SELECT 'epi' AS s" });
    ids.workspace = await create(bea, { name: "For everyone", visibility: "workspace", sql: "SELECT 'all' AS s" });
    const myGroups = await (await bea.request("/queries/my-groups.json")).json();
    expect(myGroups).toEqual({ groups: [{ id: groupId, name: "Epidemiologists" }] });
    expect(await (await analyst.request("/queries/my-groups.json")).json()).toEqual({ groups: [] });
    expect(
      ((await (await admin.request("/queries/my-groups.json")).json()) as { groups: unknown[] }).groups.length,
    ).toBeGreaterThan(0);

    for (const hidden of [ids.beaPrivate, ids.group]) {
      expect((await analyst.request(`/queries/${hidden}/summary.json`)).status).toBe(404);
      expect((await analyst.request(`/queries/${hidden}/v/1.json`)).status).toBe(404);
      expect((await analyst.request(`/queries/${hidden}`)).status).toBe(404);
      expect((await json(analyst, `/queries/${hidden}/versions.json`, { sql: "SELECT 1" })).status).toBe(404);
      expect((await analyst.form(`/queries/${hidden}`, { intent: "delete" })).status).toBe(404);
    }
    // The same answer as for an id that does not exist.
    expect((await analyst.request("/queries/q_doesnotexist/summary.json")).status).toBe(404);
    const analystSees = await searchIds(analyst);
    expect(analystSees).toContain(ids.workspace);
    expect(analystSees).not.toContain(ids.beaPrivate);
    expect(analystSees).not.toContain(ids.group);
    expect(await searchIds(viewer)).toContain(ids.workspace);
    expect(await searchIds(bea)).toEqual(expect.arrayContaining([ids.beaPrivate, ids.group, ids.workspace]));
    expect(await searchIds(admin)).toEqual(expect.arrayContaining([ids.beaPrivate, ids.group, ids.workspace]));

    // A group member sees the group query; adding the analyst to the group opens it to them.
    const database = openDatabase(dataDir);
    const analystId =
      database.db
        .select()
        .from(schema.users)
        .all()
        .find((u) => u.email === ANALYST.email)?.id ?? "";
    database.db.insert(schema.groupMembers).values({ groupId, userId: analystId }).run();
    database.close();
    expect((await analyst.request(`/queries/${ids.group}/v/1.json`)).status).toBe(200);
    expect(await searchIds(analyst)).toContain(ids.group);
    expect((await analyst.request(`/queries/${ids.beaPrivate}/v/1.json`)).status).toBe(404);
  });

  it("searches by text, tag, dataset-less filters and author", async () => {
    expect(await searchIds(viewer, "?q=positivity")).toEqual([ids.tpr]);
    expect(await searchIds(viewer, "?tag=malaria")).toEqual([ids.tpr]);
    expect(await searchIds(viewer, "?author=Bea")).toEqual([ids.workspace]);
    expect(await searchIds(viewer, "?dataset=malaria")).toEqual([]);
    const html = await (await viewer.request("/queries?q=positivity")).text();
    expect(html).toContain("Test positivity rate");
    expect(html).not.toContain("For everyone");
  });

  describe("linked cells", () => {
    let notebookId = "";
    const cells = { mine: "", hidden: "" };

    beforeAll(async () => {
      const created = await analyst.form("/notebooks?index", { intent: "create", title: "Rates notebook" });
      notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
      expect(notebookId).not.toBe("");
      const conn = connectNotebook({
        serverUrl: `ws://127.0.0.1:${server.port}/collab`,
        notebookId,
        WebSocketPolyfill: cookieSocket(analyst.cookieHeader()),
        disableBc: true,
        offlineStore: false,
      });
      try {
        await until(() => conn.provider.synced, "the first sync");
        const link = (cellId: string, queryId: string, version: number) =>
          conn.doc.transact(() =>
            (findCell(conn.doc, cellId)?.get("config") as Y.Map<unknown>).set("link", { queryId, version }),
          );
        cells.mine = addCell(conn.doc, 9, { kind: "sql", name: "answer" });
        link(cells.mine, ids.tpr, 3);
        cells.hidden = addCell(conn.doc, 9, { kind: "sql", name: "stolen" });
        link(cells.hidden, ids.beaPrivate, 1);
        await conn.whenSaved();
      } finally {
        conn.destroy();
      }
    });

    it("publishes a report whose linked cells resolve with the publisher's visibility", async () => {
      const response = await analyst.request(`/notebooks/${notebookId}/publish`, {
        method: "POST",
        body: new URLSearchParams([
          ["title", "Rates report"],
          ["visibility", "workspace"],
          ["cell", cells.mine],
          [`width.${cells.mine}`, "half"],
          [`order.${cells.mine}`, "1"],
          ["cell", cells.hidden],
          [`width.${cells.hidden}`, "half"],
          [`order.${cells.hidden}`, "2"],
        ]),
      });
      expect(response.status, await response.clone().text()).toBe(302);
      const reportId = /^\/r\/([\w-]+)/.exec(response.headers.get("location") ?? "")?.[1] ?? "";
      const database = openDatabase(dataDir);
      const version = database.db
        .select()
        .from(schema.reportVersions)
        .all()
        .find((v) => v.reportId === reportId);
      database.close();
      const tiles = (version?.tiles ?? []) as { cellId: string; error?: string; rows?: unknown[] }[];
      const mine = tiles.find((t) => t.cellId === cells.mine);
      const hidden = tiles.find((t) => t.cellId === cells.hidden);
      expect(mine?.error).toBeUndefined();
      expect(JSON.stringify(mine?.rows)).toContain("44");
      expect(hidden?.error).toMatch(/cell `stolen`: its linked library query .* not visible to you/);
      expect(JSON.stringify(hidden)).not.toContain("secret");
    });

    it("refuses a native export of a linked cell whose query the exporter cannot see, naming the cell", async () => {
      const refused = await analyst.request(`/notebooks/${notebookId}/export`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          cell: "stolen",
          sql: "SELECT 'secret' AS s",
          format: "csv",
          links: [{ cell: "stolen", queryId: ids.beaPrivate, version: 1 }],
        }),
      });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/cell `stolen`/);
      const allowed = await analyst.request(`/notebooks/${notebookId}/export`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          cell: "answer",
          sql: "SELECT 44 AS answer",
          format: "csv",
          links: [{ cell: "answer", queryId: ids.tpr, version: 3 }],
        }),
      });
      expect(allowed.status, await allowed.clone().text()).toBe(200);
      expect(await allowed.text()).toContain("44");
      const tampered = await analyst.request(`/notebooks/${notebookId}/export`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          cell: "answer",
          sql: "SELECT 45 AS answer",
          format: "csv",
          links: [{ cell: "answer", queryId: ids.tpr, version: 3 }],
        }),
      });
      expect(tampered.status).toBe(403);
    });

    it("streams a linked cell's library SQL with the exporter's visibility, and refuses a hidden query's cell", async () => {
      const ask = (cellId: string) =>
        analyst.request(`/notebooks/${notebookId}/export-tickets`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ cellId, format: "csv", params: {} }),
        });
      const issued = await ask(cells.mine);
      expect(issued.status, await issued.clone().text()).toBe(201);
      const { url } = (await issued.json()) as { url: string };
      const download = await analyst.request(url);
      expect(download.status).toBe(200);
      expect(await download.text()).toContain("44");
      const refused = await ask(cells.hidden);
      expect(refused.status).toBe(403);
      const message = await refused.text();
      expect(message).toMatch(/cell `stolen`: its linked library query .* not visible to you/);
      expect(message).not.toContain("secret");
    });

    it("refuses deleting a query in use (409 with the used-by list); archiving hides it from search but it keeps resolving", async () => {
      const refused = await analyst.form(`/queries/${ids.tpr}`, { intent: "delete" });
      expect(refused.status).toBe(409);
      const html = await refused.text();
      expect(html).toContain("Rates notebook");
      expect(html).toContain("Rates report");
      // Bea owns her private query; the notebook linking it is not hers: counted, not named.
      const beaRefused = await bea.form(`/queries/${ids.beaPrivate}`, { intent: "delete" });
      expect(beaRefused.status).toBe(409);
      const beaHtml = await beaRefused.text();
      expect(beaHtml).not.toContain("Rates notebook");
      expect(beaHtml).toContain("Rates report");
      expect(beaHtml).toMatch(/1 notebook\(s\) and 0 report\(s\) you cannot open/);
      expect((await bea.request(`/queries/${ids.beaPrivate}/summary.json`)).status).toBe(200);
      const page = await (await analyst.request(`/queries/${ids.tpr}`)).text();
      expect(page).toContain("Rates notebook");

      expect((await bea.form(`/queries/${ids.tpr}`, { intent: "archive" })).status).toBe(403);
      expect((await analyst.form(`/queries/${ids.tpr}`, { intent: "archive" })).status).toBe(200);
      expect(await searchIds(viewer)).not.toContain(ids.tpr);
      expect(await searchIds(viewer, "?archived=1")).toContain(ids.tpr);
      const resolved = await viewer.request(`/queries/${ids.tpr}/v/3.json`);
      expect(resolved.status).toBe(200);
      expect(await resolved.json()).toMatchObject({ sql: "SELECT 44 AS answer" });
      expect(await (await viewer.request(`/queries/${ids.tpr}/summary.json`)).json()).toMatchObject({ archived: true });
      expect((await analyst.form(`/queries/${ids.tpr}`, { intent: "unarchive" })).status).toBe(200);
      expect(await searchIds(viewer)).toContain(ids.tpr);
    });

    it("deletes a query nothing uses, and audits create, version, certify, archive and delete", async () => {
      expect((await bea.form(`/queries/${ids.workspace}`, { intent: "delete" })).status).toBe(302);
      expect((await bea.request(`/queries/${ids.workspace}/summary.json`)).status).toBe(404);
      const database = openDatabase(dataDir);
      const actions = database.db
        .select()
        .from(schema.auditLog)
        .all()
        .filter((e) => e.action.startsWith("library."));
      database.close();
      const kinds = new Set(actions.map((a) => a.action));
      for (const kind of [
        "library.create",
        "library.version",
        "library.certify",
        "library.archive",
        "library.unarchive",
        "library.delete",
      ])
        expect(kinds, kind).toContain(kind);
      expect(actions.find((a) => a.action === "library.certify")).toMatchObject({ target: ids.tpr, actorEmail: ADMIN.email });
    });
  });
});
