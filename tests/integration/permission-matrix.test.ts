/**
 * The permission matrix (issue 10): every route file in app/routes (its loader and each action intent that matters),
 * the routes server.ts serves itself and the co-editing websocket, against six actors, through the real server with
 * real requests and real websocket clients. Each cell names the outcome expected: a status, a redirect to sign-in, a
 * redirect elsewhere (allowed), an open socket, or whether a list shows a thing.
 *
 * A route file without a row, or a row naming a file that no longer exists, fails the test: new routes must be
 * decided here. Fixtures are made once: a dataset owned by the analyst and granted (restricted to Bo) to the group
 * "Readers", a notebook owned by the analyst (Readers read it, the second analyst edits it), a report visible to
 * Readers, and a group "Others" whose member may read none of it.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type * as Y from "yjs";
import { addCell, connectNotebook, findCell } from "../../collab/index.ts";
import { HttpClient } from "../helpers/http-client.ts";
import { publishMalaria, writeMalariaSpec } from "../helpers/pipeline.ts";
import { ADMIN, ANALYST, type RunningServer, repoRoot, startServer, tempDataDir, VIEWER } from "../helpers/server.ts";

/** Column order of every row below. */
const ACTORS = ["anonymous", "viewer", "otherGroup", "nonOwner", "owner", "admin"] as const;
type Actor = (typeof ACTORS)[number];

/**
 * A number is an exact status. "signin": redirected to sign-in. `{ to }`: redirected to a path starting with `to`
 * (an allowed action that moves on). "open": the websocket upgrade succeeded. "listed"/"unlisted": a 200 page that
 * shows / does not show the case's `listing` text. "signedOut": the session really ended.
 */
type Outcome = number | "signin" | "open" | "listed" | "unlisted" | "signedOut" | { to: string };
type Row = Record<Actor, Outcome>;

/** One row: anonymous, viewer, member of another group, analyst non-owner, analyst owner, admin. */
function e(anonymous: Outcome, viewer: Outcome, otherGroup: Outcome, nonOwner: Outcome, owner: Outcome, admin: Outcome): Row {
  return { anonymous, viewer, otherGroup, nonOwner, owner, admin };
}
const signedIn = (o: Outcome) => e("signin", o, o, o, o, o);
const adminOnly = (o: Outcome) => e("signin", 403, 403, 403, 403, o);
const everyone = (o: Outcome) => e(o, o, o, o, o, o);

interface Fixtures {
  server: RunningServer;
  clients: Record<Actor, HttpClient>;
  db: Database.Database;
  notebookId: string;
  scratchId: string;
  cellId: string;
  chartCellId: string;
  /** A library query of the owner's, visible to the group Readers. */
  queryId: string;
  historyVersionId: string;
  reportId: string;
  /** A report whose visibility is "link": its path and token. */
  linkReport: { path: string; token: string };
  runId: string;
  sourceId: string;
  uploadId: string;
  spareId: string;
  scratchGroupId: string;
  readersGroupId: string;
  asset: string;
  /** A pipeline spec of the malaria dataset, naming a CSV outside any upload. */
  malariaSpec: string;
  signIn(actor: Actor): Promise<HttpClient>;
}

interface Req {
  path: string;
  method?: string;
  form?: Record<string, string> | [string, string][];
  json?: unknown;
  multipart?: FormData;
  /** Another client of the same actor (e.g. a fresh session to sign out). */
  client?: HttpClient;
  /** A websocket upgrade instead of an HTTP request. */
  ws?: boolean;
}

interface Case {
  req: (fx: Fixtures, actor: Actor) => Req | Promise<Req>;
  expect: Row;
  /** Starts with the method ("GET …", "POST …"): the coverage check reads it. */
  what: string;
  /** Text a list page shows to some actors only: the 200 outcome becomes "listed" or "unlisted". */
  listing?: (fx: Fixtures) => string;
  /** Runs after an allowed request, e.g. waits for a pipeline run it started so the next one does not overlap. */
  settle?: (fx: Fixtures, res: Response) => Promise<void>;
  /** Replaces the outcome of a signed-in actor's response (see sign-out). */
  observe?: (fx: Fixtures, res: Response, req: Req) => Promise<Outcome | undefined>;
}

const get = (p: string | ((fx: Fixtures) => string)) => (fx: Fixtures) => ({ path: typeof p === "string" ? p : p(fx) });
const post =
  (p: string | ((fx: Fixtures) => string), form: (fx: Fixtures, actor: Actor) => Record<string, string> | [string, string][]) =>
  (fx: Fixtures, actor: Actor) => ({ path: typeof p === "string" ? p : p(fx), method: "POST", form: form(fx, actor) });

const waitForRun = async (fx: Fixtures, res: Response) => {
  const runId = /\/datasets\/runs\/([\w-]+)/.exec(res.headers.get("location") ?? "")?.[1];
  if (!runId) return;
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    const status = (await (await fx.clients.admin.request(`/datasets/runs/${runId}/status`)).json()) as { status: string };
    if (status.status !== "running") return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not finish in 30 s`);
};

const csvUpload = () => {
  const form = new FormData();
  form.append("file", new Blob(["Month,District,Cases\n2024-01,Bo,3\n"], { type: "text/csv" }), "matrix.csv");
  return form;
};

const publishForm = (fx: Fixtures): [string, string][] => [
  ["title", "Matrix report"],
  ["visibility", "groups"],
  ["group", fx.readersGroupId],
  ["cell", fx.cellId],
  [`width.${fx.cellId}`, "full"],
  [`order.${fx.cellId}`, "1"],
  ["cell", fx.chartCellId],
  [`width.${fx.chartCellId}`, "full"],
  [`order.${fx.chartCellId}`, "2"],
];

/** A one-time export ticket of the fixture's SQL cell, asked for by `client` (null when refused). */
async function exportTicket(fx: Fixtures, client: HttpClient): Promise<string | null> {
  const res = await client.request(`/notebooks/${fx.notebookId}/export-tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ cellId: fx.cellId, format: "csv", params: {} }),
  });
  if (res.status !== 201) return null;
  return ((await res.json()) as { url: string }).url;
}

