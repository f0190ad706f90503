import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HttpClient } from "../helpers/http-client.ts";
import { ADMIN, ANALYST, type RunningServer, startServer, VIEWER } from "../helpers/server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => {
      ws.close();
      reject(new Error(`upgrade to ${url} was accepted`));
    });
    ws.on("error", () => {});
  });
}

describe("server, accounts and sessions", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { HARMONY_LOGIN_MAX_FAILURES_PER_ACCOUNT: "3" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers /healthz with the database state and version", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("sets the security headers on pages, assets, health and errors", async () => {
    const page = await fetch(`${server.url}/sign-in`);
    const html = await page.text();
    const asset = html.match(/href="(\/assets\/[^"]+\.css)"/)?.[1];
    expect(asset).toBeTruthy();
    for (const target of ["/sign-in", asset, "/healthz", "/no-such-page"]) {
      const res = await fetch(`${server.url}${target}`, { redirect: "manual" });
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, target).toContain("frame-ancestors 'none'");
      expect(csp, target).not.toContain("'unsafe-eval'");
      expect(csp, target).toContain("'wasm-unsafe-eval'");
      expect(res.headers.get("x-content-type-options"), target).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), target).toBe("strict-origin-when-cross-origin");
    }
    const assetRes = await fetch(`${server.url}${asset}`);
    expect(assetRes.headers.get("cache-control")).toContain("immutable");
  });

  it("puts a nonce on every inline script and allows only that nonce", async () => {
    const res = await fetch(`${server.url}/sign-in`);
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inline.length).toBeGreaterThan(0);
    for (const [, attrs] of inline) expect(attrs).toContain(`nonce="${nonce}"`);
  });

  it("redirects anonymous requests for signed-in pages to sign-in with the return path", async () => {
    for (const p of ["/notebooks", "/datasets?x=1", "/reports", "/queries", "/admin"]) {
      const res = await fetch(`${server.url}${p}`, { redirect: "manual" });
      expect(res.status, p).toBe(302);
      expect(res.headers.get("location"), p).toBe(`/sign-in?redirectTo=${encodeURIComponent(p)}`);
    }
  });

  it("refuses writes from a foreign origin and accepts same-origin ones", async () => {
    const client = new HttpClient(server.url);
    const foreign = await client.form(
      "/sign-in",
      { email: ANALYST.email, password: ANALYST.password },
      { origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
    expect(client.cookies.has("harmony_session")).toBe(false);
    const crossSite = await client.request("/sign-in", {
      method: "POST",
      body: new URLSearchParams({ email: ANALYST.email, password: ANALYST.password }),
      origin: null,
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const same = await client.signIn(ANALYST.email, ANALYST.password);
    expect(same.status).toBe(302);
    expect(client.cookies.has("harmony_session")).toBe(true);
  });

  it("sets an HttpOnly SameSite=Lax session cookie with a new id at each sign-in, and follows only same-origin return paths", async () => {
    const client = new HttpClient(server.url);
    const first = await client.signIn(ANALYST.email, ANALYST.password, "/datasets?tab=1");
    expect(first.headers.get("location")).toBe("/datasets?tab=1");
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith("harmony_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const firstId = client.cookies.get("harmony_session");
    const second = await client.signIn(ANALYST.email, ANALYST.password, "//evil.example/steal");
    expect(second.headers.get("location")).toBe("/notebooks");
    expect(client.cookies.get("harmony_session")).not.toBe(firstId);
    for (const bad of ["https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      const res = await new HttpClient(server.url).signIn(ANALYST.email, ANALYST.password, bad);
      expect(res.headers.get("location"), bad).toBe("/notebooks");
    }
  });

  it("answers unknown email and wrong password with the same generic message", async () => {
    const unknown = await new HttpClient(server.url).signIn("nobody@harmony.local", "whatever-password");
    const wrong = await new HttpClient(server.url).signIn(VIEWER.email, "wrong-password");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = (html: string) => html.match(/role="alert"[^>]*>([^<]+)</)?.[1];
    const a = message(await unknown.text());
    const b = message(await wrong.text());
    expect(a).toBe("Email or password is incorrect.");
    expect(b).toBe(a);
  });

  it("limits repeated wrong passwords per account with a clear message, even for the right password", async () => {
    const email = "limited@harmony.local";
    const admin = new HttpClient(server.url);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const created = await admin.form("/admin?index", { intent: "create", email, name: "Limited", role: "viewer" });
    const password = (await created.text()).match(/data-testid="new-password">([^<]+)</)?.[1];
    expect(password).toBeTruthy();
    for (let i = 0; i < 3; i++) expect((await new HttpClient(server.url).signIn(email, "nope-nope")).status).toBe(401);
    const blocked = await new HttpClient(server.url).signIn(email, password as string);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toMatch(/Too many sign-in attempts\. Try again in \d+ minutes?\./);
  });

  it("gives a viewer 403 on the admin page and on the admin action, and changes nothing", async () => {
    const viewer = new HttpClient(server.url);
    await viewer.signIn(VIEWER.email, VIEWER.password);
    expect((await viewer.request("/admin")).status).toBe(403);
    const action = await viewer.form("/admin?index", {
      intent: "create",
      email: "sneaky@harmony.local",
      name: "Sneaky",
      role: "admin",
    });
    expect(action.status).toBe(403);
    const analyst = new HttpClient(server.url);
    await analyst.signIn(ANALYST.email, ANALYST.password);
    expect((await analyst.request("/admin")).status).toBe(403);
    const admin = new HttpClient(server.url);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const page = await (await admin.request("/admin")).text();
    expect(page).toContain(VIEWER.email);
    expect(page).not.toContain("sneaky@harmony.local");
  });

  it("lets an admin create a user, change a role, reset a password and disable a user", async () => {
    const admin = new HttpClient(server.url);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const created = await admin.form("/admin?index", {
      intent: "create",
      email: "new.analyst@harmony.local",
      name: "New",
      role: "viewer",
    });
    const password = (await created.text()).match(/data-testid="new-password">([^<]+)</)?.[1] as string;
    const user = new HttpClient(server.url);
    expect((await user.signIn("new.analyst@harmony.local", password)).status).toBe(302);
    expect((await user.request("/notebooks")).status).toBe(200);

    const db = new Database(path.join(server.dataDir, "harmony.sqlite"), { readonly: true });
    const id = (db.prepare("SELECT id FROM users WHERE email = ?").get("new.analyst@harmony.local") as { id: string }).id;
    await admin.form("/admin?index", { intent: "role", userId: id, role: "analyst" });
    expect((db.prepare("SELECT role FROM users WHERE id = ?").get(id) as { role: string }).role).toBe("analyst");

    const reset = await admin.form("/admin?index", { intent: "reset", userId: id });
    const newPassword = (await reset.text()).match(/data-testid="new-password">([^<]+)</)?.[1] as string;
    expect(newPassword).not.toBe(password);
    expect((await user.request("/notebooks")).status).toBe(302); // reset closed their sessions
    expect((await new HttpClient(server.url).signIn("new.analyst@harmony.local", password)).status).toBe(401);
    expect((await user.signIn("new.analyst@harmony.local", newPassword)).status).toBe(302);

    await admin.form("/admin?index", { intent: "disable", userId: id, disabled: "true" });
    expect((await user.request("/notebooks")).status).toBe(302);
    expect((await new HttpClient(server.url).signIn("new.analyst@harmony.local", newPassword)).status).toBe(401);
    const actions = db
      .prepare("SELECT action FROM audit_log WHERE target = ? ORDER BY id")
      .all("new.analyst@harmony.local")
      .map((r) => (r as { action: string }).action);
    expect(actions).toEqual(expect.arrayContaining(["user.create", "user.role", "user.password-reset", "user.disable"]));
    db.close();
  });

  it("signs out, and signs out everywhere", async () => {
    const a = new HttpClient(server.url);
    const b = new HttpClient(server.url);
    await a.signIn(ANALYST.email, ANALYST.password);
    await b.signIn(ANALYST.email, ANALYST.password);
    const out = await a.form("/sign-out", {});
    expect(out.headers.get("location")).toBe("/sign-in");
    expect((await a.request("/notebooks")).status).toBe(302);
    expect((await b.request("/notebooks")).status).toBe(200);
    await a.signIn(ANALYST.email, ANALYST.password);
    await a.form("/sign-out", { scope: "everywhere" });
    expect((await b.request("/notebooks")).status).toBe(302);
  });

  it("routes websocket upgrades: /collab/:id needs a session, other paths are refused", async () => {
    const ws = server.url.replace("http", "ws");
    expect(await upgradeStatus(`${ws}/somewhere-else`)).toBe(404);
    expect(await upgradeStatus(`${ws}/collab/abc`)).toBe(401);
  });

  it("records sign-ins and failures in an append-only audit log", async () => {
    const db = new Database(path.join(server.dataDir, "harmony.sqlite"));
    const actions = db.prepare("SELECT DISTINCT action FROM audit_log").all() as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["sign-in", "sign-in.failed", "sign-out"]));
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit_log").run()).toThrow(/append-only/);
    db.close();
  });
});

describe("restarts and expiry", () => {
  it("keeps users and live sessions across a restart, and shuts down gracefully on SIGTERM", async () => {
    const first = await startServer();
    const client = new HttpClient(first.url);
    await client.signIn(ANALYST.email, ANALYST.password);
    expect(await first.stop()).toBe(0);
    const second = await startServer({ dataDir: first.dataDir });
    try {
      const again = new HttpClient(second.url);
      for (const [k, v] of client.cookies) again.cookies.set(k, v);
      expect((await again.request("/notebooks")).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("refuses a session idle past the timeout, and slides the timeout while it is used", async () => {
    const server = await startServer({ env: { HARMONY_SESSION_IDLE_MINUTES: "0.05" } }); // 3 seconds
    try {
      const idle = new HttpClient(server.url);
      await idle.signIn(ANALYST.email, ANALYST.password);
      const busy = new HttpClient(server.url);
      await busy.signIn(ANALYST.email, ANALYST.password);
      for (let i = 0; i < 4; i++) {
        await sleep(1_200);
        expect((await busy.request("/notebooks")).status, `busy request ${i}`).toBe(200);
      }
      // idle has now been quiet for ~4.8 s, past the 3 s timeout; busy stayed alive the whole time.
      const res = await idle.request("/notebooks");
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/sign-in?redirectTo=%2Fnotebooks");
    } finally {
      await server.stop();
    }
  });

  it("ends a session at the absolute lifetime even while it is used", async () => {
    const server = await startServer({ env: { HARMONY_SESSION_ABSOLUTE_HOURS: "0.001" } }); // 3.6 seconds
    try {
      const client = new HttpClient(server.url);
      await client.signIn(ANALYST.email, ANALYST.password);
      expect((await client.request("/notebooks")).status).toBe(200);
      await sleep(1_500);
      expect((await client.request("/notebooks")).status).toBe(200);
      await sleep(2_500);
      expect((await client.request("/notebooks")).status).toBe(302);
    } finally {
      await server.stop();
    }
  });
});
