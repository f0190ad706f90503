/**
 * Access control through the real server: deny by default, row-level access by location (the analyst restricted to one
 * district is served a slice holding only that district's rows, checked with native DuckDB), groups, revocation on the
 * next request, the admin-only pages and actions, and the audit log of each change (page and CSV).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { normalizeLocationPaths } from "../../app/access/policy.ts";
import { sliceFilePath } from "../../connectors/publish/index.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { seedHierarchy, spawnPipeline, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

const work = mkdtempSync(path.join(tmpdir(), "harmony-access-it-"));
const FILE = "/datasets/malaria/v/1.duckdb";

/** The districts (level 2 names) whose rows a downloaded dataset file holds, and its observation count. */
async function districtsIn(bytes: ArrayBuffer, name: string): Promise<{ districts: string[]; observations: number }> {
  const file = path.join(work, `${name}.duckdb`);
  writeFileSync(file, Buffer.from(bytes));
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH '${file}' AS d (READ_ONLY)`);
    const districts = (
      await conn.runAndReadAll(
        "SELECT DISTINCT l.level_2_name AS d FROM d.observations o JOIN d.locations l USING (location_id) ORDER BY 1",
      )
    )
      .getRowObjectsJson()
      .map((r) => String(r.d));
    const [row] = (await conn.runAndReadAll("SELECT count(*)::INTEGER AS n FROM d.observations")).getRowObjectsJson();
    // The locations table of a slice holds only the permitted subtree too, not just the observations.
    const [stray] = (
      await conn.runAndReadAll("SELECT count(DISTINCT level_2_name)::INTEGER AS n FROM d.locations WHERE level >= 2")
    ).getRowObjectsJson();
    expect(Number(stray.n)).toBe(districts.length);
    return { districts, observations: Number(row.n) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("dataset access through the real server", () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  let admin: HttpClient;
  let analyst: HttpClient;
  let viewer: HttpClient;
  let sqlite: Database.Database;
  let boPath = "";
  let kenemaPath = "";
  const idOf = (email: string) => (sqlite.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: string }).id;
  const grants = () =>
    sqlite.prepare("SELECT id, user_id AS userId, group_id AS groupId, location_paths AS paths FROM dataset_grants").all() as {
      id: string;
      userId: string | null;
      groupId: string | null;
      paths: string | null;
    }[];
  const audit = (action: string) =>
    sqlite.prepare("SELECT actor_email AS actor, target, detail FROM audit_log WHERE action = ? ORDER BY id").all(action) as {
      actor: string;
      target: string;
      detail: string;
    }[];

  beforeAll(async () => {
    const hierarchy = seedHierarchy(dataDir);
    boPath = hierarchy.find((l) => l.level === 2 && l.name === "Bo")?.path ?? "";
    kenemaPath = hierarchy.find((l) => l.level === 2 && l.name === "Kenema")?.path ?? "";
    expect(boPath).toMatch(/^\/\w+\/\w+$/);
    const { specFile } = writeMalariaSpec(work, "malaria", 3);
    const { code, output } = await spawnPipeline(specFile, dataDir).done;
    expect(code, output).toBe(0);
    server = await startServer({ dataDir });
    sqlite = new Database(path.join(dataDir, "harmony.sqlite"), { readonly: true });
    admin = new HttpClient(server.url);
    analyst = new HttpClient(server.url);
    viewer = new HttpClient(server.url);
    expect((await admin.signIn(ADMIN.email, ADMIN.password)).status).toBe(302);
    expect((await analyst.signIn(ANALYST.email, ANALYST.password)).status).toBe(302);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).status).toBe(302);
  });
  afterAll(async () => {
    sqlite?.close();
    await server?.stop();
  });

  it("denies by default: no grant, no file, no page, not in the list", async () => {
    expect((await analyst.request(FILE, { method: "HEAD" })).status).toBe(403);
    expect((await analyst.request(FILE)).status).toBe(403);
    expect((await analyst.request("/datasets/malaria")).status).toBe(404);
    expect(await (await analyst.request("/datasets")).text()).not.toContain("/datasets/malaria");
    expect((await analyst.request("/datasets/malaria/export/adx")).status).toBe(404);
    // Nor can they grant themselves access.
    const self = await analyst.form("/datasets/malaria", { intent: "grant.add", grantee: `user:${idOf(ANALYST.email)}` });
    expect(self.status).toBe(404);
    expect(grants()).toEqual([]);
  });

  it("refuses to publish an upload as a new version of a dataset the analyst does not own", async () => {
    const form = new FormData();
    form.append("file", new Blob([readFileSync(path.join(work, "malaria-3-1.csv"))], { type: "text/csv" }), "malaria.csv");
    const uploaded = await analyst.request("/datasets/new?index", { method: "POST", body: form });
    const uploadId = /\/datasets\/new\/([\w-]+)$/.exec(uploaded.headers.get("location") ?? "")?.[1] ?? "";
    expect(uploadId).not.toBe("");
    const { storedPath } = sqlite.prepare("SELECT stored_path AS storedPath FROM uploads WHERE id = ?").get(uploadId) as {
      storedPath: string;
    };
    const spec = JSON.parse(readFileSync(path.join(work, "malaria-3-1.json"), "utf8"));
    spec.source.config.path = storedPath;
    const published = await analyst.form(`/datasets/new/${uploadId}`, { intent: "publish", spec: JSON.stringify(spec) });
    expect(published.status).toBe(403);
    const versions = sqlite.prepare("SELECT count(*) AS n FROM dataset_versions").get() as { n: number };
    expect(versions.n).toBe(1);
    expect(sqlite.prepare("SELECT count(*) AS n FROM runs").get()).toEqual({ n: 1 });
  });

  it("serves the admin every row", async () => {
    const full = await admin.request(FILE);
    expect(full.status).toBe(200);
    expect(full.headers.get("cache-control")).toContain("immutable");
    const { districts } = await districtsIn(await full.arrayBuffer(), "admin");
    expect(districts).toHaveLength(13);
    expect(districts).toContain("Bo");
  });

  it("serves an analyst restricted to Bo a slice holding only Bo's rows", async () => {
    const added = await admin.form("/datasets/malaria", {
      intent: "grant.add",
      grantee: `user:${idOf(ANALYST.email)}`,
      locations: boPath,
    });
    expect(added.status).toBe(200);
    expect(grants()).toEqual([
      { id: expect.any(String), userId: idOf(ANALYST.email), groupId: null, paths: JSON.stringify([boPath]) },
    ]);

    const head = await analyst.request(FILE, { method: "HEAD", headers: { Range: "bytes=0-" } });
    expect(head.status).toBe(206);
    // A slice shares the version's URL, so it is revalidated rather than cached as immutable.
    expect(head.headers.get("cache-control")).toBe("private, no-cache");
    const file = await analyst.request(FILE);
    expect(file.status).toBe(200);
    expect(file.headers.get("etag")).not.toBe((await admin.request(FILE, { method: "HEAD" })).headers.get("etag"));
    const slice = await districtsIn(await file.arrayBuffer(), "analyst");
    expect(slice.districts).toEqual(["Bo"]);
    const adminFull = await districtsIn(await (await admin.request(FILE)).arrayBuffer(), "admin2");
    expect(slice.observations).toBeGreaterThan(0);
    expect(slice.observations).toBeLessThan(adminFull.observations);

    // The page and the list now show it, without the grants section (not the owner) and with the restriction notice.
    const page = await (await analyst.request("/datasets/malaria")).text();
    expect(page).toContain("only the rows of the locations");
    expect(page).not.toContain("Who can read this dataset");
    expect(await (await analyst.request("/datasets")).text()).toContain("/datasets/malaria");
    // A reader who is neither admin nor owner cannot change grants.
    const refused = await analyst.form("/datasets/malaria", { intent: "grant.add", grantee: `user:${idOf(VIEWER.email)}` });
    expect(refused.status).toBe(403);
    expect(grants()).toHaveLength(1);
  });

  it("exports a restricted reader's cell from their slice only", async () => {
    const created = await analyst.form("/notebooks?index", { intent: "create", title: "Bo only" });
    const notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    const response = await analyst.request(`/notebooks/${notebookId}/export`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        cell: "districts",
        sql: "SELECT DISTINCT l.level_2_name AS district FROM malaria.observations o JOIN malaria.locations l USING (location_id) ORDER BY 1",
        datasets: ["malaria"],
        format: "csv",
      }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await response.text()).trim().split(/\r?\n/)).toEqual(["district", "Bo"]);
  });

  it("grants through groups, and manages groups from the admin pages only", async () => {
    expect((await viewer.request("/admin/groups")).status).toBe(403);
    expect((await analyst.form("/admin/groups", { intent: "create", name: "Sneaky" })).status).toBe(403);
    expect((await admin.form("/admin/groups", { intent: "create", name: "Kenema team" })).status).toBe(200);
    const groupId = (sqlite.prepare("SELECT id FROM groups WHERE name = 'Kenema team'").get() as { id: string }).id;
    expect((await admin.form("/admin/groups", { intent: "rename", groupId, name: "Kenema officers" })).status).toBe(200);
    expect((await admin.form("/admin/groups", { intent: "create", name: "Kenema officers" })).status).toBe(400);
    const add = await admin.form("/admin/groups", { intent: "member.add", groupId, userId: idOf(VIEWER.email) });
    expect(add.status).toBe(200);
    expect(await (await admin.request("/admin/groups")).text()).toContain("Kenema officers");

    expect((await viewer.request(FILE)).status).toBe(403);
    await admin.form("/datasets/malaria", { intent: "grant.add", grantee: `group:${groupId}`, locations: kenemaPath });
    const asMember = await viewer.request(FILE);
    expect(asMember.status).toBe(200);
    expect((await districtsIn(await asMember.arrayBuffer(), "viewer")).districts).toEqual(["Kenema"]);
    // Leaving the group ends the access at once.
    await admin.form("/admin/groups", { intent: "member.remove", groupId, userId: idOf(VIEWER.email) });
    expect((await viewer.request(FILE, { method: "HEAD" })).status).toBe(403);
    // A location outside the hierarchy is refused rather than stored as a grant of nothing.
    const bad = await admin.form("/datasets/malaria", {
      intent: "grant.add",
      grantee: `group:${groupId}`,
      locations: "/nowhere",
    });
    expect(bad.status).toBe(400);
  });

  it("revokes: removing the grant refuses the very next download", async () => {
    const grant = grants().find((g) => g.userId === idOf(ANALYST.email));
    expect((await analyst.request(FILE, { method: "HEAD" })).status).toBe(200);
    const removed = await admin.form("/datasets/malaria", { intent: "grant.remove", grantId: grant?.id ?? "" });
    expect(removed.status).toBe(200);
    expect((await analyst.request(FILE, { method: "HEAD" })).status).toBe(403);
    expect((await analyst.request(FILE, { headers: { Range: "bytes=0-99" } })).status).toBe(403);
    expect((await analyst.request("/datasets/malaria")).status).toBe(404);
  });

  it("lets the dataset's owner read every row and manage its grants without being admin", async () => {
    const writable = new Database(path.join(dataDir, "harmony.sqlite"));
    try {
      writable.prepare("UPDATE datasets SET owner_id = ? WHERE slug = 'malaria'").run(idOf(ANALYST.email));
    } finally {
      writable.close();
    }
    const own = await analyst.request(FILE, { method: "HEAD" });
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toContain("immutable");
    expect(await (await analyst.request("/datasets/malaria")).text()).toContain("Who can read this dataset");
    expect((await viewer.request(FILE, { method: "HEAD" })).status).toBe(403);
    const shared = await analyst.form("/datasets/malaria", { intent: "grant.add", grantee: `user:${idOf(VIEWER.email)}` });
    expect(shared.status).toBe(200);
    expect((await viewer.request(FILE, { method: "HEAD" })).status).toBe(200);
    // The viewer reads but, not being the owner, still cannot manage grants.
    const grant = grants().find((g) => g.userId === idOf(VIEWER.email));
    expect((await viewer.form("/datasets/malaria", { intent: "grant.remove", grantId: grant?.id ?? "" })).status).toBe(403);
    expect((await analyst.form("/datasets/malaria", { intent: "grant.remove", grantId: grant?.id ?? "" })).status).toBe(200);
    expect((await viewer.request(FILE, { method: "HEAD" })).status).toBe(403);
  });

  it("records each change in the audit log, shown and exported to admins only", async () => {
    expect(audit("grant.add").map((e) => [e.actor, e.target])).toEqual([
      [ADMIN.email, "malaria"],
      [ADMIN.email, "malaria"],
      [ANALYST.email, "malaria"],
    ]);
    expect(JSON.parse(audit("grant.add")[0].detail)).toMatchObject({ user: ANALYST.email, locationPaths: [boPath] });
    expect(audit("grant.remove").map((e) => e.actor)).toEqual([ADMIN.email, ANALYST.email]);
    expect(audit("group.create").map((e) => e.target)).toEqual(["Kenema team"]);
    expect(JSON.parse(audit("group.rename")[0].detail)).toMatchObject({ from: "Kenema team", to: "Kenema officers" });
    expect(audit("group.member.add")).toHaveLength(1);
    expect(audit("group.member.remove")).toHaveLength(1);

    const page = await (await admin.request("/admin/audit?action=grant")).text();
    expect(page).toContain("<code>grant.add</code>");
    expect(page).toContain("<code>grant.remove</code>");
    expect(page).not.toContain("<code>group.create</code>");
    const csv = await admin.request(`/admin/audit.csv?action=group&actor=${encodeURIComponent(ADMIN.email)}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,at,actor,action,target,detail,ip");
    expect(lines.slice(1).map((l) => l.split(",")[3])).toEqual([
      "group.member.remove",
      "group.member.add",
      "group.rename",
      "group.create",
    ]);
    const none = await (await admin.request("/admin/audit.csv?from=2000-01-01&to=2000-01-02")).text();
    expect(none.trim()).toBe("id,at,actor,action,target,detail,ip");

    for (const who of [analyst, viewer]) {
      expect((await who.request("/admin/audit")).status).toBe(403);
      expect((await who.request("/admin/audit.csv")).status).toBe(403);
    }
    expect((await fetch(`${server.url}/admin/audit.csv`, { redirect: "manual" })).status).toBe(302);
  });
});