const queryJson = (name: string, visibility: string, groupId?: string) => ({
  name,
  description: "",
  tags: ["matrix"],
  visibility,
  ...(groupId ? { groupId } : {}),
  sql: "SELECT 1 AS one",
  parameters: [],
  message: "first",
});

const CASES_SQL = "SELECT period_id, sum(value) AS cases FROM malaria.observations GROUP BY period_id ORDER BY period_id";

/** Every file in app/routes. Keys must be the file names exactly. */
const ROUTES: Record<string, Case[]> = {
  "$.tsx": [{ what: "GET an unknown path", req: get("/no/such/page"), expect: everyone(404) }],
  "_index.tsx": [{ what: "GET /", req: get("/"), expect: signedIn({ to: "/notebooks" }) }],
  "sign-in.tsx": [
    { what: "GET", req: get("/sign-in"), expect: e(200, { to: "/" }, { to: "/" }, { to: "/" }, { to: "/" }, { to: "/" }) },
    {
      what: "POST a wrong password",
      req: post("/sign-in", () => ({ email: "nobody@harmony.test", password: "wrong-password" })),
      // The signed-in are sent on by the page's loader, which runs after the action.
      expect: e(
        401,
        { to: "/notebooks" },
        { to: "/notebooks" },
        { to: "/notebooks" },
        { to: "/notebooks" },
        { to: "/notebooks" },
      ),
    },
  ],
  "sign-out.tsx": [
    { what: "GET", req: get("/sign-out"), expect: everyone({ to: "/" }) },
    {
      what: "POST (a fresh session of the actor)",
      req: async (fx, actor) => ({ path: "/sign-out", method: "POST", form: {}, client: await fx.signIn(actor) }),
      expect: signedIn("signedOut"),
      observe: async (_fx, res, req) => {
        if (res.headers.get("location") !== "/sign-in" || !req.client) return undefined;
        const after = await req.client.request("/notebooks");
        return after.headers.get("location")?.startsWith("/sign-in") ? "signedOut" : after.status;
      },
    },
  ],
  "language.tsx": [
    { what: "GET", req: get("/language"), expect: everyone({ to: "/" }) },
    { what: "POST", req: post("/language", () => ({ language: "en", returnTo: "/" })), expect: everyone({ to: "/" }) },
  ],
  "_app.tsx": [{ what: "GET (layout loader)", req: get("/queries.data?_routes=routes%2F_app"), expect: signedIn(200) }],
  "_app.queries._index.tsx": [{ what: "GET", req: get("/queries"), expect: signedIn(200) }],

  "_app.admin.tsx": [
    { what: "GET (layout loader)", req: get("/admin.data?_routes=routes%2F_app.admin"), expect: adminOnly(200) },
  ],
  "_app.admin._index.tsx": [
    { what: "GET", req: get("/admin"), expect: adminOnly(200) },
    {
      what: "POST create",
      req: post("/admin?index", (_fx, a) => ({ intent: "create", email: `new-${a}@harmony.test`, name: a, role: "viewer" })),
      expect: adminOnly(200),
    },
    {
      what: "POST role",
      req: post("/admin?index", (fx) => ({ intent: "role", userId: fx.spareId, role: "viewer" })),
      expect: adminOnly(200),
    },
    {
      what: "POST disable",
      req: post("/admin?index", (fx) => ({ intent: "disable", userId: fx.spareId, disabled: "false" })),
      expect: adminOnly(200),
    },
    { what: "POST reset", req: post("/admin?index", (fx) => ({ intent: "reset", userId: fx.spareId })), expect: adminOnly(200) },
  ],
  "_app.admin.audit.tsx": [{ what: "GET", req: get("/admin/audit"), expect: adminOnly(200) }],
  "admin.audit[.]csv.ts": [{ what: "GET", req: get("/admin/audit.csv"), expect: adminOnly(200) }],
  "_app.admin.groups.tsx": [
    { what: "GET", req: get("/admin/groups"), expect: adminOnly(200) },
    {
      what: "POST create",
      req: post("/admin/groups", (_fx, a) => ({ intent: "create", name: `Group of ${a}` })),
      expect: adminOnly(200),
    },
    {
      what: "POST rename",
      req: post("/admin/groups", (fx, a) => ({ intent: "rename", groupId: fx.scratchGroupId, name: `Scratch ${a}` })),
      expect: adminOnly(200),
    },
    {
      what: "POST member.add",
      req: post("/admin/groups", (fx) => ({ intent: "member.add", groupId: fx.scratchGroupId, userId: fx.spareId })),
      expect: adminOnly(200),
    },
    {
      what: "POST member.remove",
      req: post("/admin/groups", (fx) => ({ intent: "member.remove", groupId: fx.scratchGroupId, userId: fx.spareId })),
      expect: adminOnly(200),
    },
  ],

  "_app.datasets._index.tsx": [
    {
      what: "GET lists readable datasets only",
      req: get("/datasets"),
      listing: () => 'href="/datasets/malaria"',
      expect: e("signin", "listed", "unlisted", "listed", "listed", "listed"),
    },
  ],
  "_app.datasets.$slug.tsx": [
    { what: "GET", req: get("/datasets/malaria"), expect: e("signin", 200, 404, 200, 200, 200) },
    {
      what: "GET shows run reports to unrestricted readers only",
      req: get("/datasets/malaria"),
      listing: () => 'href="/datasets/runs/',
      expect: e("signin", "unlisted", 404, "unlisted", "listed", "listed"),
    },
    {
      what: "POST grant.add",
      req: post("/datasets/malaria", (fx) => ({ intent: "grant.add", grantee: `user:${fx.spareId}` })),
      expect: e("signin", 403, 404, 403, 200, 200),
    },
    {
      what: "POST grant.remove",
      req: async (fx) => {
        await fx.clients.admin.form("/datasets/malaria", { intent: "grant.add", grantee: `user:${fx.spareId}` });
        const { id } = fx.db
          .prepare("SELECT id FROM dataset_grants WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1")
          .get(fx.spareId) as { id: string };
        return { path: "/datasets/malaria", method: "POST", form: { intent: "grant.remove", grantId: id } };
      },
      expect: e("signin", 403, 404, 403, 200, 200),
    },
    {
      what: "POST refresh",
      req: post("/datasets/malaria", () => ({ intent: "refresh" })),
      // A run report covers every location: readers restricted to Bo may not start one (nor read one).
      expect: e("signin", 403, 404, 403, { to: "/datasets/runs/" }, { to: "/datasets/runs/" }),
      settle: waitForRun,
    },
  ],
  "datasets.$slug.grant-locations[.]json.ts": [
    {
      what: "GET the grant picker's search",
      req: get("/datasets/malaria/grant-locations.json?q=bo"),
      expect: e("signin", 403, 404, 403, 200, 200),
    },
  ],
  "datasets.$slug.export.adx.ts": [
    { what: "GET", req: get("/datasets/malaria/export/adx"), expect: e("signin", 200, 404, 200, 200, 200) },
  ],
  "_app.datasets.locations.tsx": [
    { what: "GET", req: get("/datasets/locations"), expect: signedIn(200) },
    {
      // A hierarchy exists (the fixtures' grants use it): replacing it is for admins only (app/access/hierarchy-policy.ts).
      what: "POST an import without a file",
      req: () => ({ path: "/datasets/locations", method: "POST", multipart: new FormData() }),
      expect: adminOnly(400),
    },
  ],
  "_app.datasets.new._index.tsx": [
    { what: "GET", req: get("/datasets/new"), expect: e("signin", 403, 200, 200, 200, 200) },
    {
      what: "POST an upload",
      req: () => ({ path: "/datasets/new?index", method: "POST", multipart: csvUpload() }),
      expect: e(
        "signin",
        403,
        { to: "/datasets/new/" },
        { to: "/datasets/new/" },
        { to: "/datasets/new/" },
        { to: "/datasets/new/" },
      ),
    },
  ],
  "_app.datasets.new.$uploadId.tsx": [
    {
      what: "GET the owner's upload",
      req: get((fx) => `/datasets/new/${fx.uploadId}`),
      expect: e("signin", 403, 404, 404, 200, 404),
    },
    {
      what: "POST publish of a spec naming another file",
      req: post(
        (fx) => `/datasets/new/${fx.uploadId}`,
        (fx) => ({ intent: "publish", spec: readFileSync(fx.malariaSpec, "utf8") }),
      ),
      expect: e("signin", 403, 404, 404, 400, 404),
    },
  ],
  "_app.datasets.runs.$runId.tsx": [
    { what: "GET", req: get((fx) => `/datasets/runs/${fx.runId}`), expect: e("signin", 404, 404, 404, 200, 200) },
    {
      what: "POST cancel",
      req: post(
        (fx) => `/datasets/runs/${fx.runId}`,
        () => ({}),
      ),
      expect: e("signin", 403, 404, 404, { to: "/datasets/runs/" }, { to: "/datasets/runs/" }),
    },
  ],
  "datasets.runs.$runId.status.ts": [
    { what: "GET", req: get((fx) => `/datasets/runs/${fx.runId}/status`), expect: e("signin", 404, 404, 404, 200, 200) },
  ],
  "_app.datasets.sources.tsx": [
    {
      what: "GET lists sources of datasets read in full only",
      req: get("/datasets/sources"),
      listing: () => "malaria",
      expect: e("signin", "unlisted", "unlisted", "unlisted", "listed", "listed"),
    },
    {
      what: "POST refresh",
      req: post("/datasets/sources", (fx) => ({ sourceId: fx.sourceId })),
      expect: e("signin", 403, 404, 404, { to: "/datasets/runs/" }, { to: "/datasets/runs/" }),
      settle: waitForRun,
    },
  ],
  "_app.datasets.dhis2.tsx": [
    { what: "GET", req: get("/datasets/dhis2"), expect: e("signin", 403, 200, 200, 200, 200) },
    {
      what: "POST test (unreachable server)",
      req: post("/datasets/dhis2", () => ({ intent: "test", baseUrl: "http://127.0.0.1:9", auth: "token", token: "x" })),
      // Allowed: the connection error comes back as a 400 with its message.
      expect: e("signin", 403, 400, 400, 400, 400),
    },
    {
      what: "POST run (an incomplete form)",
      req: post("/datasets/dhis2", () => ({ intent: "run", baseUrl: "http://127.0.0.1:9" })),
      // Allowed: the form's first problem comes back as a 400.
      expect: e("signin", 403, 400, 400, 400, 400),
    },
  ],

  "_app.notebooks._index.tsx": [
    {
      what: "GET lists shared notebooks only",
      req: get("/notebooks"),
      listing: (fx) => `/notebooks/${fx.notebookId}`,
      expect: e("signin", "listed", "unlisted", "listed", "listed", "listed"),
    },
    {
      what: "POST create",
      req: post("/notebooks?index", () => ({ intent: "create", title: "Matrix scratch" })),
      expect: e("signin", 403, { to: "/notebooks/" }, { to: "/notebooks/" }, { to: "/notebooks/" }, { to: "/notebooks/" }),
    },
  ],
  "_app.notebooks.$id.tsx": [
    { what: "GET", req: get((fx) => `/notebooks/${fx.notebookId}`), expect: e("signin", 200, 403, 200, 200, 200) },
    {
      what: "POST rename",
      req: post(
        (fx) => `/notebooks/${fx.notebookId}`,
        (fx) => ({ intent: "rename", id: fx.notebookId, title: "Matrix notebook" }),
      ),
      expect: e("signin", 403, 403, { to: "/notebooks/" }, { to: "/notebooks/" }, { to: "/notebooks/" }),
    },
    {
      what: "POST duplicate",
      req: post(
        (fx) => `/notebooks/${fx.notebookId}`,
        (fx) => ({ intent: "duplicate", id: fx.notebookId }),
      ),
      expect: e("signin", 403, 403, { to: "/notebooks/" }, { to: "/notebooks/" }, { to: "/notebooks/" }),
    },
    {
      what: "POST archive",
      req: post(
        (fx) => `/notebooks/${fx.scratchId}`,
        (fx) => ({ intent: "archive", id: fx.scratchId }),
      ),
      expect: e("signin", 403, 403, 403, { to: "/notebooks/" }, { to: "/notebooks/" }),
    },
    {
      what: "POST unarchive",
      req: post(
        (fx) => `/notebooks/${fx.scratchId}`,
        (fx) => ({ intent: "unarchive", id: fx.scratchId }),
      ),
      expect: e("signin", 403, 403, 403, { to: "/notebooks/" }, { to: "/notebooks/" }),
    },
  ],
  "_app.notebooks.$id.publish.tsx": [
    { what: "GET", req: get((fx) => `/notebooks/${fx.notebookId}/publish`), expect: e("signin", 403, 403, 200, 200, 200) },
    {
      what: "POST publish",
      req: post((fx) => `/notebooks/${fx.notebookId}/publish`, publishForm),
      expect: e("signin", 403, 403, { to: "/r/" }, { to: "/r/" }, { to: "/r/" }),
    },
  ],
  "_app.notebooks.$id.history.tsx": [
    { what: "GET", req: get((fx) => `/notebooks/${fx.notebookId}/history`), expect: e("signin", 200, 403, 200, 200, 200) },
    {
      what: "POST save",
      req: post(
        (fx) => `/notebooks/${fx.notebookId}/history`,
        (_fx, a) => ({ intent: "save", name: `by ${a}` }),
      ),
      expect: e("signin", 403, 403, 200, 200, 200),
    },
    {
      what: "POST restore",
      req: post(
        (fx) => `/notebooks/${fx.notebookId}/history`,
        (fx) => ({ intent: "restore", versionId: fx.historyVersionId }),
      ),
      expect: e("signin", 403, 403, { to: "/notebooks/" }, { to: "/notebooks/" }, { to: "/notebooks/" }),
    },
  ],
  "_app.notebooks.$id.history.$versionId.tsx": [
    {
      what: "GET",
      req: get((fx) => `/notebooks/${fx.notebookId}/history/${fx.historyVersionId}`),
      expect: e("signin", 200, 403, 200, 200, 200),
    },
  ],
  "_app.notebooks.$id.share.tsx": [
    { what: "GET", req: get((fx) => `/notebooks/${fx.notebookId}/share`), expect: e("signin", 403, 403, 403, 200, 200) },
    {
      what: "POST add-user",
      req: post(
        (fx) => `/notebooks/${fx.notebookId}/share`,
        () => ({ intent: "add-user", email: "spare@harmony.test", role: "viewer" }),
      ),
      expect: e("signin", 403, 403, 403, 200, 200),
    },
    {
      what: "POST add-group",
      req: post(
        (fx) => `/notebooks/${fx.notebookId}/share`,
        (fx) => ({ intent: "add-group", groupId: fx.readersGroupId, role: "viewer" }),
      ),
      expect: e("signin", 403, 403, 403, 200, 200),
    },
    {
      what: "POST role",
      req: async (fx) => ({
        path: `/notebooks/${fx.notebookId}/share`,
        method: "POST",
        form: { intent: "role", memberId: await spareMembership(fx), role: "viewer" },
      }),
      expect: e("signin", 403, 403, 403, 200, 200),
    },
    {
      what: "POST remove",
      req: async (fx) => ({
        path: `/notebooks/${fx.notebookId}/share`,
        method: "POST",
        form: { intent: "remove", memberId: await spareMembership(fx) },
      }),
      expect: e("signin", 403, 403, 403, 200, 200),
    },
  ],
  "notebooks.$id.export.ts": [
    { what: "GET", req: get((fx) => `/notebooks/${fx.notebookId}/export`), expect: e("signin", 405, 403, 405, 405, 405) },
    {
      what: "POST a CSV export",
      req: (fx) => ({
        path: `/notebooks/${fx.notebookId}/export`,
        method: "POST",
        json: { cell: "cases", sql: CASES_SQL, datasets: ["malaria"], format: "csv" },
      }),
      expect: e("signin", 200, 403, 200, 200, 200),
    },
  ],
  "notebooks.$id.export-log.ts": [
    { what: "GET", req: get((fx) => `/notebooks/${fx.notebookId}/export-log`), expect: e("signin", 405, 403, 405, 405, 405) },
    {
      what: "POST a record",
      req: (fx) => ({
        path: `/notebooks/${fx.notebookId}/export-log`,
        method: "POST",
        json: { cell: "cases", format: "csv", rows: 3 },
      }),
      expect: e("signin", 204, 403, 204, 204, 204),
    },
  ],

  "notebooks.$id.export-tickets.ts": [
    { what: "GET", req: get((fx) => `/notebooks/${fx.notebookId}/export-tickets`), expect: e("signin", 405, 403, 405, 405, 405) },
    {
      what: "POST a ticket request",
      req: (fx) => ({
        path: `/notebooks/${fx.notebookId}/export-tickets`,
        method: "POST",
        json: { cellId: fx.cellId, format: "csv", params: {} },
      }),
      expect: e("signin", 201, 403, 201, 201, 201),
    },
  ],
  "locations.geometry[.]json.ts": [
    // Workspace metadata (names and shapes), not dataset rows: every signed-in user; a script gets 401, not a redirect.
    { what: "GET a level's boundaries", req: get("/locations/geometry.json?level=2"), expect: e(401, 200, 200, 200, 200, 200) },
  ],

  "_app.queries.new.tsx": [
    { what: "GET", req: get("/queries/new"), expect: e("signin", 403, 200, 200, 200, 200) },
    {
      what: "POST create",
      req: post("/queries/new", (_fx, a) => ({ name: `Query of ${a}`, visibility: "private", sql: "SELECT 2 AS two", tags: "" })),
      expect: e("signin", 403, { to: "/queries/" }, { to: "/queries/" }, { to: "/queries/" }, { to: "/queries/" }),
    },
  ],
  "_app.queries.$id.tsx": [
    { what: "GET", req: get((fx) => `/queries/${fx.queryId}`), expect: e("signin", 200, 404, 200, 200, 200) },
    {
      what: "POST edit",
      req: post(
        (fx) => `/queries/${fx.queryId}`,
        (fx) => ({ intent: "edit", name: "Matrix query", visibility: "group", groupId: fx.readersGroupId, tags: "matrix" }),
      ),
      expect: e("signin", 403, 404, 403, 200, 200),
    },
    {
      what: "POST version",
      req: post(
        (fx) => `/queries/${fx.queryId}`,
        () => ({ intent: "version", sql: "SELECT 1 AS one", message: "again" }),
      ),
      expect: e("signin", 403, 404, 403, 200, 200),
    },
    {
      what: "POST certify",
      req: post(
        (fx) => `/queries/${fx.queryId}`,
        () => ({ intent: "certify", version: "1" }),
      ),
      expect: e("signin", 403, 404, 403, 403, 200),
    },
    {
      what: "POST uncertify",
      req: post(
        (fx) => `/queries/${fx.queryId}`,
        () => ({ intent: "uncertify" }),
      ),
      expect: e("signin", 403, 404, 403, 403, 200),
    },
    {
      what: "POST unarchive",
      req: post(
        (fx) => `/queries/${fx.queryId}`,
        () => ({ intent: "unarchive" }),
      ),
      expect: e("signin", 403, 404, 403, 200, 200),
    },
    {
      what: "POST delete (a query of the owner's made for each request)",
      req: async (fx) => {
        const made = await fx.clients.owner.request("/queries/new.json", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(queryJson("Doomed", "group", fx.readersGroupId)),
        });
        const { id } = (await made.json()) as { id: string };
        return { path: `/queries/${id}`, method: "POST", form: { intent: "delete" } };
      },
      expect: e("signin", 403, 404, 403, { to: "/queries" }, { to: "/queries" }),
    },
  ],
  "queries.new[.]json.ts": [
    { what: "GET", req: get("/queries/new.json"), expect: e(401, 405, 405, 405, 405, 405) },
    {
      what: "POST create",
      req: (_fx, a) => ({ path: "/queries/new.json", method: "POST", json: queryJson(`JSON query of ${a}`, "private") }),
      expect: e(401, 403, 201, 201, 201, 201),
    },
  ],
  "queries.search[.]json.ts": [
    {
      what: "GET lists visible queries only",
      req: get("/queries/search.json?q=matrix"),
      listing: (fx) => fx.queryId,
      expect: e(401, "listed", "unlisted", "listed", "listed", "listed"),
    },
  ],
  "queries.my-groups[.]json.ts": [{ what: "GET", req: get("/queries/my-groups.json"), expect: e(401, 200, 200, 200, 200, 200) }],
  "queries.$id.summary[.]json.ts": [
    { what: "GET", req: get((fx) => `/queries/${fx.queryId}/summary.json`), expect: e(401, 200, 404, 200, 200, 200) },
  ],
  "queries.$id.v.$version[.]json.ts": [
    { what: "GET", req: get((fx) => `/queries/${fx.queryId}/v/1.json`), expect: e(401, 200, 404, 200, 200, 200) },
  ],
  "queries.$id.versions[.]json.ts": [
    { what: "GET", req: get((fx) => `/queries/${fx.queryId}/versions.json`), expect: e(401, 200, 404, 200, 200, 200) },
    {
      what: "POST a version",
      req: (fx) => ({
        path: `/queries/${fx.queryId}/versions.json`,
        method: "POST",
        json: { sql: "SELECT 1 AS one", parameters: [], message: "json" },
      }),
      expect: e(401, 403, 404, 403, 201, 201),
    },
  ],

  "_app.reports._index.tsx": [
    {
      what: "GET lists visible reports only",
      req: get("/reports"),
      listing: (fx) => `/r/${fx.reportId}`,
      expect: e("signin", "listed", "unlisted", "listed", "listed", "listed"),
    },
  ],
  "r.$reportId.tsx": [
    { what: "GET", req: get((fx) => `/r/${fx.reportId}`), expect: e("signin", 200, 403, 200, 200, 200) },
    {
      what: "GET a link-only report with its token",
      req: get((fx) => `${fx.linkReport.path}?token=${fx.linkReport.token}`),
      expect: everyone(200),
    },
    {
      what: "GET a link-only report without its token",
      req: get((fx) => fx.linkReport.path),
      expect: e("signin", 403, 403, 403, 200, 200),
    },
    {
      what: "GET a link-only report with a wrong token",
      req: get((fx) => `${fx.linkReport.path}?token=${"x".repeat(fx.linkReport.token.length)}`),
      expect: e("signin", 403, 403, 403, 200, 200),
    },
  ],
  "r.$reportId_.v.$version.tsx": [
    { what: "GET", req: get((fx) => `/r/${fx.reportId}/v/1`), expect: e("signin", 200, 403, 200, 200, 200) },
  ],
  "r.$reportId_.tile.$tileId[.]json.ts": [
    // A script asks: anonymous gets 401 rather than a sign-in page.
    { what: "GET the chart tile", req: get((fx) => `/r/${fx.reportId}/tile/t2.json`), expect: e(401, 200, 403, 200, 200, 200) },
  ],
  "r.$reportId_.tile.$tileId[.]csv.ts": [
    { what: "GET", req: get((fx) => `/r/${fx.reportId}/tile/t1.csv`), expect: e("signin", 200, 403, 200, 200, 200) },
    {
      what: "GET a link-only report's tile with its token",
      req: get((fx) => `${fx.linkReport.path}/tile/t1.csv?token=${fx.linkReport.token}`),
      expect: everyone(200),
    },
  ],
};

/** What server.ts serves itself, outside app/routes. */
const SERVER: Record<string, Case[]> = {
  "GET /healthz": [{ what: "GET", req: get("/healthz"), expect: everyone(200) }],
  "GET static assets": [{ what: "GET", req: get((fx) => fx.asset), expect: everyone(200) }],
  "GET /datasets/:slug/v/:version.duckdb": [
    { what: "GET", req: get("/datasets/malaria/v/1.duckdb"), expect: e(401, 200, 403, 200, 200, 200) },
    {
      what: "HEAD",
      req: () => ({ path: "/datasets/malaria/v/1.duckdb", method: "HEAD" }),
      expect: e(401, 200, 403, 200, 200, 200),
    },
  ],
  "GET /notebooks/:id/export/:ticket": [
    {
      what: "GET with a ticket of one's own",
      req: async (fx, actor) => {
        const own = actor === "anonymous" ? null : await exportTicket(fx, fx.clients[actor]);
        return { path: own ?? (await exportTicket(fx, fx.clients.owner)) ?? "/no-ticket" };
      },
      expect: e(401, 200, 403, 200, 200, 200),
    },
    {
      what: "GET with the owner's ticket (bound to the owner's session)",
      req: async (fx) => ({ path: (await exportTicket(fx, fx.clients.owner)) ?? "/no-ticket" }),
      expect: e(401, 404, 403, 404, 200, 404),
    },
  ],
  "WS /collab/:notebookId": [
    {
      what: "upgrade",
      req: (fx) => ({ path: `/collab/${fx.notebookId}`, ws: true }),
      expect: e(401, "open", 403, "open", "open", "open"),
    },
  ],
  "WS other paths": [{ what: "upgrade", req: () => ({ path: "/elsewhere", ws: true }), expect: everyone(404) }],
};