describe("slices swept when no reader can reach them, and revocation within seconds", () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  let admin: HttpClient;
  let analyst: HttpClient;
  let viewer: HttpClient;
  let sqlite: Database.Database;
  let path1 = { bo: "", kenema: "" };
  const slicesDir = path.join(dataDir, "datasets", "malaria", "slices");
  const idOf = (email: string) => (sqlite.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: string }).id;
  const slices = () =>
    readdirSync(slicesDir)
      .filter((n) => !n.startsWith(".tmp-"))
      .sort();
  /** The slice file name of `paths` in version `v`, as app/access names it. */
  const sliceOf = (v: number, paths: string[]) =>
    path.basename(sliceFilePath(path.join(dataDir, "datasets", "malaria", `v${v}.duckdb`), normalizeLocationPaths(paths)));
  const grantIds = (email: string) =>
    (sqlite.prepare("SELECT id FROM dataset_grants WHERE user_id = ?").all(idOf(email)) as { id: string }[]).map((g) => g.id);
  async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const signedIn = async (account: { email: string; password: string }) => {
    const client = new HttpClient(server.url);
    expect((await client.signIn(account.email, account.password)).status).toBe(302);
    return client;
  };

  beforeAll(async () => {
    const hierarchy = seedHierarchy(dataDir);
    path1 = {
      bo: hierarchy.find((l) => l.level === 2 && l.name === "Bo")?.path ?? "",
      kenema: hierarchy.find((l) => l.level === 2 && l.name === "Kenema")?.path ?? "",
    };
    const { specFile } = writeMalariaSpec(work, "malaria", 3);
    const { code, output } = await spawnPipeline(specFile, dataDir).done;
    expect(code, output).toBe(0);
    server = await startServer({ dataDir });
    sqlite = new Database(path.join(dataDir, "harmony.sqlite"), { readonly: true });
    admin = await signedIn(ADMIN);
    analyst = await signedIn(ANALYST);
    viewer = await signedIn(VIEWER);
  });
  afterAll(async () => {
    sqlite?.close();
    await server?.stop();
  });

  it("deletes the old slice once a grant changes and serves the new one; a live grant's slice survives", async () => {
    const grant = (email: string, location: string) =>
      admin.form("/datasets/malaria", { intent: "grant.add", grantee: `user:${idOf(email)}`, locations: location });
    expect((await grant(ANALYST.email, path1.bo)).status).toBe(200);
    expect((await grant(VIEWER.email, path1.kenema)).status).toBe(200);
    expect((await districtsIn(await (await analyst.request(FILE)).arrayBuffer(), "sweep-bo")).districts).toEqual(["Bo"]);
    expect((await districtsIn(await (await viewer.request(FILE)).arrayBuffer(), "sweep-k")).districts).toEqual(["Kenema"]);
    expect(slices()).toEqual([sliceOf(1, [path1.bo]), sliceOf(1, [path1.kenema])].sort());

    // The analyst's restriction becomes Bo + Kenema: the Bo slice is nobody's any more; the viewer's Kenema slice is.
    expect((await grant(ANALYST.email, path1.kenema)).status).toBe(200);
    const both = await districtsIn(await (await analyst.request(FILE)).arrayBuffer(), "sweep-bk");
    expect(both.districts).toEqual(["Bo", "Kenema"]);
    await until(() => !slices().includes(sliceOf(1, [path1.bo])), "the Bo slice to be swept");
    expect(slices()).toEqual([sliceOf(1, [path1.bo, path1.kenema]), sliceOf(1, [path1.kenema])].sort());
    // Still served from the surviving slices.
    expect((await districtsIn(await (await viewer.request(FILE)).arrayBuffer(), "sweep-k2")).districts).toEqual(["Kenema"]);
    expect((await analyst.request(FILE, { method: "HEAD" })).status).toBe(200);
  });

  it("deletes the slices of a replaced version once a new one is published, and at start-up", async () => {
    const refreshed = await admin.form("/datasets/malaria", {});
    const runId = /\/datasets\/runs\/([\w-]+)/.exec(refreshed.headers.get("location") ?? "")?.[1];
    expect(runId, `refresh answered ${refreshed.status}`).toBeTruthy();
    await until(() => {
      const row = sqlite.prepare("SELECT status FROM runs WHERE id = ?").get(runId) as { status: string };
      return row.status !== "running";
    }, "the refresh run");
    await until(() => slices().every((n) => !n.startsWith("v1-")), "the version 1 slices to be swept");
    // The new version's slice is built on the next request and kept.
    const v2 = await analyst.request("/datasets/malaria/v/2.duckdb");
    expect(v2.status).toBe(200);
    expect((await districtsIn(await v2.arrayBuffer(), "sweep-v2")).districts).toEqual(["Bo", "Kenema"]);
    expect(slices()).toEqual([sliceOf(2, [path1.bo, path1.kenema])]);

    // A slice left by a restriction nobody has is gone after a restart; the live one stays.
    await server.stop();
    const stray = sliceOf(2, [path1.bo]);
    copyFileSync(path.join(slicesDir, sliceOf(2, [path1.bo, path1.kenema])), path.join(slicesDir, stray));
    server = await startServer({ dataDir });
    expect(slices()).toEqual([sliceOf(2, [path1.bo, path1.kenema])]);
    analyst = await signedIn(ANALYST);
    viewer = await signedIn(VIEWER);
    admin = await signedIn(ADMIN);
  });

  it("removing a grant, disabling the user: the next download is refused", async () => {
    const file = "/datasets/malaria/v/2.duckdb";
    expect((await viewer.request(file, { method: "HEAD" })).status).toBe(200);
    for (const id of grantIds(VIEWER.email)) {
      expect((await admin.form("/datasets/malaria", { intent: "grant.remove", grantId: id })).status).toBe(200);
    }
    expect((await viewer.request(file, { headers: { Range: "bytes=0-99" } })).status).toBe(403);

    expect((await analyst.request(file, { headers: { Range: "bytes=0-99" } })).status).toBe(206);
    const disabled = await admin.form("/admin?index", { intent: "disable", userId: idOf(ANALYST.email), disabled: "true" });
    expect(disabled.status).toBe(200);
    expect((await analyst.request(file, { headers: { Range: "bytes=0-99" } })).status).toBe(401);
    await admin.form("/admin?index", { intent: "disable", userId: idOf(ANALYST.email), disabled: "false" });
  });

  it("removing a notebook role closes the open socket at once; leaving a group that held the role, within seconds", async () => {
    const owner = await signedIn(ANALYST);
    const created = await owner.form("/notebooks?index", { intent: "create", title: "Revoked" });
    const notebookId = /\/notebooks\/([\w-]+)$/.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    expect(notebookId).not.toBe("");
    const open = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/collab/${notebookId}`, {
        headers: { cookie: viewer.cookieHeader() },
      });
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("unexpected-response", (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      });
      const opened = Date.now();
      const closed = new Promise<{ code: number; afterMs: number }>((resolve) =>
        ws.once("close", (code) => resolve({ code, afterMs: Date.now() - opened })),
      );
      return { ws, closed };
    };
    const refused = () =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/collab/${notebookId}`, {
          headers: { cookie: viewer.cookieHeader() },
        });
        ws.once("open", () => {
          ws.close();
          resolve(101);
        });
        ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      });
    expect(await refused()).toBe(403);

    // A role of their own, removed through the share dialog's action.
    expect(
      (await owner.form(`/notebooks/${notebookId}/share`, { intent: "add-user", email: VIEWER.email, role: "viewer" })).status,
    ).toBe(200);
    const direct = await open();
    const memberId = (
      sqlite
        .prepare("SELECT id FROM notebook_members WHERE notebook_id = ? AND user_id = ?")
        .get(notebookId, idOf(VIEWER.email)) as {
        id: string;
      }
    ).id;
    expect((await owner.form(`/notebooks/${notebookId}/share`, { intent: "remove", memberId })).status).toBe(200);
    const first = await direct.closed;
    expect(first.code).toBe(4403);
    expect(await refused()).toBe(403);

    // A role through a group: leaving the group ends it, on the collab server's periodic re-check.
    expect((await admin.form("/admin/groups", { intent: "create", name: "Notebook readers" })).status).toBe(200);
    const groupId = (sqlite.prepare("SELECT id FROM groups WHERE name = 'Notebook readers'").get() as { id: string }).id;
    await admin.form("/admin/groups", { intent: "member.add", groupId, userId: idOf(VIEWER.email) });
    expect((await owner.form(`/notebooks/${notebookId}/share`, { intent: "add-group", groupId, role: "viewer" })).status).toBe(
      200,
    );
    const viaGroup = await open();
    await admin.form("/admin/groups", { intent: "member.remove", groupId, userId: idOf(VIEWER.email) });
    const second = await viaGroup.closed;
    expect(second.afterMs).toBeLessThan(12_000);
    expect(await refused()).toBe(403);
  }, 30_000);
});