async function spareMembership(fx: Fixtures): Promise<string> {
  await fx.clients.owner.form(`/notebooks/${fx.notebookId}/share`, {
    intent: "add-user",
    email: "spare@harmony.test",
    role: "viewer",
  });
  const row = fx.db
    .prepare("SELECT id FROM notebook_members WHERE notebook_id = ? AND user_id = ?")
    .get(fx.notebookId, fx.spareId) as { id: string } | undefined;
  if (!row) throw new Error("the spare user's notebook membership was not created");
  return row.id;
}

function upgrade(url: string, cookie: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, cookie ? { headers: { cookie } } : {});
    ws.once("open", () => {
      ws.close();
      resolve("open");
    });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once("error", reject);
  });
}

async function perform(fx: Fixtures, actor: Actor, c: Case): Promise<Outcome> {
  const req = await c.req(fx, actor);
  const client = req.client ?? fx.clients[actor];
  if (req.ws) return upgrade(`ws://127.0.0.1:${fx.server.port}${req.path}`, client.cookieHeader());
  const init: RequestInit = { method: req.method ?? "GET" };
  if (req.form) init.body = new URLSearchParams(req.form);
  if (req.multipart) init.body = req.multipart;
  if (req.json !== undefined) {
    init.body = JSON.stringify(req.json);
    init.headers = { "Content-Type": "application/json" };
  }
  const res = await client.request(req.path, init);
  const location = res.headers.get("location") ?? res.headers.get("x-remix-redirect");
  let outcome: Outcome = res.status;
  if (location && (res.status === 204 || (res.status >= 300 && res.status < 400))) {
    outcome = location.startsWith("/sign-in") ? "signin" : { to: location };
  } else if (res.status === 202 && req.path.includes(".data")) {
    // Single fetch answers a loader's redirect with 202 and the target in its turbo-stream body.
    const target = /"(\/[^"]*)"/.exec(await res.clone().text())?.[1] ?? "?";
    outcome = target.startsWith("/sign-in") ? "signin" : { to: target };
  }
  if (actor !== "anonymous" && c.observe) outcome = (await c.observe(fx, res, req)) ?? outcome;
  if (c.listing && res.status === 200) outcome = (await res.text()).includes(c.listing(fx)) ? "listed" : "unlisted";
  else await res.body?.cancel();
  if (typeof outcome !== "number" && c.settle) await c.settle(fx, res);
  return outcome;
}

function matches(expected: Outcome, actual: Outcome): boolean {
  if (typeof expected === "object") return typeof actual === "object" && actual.to.startsWith(expected.to);
  return expected === actual;
}

const show = (o: Outcome) => (typeof o === "object" ? `→${o.to}` : String(o));

describe("permission matrix: every route × every actor", () => {
  const dataDir = tempDataDir("harmony-matrix-");
  const work = mkdtempSync(path.join(tmpdir(), "harmony-matrix-work-"));
  let fx: Fixtures;

  beforeAll(async () => {
    await publishMalaria(dataDir, work);
    const { specFile: malariaSpec } = writeMalariaSpec(work, "malaria", 3);
    const server = await startServer({ dataDir });
    const signIn = async (email: string, password: string) => {
      const client = new HttpClient(server.url);
      const res = await client.signIn(email, password);
      if (res.status !== 302) throw new Error(`sign-in of ${email} answered ${res.status}`);
      return client;
    };
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const passwords: Record<string, string> = {};
    for (const [email, role] of [
      ["nonowner@harmony.test", "analyst"],
      ["other@harmony.test", "analyst"],
      ["spare@harmony.test", "viewer"],
    ]) {
      const res = await admin.form("/admin?index", { intent: "create", email, name: email, role });
      const password = /data-testid="new-password">([^<]+)</.exec(await res.text())?.[1];
      if (res.status !== 200 || !password) throw new Error(`creating ${email} answered ${res.status}`);
      passwords[email] = password;
    }
    const accounts: Record<Actor, { email: string; password: string } | null> = {
      anonymous: null,
      viewer: VIEWER,
      otherGroup: { email: "other@harmony.test", password: passwords["other@harmony.test"] },
      nonOwner: { email: "nonowner@harmony.test", password: passwords["nonowner@harmony.test"] },
      owner: ANALYST,
      admin: ADMIN,
    };
    const clients = {} as Record<Actor, HttpClient>;
    for (const actor of ACTORS) {
      const account = accounts[actor];
      clients[actor] = account ? await signIn(account.email, account.password) : new HttpClient(server.url);
    }
    const db = new Database(path.join(dataDir, "harmony.sqlite"));
    const idOf = (email: string) => (db.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: string }).id;
    const groupId = async (name: string, members: string[]) => {
      expect((await admin.form("/admin/groups", { intent: "create", name })).status).toBe(200);
      const id = (db.prepare("SELECT id FROM groups WHERE name = ?").get(name) as { id: string }).id;
      for (const email of members) {
        expect((await admin.form("/admin/groups", { intent: "member.add", groupId: id, userId: idOf(email) })).status).toBe(200);
      }
      return id;
    };
    // The owner belongs too: a library query can be shared only with a group of one's own.
    const readersGroupId = await groupId("Readers", [VIEWER.email, "nonowner@harmony.test", ANALYST.email]);
    await groupId("Others", ["other@harmony.test"]);
    const scratchGroupId = await groupId("Scratch", []);

    // The analyst owns the dataset; Readers may read Bo's rows.
    db.prepare("UPDATE datasets SET owner_id = ? WHERE slug = 'malaria'").run(idOf(ANALYST.email));
    const bo = db.prepare("SELECT path FROM locations WHERE level = 2 AND name = 'Bo'").get() as { path: string };
    const granted = await admin.form("/datasets/malaria", {
      intent: "grant.add",
      grantee: `group:${readersGroupId}`,
      locations: bo.path,
    });
    expect(granted.status).toBe(200);

    const owner = clients.owner;
    const created = async (title: string) => {
      const res = await owner.form("/notebooks?index", { intent: "create", title });
      const id = /\/notebooks\/([\w-]+)$/.exec(res.headers.get("location") ?? "")?.[1];
      if (!id) throw new Error(`creating notebook ${title} answered ${res.status}`);
      for (const form of [
        { intent: "add-group", groupId: readersGroupId, role: "viewer" },
        { intent: "add-user", email: "nonowner@harmony.test", role: "editor" },
      ] as Record<string, string>[]) {
        expect((await owner.form(`/notebooks/${id}/share`, form)).status).toBe(200);
      }
      return id;
    };
    const notebookId = await created("Matrix notebook");
    const scratchId = await created("Matrix scratch");

    const cookie = owner.cookieHeader();
    const open = async (id: string) => {
      const conn = connectNotebook({
        serverUrl: `ws://127.0.0.1:${server.port}/collab`,
        notebookId: id,
        WebSocketPolyfill: class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers: { cookie } });
          }
        },
        disableBc: true,
        offlineStore: false,
      });
      const end = Date.now() + 10_000;
      while (!conn.provider.synced) {
        if (Date.now() > end) throw new Error(`notebook ${id} did not sync in 10 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return conn;
    };
    const conn = await open(notebookId);
    let cellId = "";
    let chartCellId = "";
    try {
      cellId = addCell(conn.doc, 9, { kind: "sql", name: "cases", source: CASES_SQL });
      chartCellId = addCell(conn.doc, 9, { kind: "chart", name: "trend" });
      conn.doc.transact(() => {
        const config = findCell(conn.doc, chartCellId)?.get("config") as Y.Map<unknown>;
        config.set("source", "cases");
        config.set("chart", {
          mark: "bar",
          x: { field: "period_id", type: "ordinal" },
          y: { field: "cases", type: "quantitative" },
        });
      });
      await conn.whenSaved();
    } finally {
      conn.destroy();
    }
    // The version saved below must hold both cells (the restore case brings it back before the publish case runs).
    const end = Date.now() + 10_000;
    while (!(await (await owner.request(`/notebooks/${notebookId}/publish`)).text()).includes(chartCellId)) {
      if (Date.now() > end) throw new Error("the chart cell did not reach the server in 10 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await owner.form(`/notebooks/${notebookId}/history`, { intent: "save", name: "fixture" })).status).toBe(200);
    const historyVersionId = (
      db.prepare("SELECT id FROM notebook_versions WHERE notebook_id = ? AND name = 'fixture'").get(notebookId) as { id: string }
    ).id;

    const fxPartial = { readersGroupId, cellId, chartCellId } as Fixtures;
    const published = await owner.request(`/notebooks/${notebookId}/publish`, {
      method: "POST",
      body: new URLSearchParams(publishForm(fxPartial)),
    });
    const reportId = /^\/r\/([\w-]+)/.exec(published.headers.get("location") ?? "")?.[1];
    if (!reportId) throw new Error(`publishing answered ${published.status}: ${await published.text()}`);

    // A link-only report (from the scratch notebook): anyone with its token reads it, signed in or not.
    const scratch = await open(scratchId);
    let linkCellId = "";
    try {
      linkCellId = addCell(scratch.doc, 9, { kind: "sql", name: "one", source: "SELECT 1 AS one" });
      await scratch.whenSaved();
    } finally {
      scratch.destroy();
    }
    const linkPublished = await owner.request(`/notebooks/${scratchId}/publish`, {
      method: "POST",
      body: new URLSearchParams([
        ["title", "Matrix link report"],
        ["visibility", "link"],
        ["cell", linkCellId],
        [`width.${linkCellId}`, "full"],
        [`order.${linkCellId}`, "1"],
      ]),
    });
    const linkReport = /^(\/r\/[\w-]+)\?token=([^&]+)/.exec(linkPublished.headers.get("location") ?? "");
    if (!linkReport) throw new Error(`publishing the link report answered ${linkPublished.status}`);

    const uploaded = await owner.request("/datasets/new?index", { method: "POST", body: csvUpload() });
    const uploadId = /\/datasets\/new\/([\w-]+)$/.exec(uploaded.headers.get("location") ?? "")?.[1];
    if (!uploadId) throw new Error(`uploading answered ${uploaded.status}`);

    const savedQuery = await owner.request("/queries/new.json", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(queryJson("Matrix query", "group", readersGroupId)),
    });
    if (savedQuery.status !== 201) throw new Error(`saving a query answered ${savedQuery.status}: ${await savedQuery.text()}`);
    const queryId = ((await savedQuery.json()) as { id: string }).id;

    const buildDir = path.join(repoRoot, process.env.HARMONY_BUILD_DIR || "build", "client/assets");
    fx = {
      server,
      clients,
      db,
      notebookId,
      scratchId,
      cellId,
      chartCellId,
      queryId,
      historyVersionId,
      reportId,
      linkReport: { path: linkReport[1], token: linkReport[2] },
      runId: (db.prepare("SELECT id FROM runs ORDER BY started_at LIMIT 1").get() as { id: string }).id,
      sourceId: (db.prepare("SELECT id FROM sources LIMIT 1").get() as { id: string }).id,
      uploadId,
      malariaSpec,
      spareId: idOf("spare@harmony.test"),
      scratchGroupId,
      readersGroupId,
      asset: `/assets/${readdirSync(buildDir).find((f) => f.endsWith(".js"))}`,
      signIn: async (actor) => {
        const account = accounts[actor];
        return account ? signIn(account.email, account.password) : new HttpClient(server.url);
      },
    };
  }, 120_000);

  afterAll(async () => {
    fx?.db.close();
    await fx?.server.stop();
  });

  it("has a row for every route file in app/routes, and no row for a file that is gone", () => {
    const files = readdirSync(path.join(repoRoot, "app/routes")).filter((f) => /\.(tsx?|jsx?)$/.test(f));
    const missing = files.filter((f) => !(f in ROUTES));
    const stale = Object.keys(ROUTES).filter((f) => !files.includes(f));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    // A file with an action needs at least one non-GET case, one with a loader at least one GET case.
    const uncovered = files.flatMap((f) => {
      const source = readFileSync(path.join(repoRoot, "app/routes", f), "utf8");
      const whats = (ROUTES[f] ?? []).map((c) => c.what);
      const gaps: string[] = [];
      if (
        /export (async )?function action|export const action/.test(source) &&
        !whats.some((w) => /^(POST|PUT|PATCH|DELETE)\b/.test(w))
      )
        gaps.push(`${f}: action`);
      if (/export (async )?function loader|export const loader/.test(source) && !whats.some((w) => w.startsWith("GET")))
        gaps.push(`${f}: loader`);
      return gaps;
    });
    expect(uncovered).toEqual([]);
    // The routes server.ts answers itself (outside Remix) and its websocket upgrades need rows too.
    const server = readFileSync(path.join(repoRoot, "server.ts"), "utf8");
    const served = [
      ...[...server.matchAll(/app\.(get|post|put|delete|all)\("([^"*]+)"/g)].map((m) => `${m[1].toUpperCase()} ${m[2]}`),
      ...[...server.matchAll(/upgrades\.register\("([^"]+)"/g)].map((m) => `WS ${m[1]}`),
    ];
    expect(served.length).toBeGreaterThan(3);
    expect(served.filter((route) => !(route in SERVER))).toEqual([]);
  });

  it("allows and denies each route to each actor as the table says", async () => {
    const mismatches: string[] = [];
    const rows = [...Object.entries(ROUTES), ...Object.entries(SERVER).map(([k, v]) => [`server.ts ${k}`, v] as const)];
    let cells = 0;
    for (const [route, cases] of rows) {
      for (const c of cases) {
        for (const actor of ACTORS) {
          const expected = c.expect[actor];
          let actual: Outcome;
          try {
            actual = await perform(fx, actor, c);
          } catch (error) {
            actual = `error: ${(error as Error).message}` as unknown as Outcome;
          }
          cells++;
          if (!matches(expected, actual)) {
            mismatches.push(`${route} ${c.what} as ${actor}: expected ${show(expected)}, got ${show(actual)}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBeGreaterThan(300);
  }, 240_000);
});
