/** Every fault the stand-in can inject, and what the client does about it: retry with backoff, then fail naming the URL. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAST_RETRY } from "../../tests/dhis2-standin/context.ts";
import { type Dhis2Standin, type Fault, startDhis2Standin } from "../../tests/dhis2-standin/server.ts";
import { Dhis2Client } from "./client.ts";
import { Dhis2Error } from "./errors.ts";
import { backoffDelay } from "./http.ts";

let standin: Dhis2Standin;
beforeAll(async () => {
  standin = await startDhis2Standin();
});
afterAll(() => standin.close());
afterEach(() => standin.setFaults([]));

const auth = { type: "basic" as const, username: "admin", password: "district" };
const make = (retry: Partial<typeof FAST_RETRY> = {}, signal?: AbortSignal) =>
  new Dhis2Client({ baseUrl: standin.url, auth, fetch, retry: { ...FAST_RETRY, ...retry }, signal });

/** Runs `testConnection` under the faults and returns how many /api/system/info requests it made. */
async function infoRequests(faults: Fault[], run: (c: Dhis2Client) => Promise<unknown>, retry = {}) {
  standin.setFaults(faults);
  const before = standin.requests.length;
  const outcome = await run(make(retry)).then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  const count = standin.requests.slice(before).filter((r) => r.path === "/api/system/info").length;
  return { outcome, count };
}

describe("retries then success", () => {
  for (const status of [500, 502, 503] as const) {
    it(`retries HTTP ${status} twice and then succeeds`, async () => {
      const { outcome, count } = await infoRequests([{ path: "/api/system/info", kind: "status", status, times: 2 }], (c) =>
        c.get("system/info"),
      );
      expect(outcome.ok).toBe(true);
      expect(count).toBe(3);
    });
  }

  it("retries a truncated (broken) JSON body", async () => {
    const { outcome, count } = await infoRequests([{ path: "/api/system/info", kind: "brokenJson", times: 1 }], (c) =>
      c.get("system/info"),
    );
    expect(outcome).toMatchObject({ ok: true, v: { systemName: "DHIS 2 Demo - Sierra Leone" } });
    expect(count).toBe(2);
  });

  it("retries a connection destroyed mid-response", async () => {
    const { outcome, count } = await infoRequests([{ path: "/api/system/info", kind: "destroy", times: 2 }], (c) =>
      c.get("system/info"),
    );
    expect(outcome.ok).toBe(true);
    expect(count).toBe(3);
  });

  it("times out a hanging request and retries it", async () => {
    const { outcome, count } = await infoRequests(
      [{ path: "/api/system/info", kind: "hang", times: 1 }],
      (c) => c.get("system/info"),
      { timeoutMs: 150 },
    );
    expect(outcome.ok).toBe(true);
    expect(count).toBe(2);
  });

  it("waits out a slow response within the timeout", async () => {
    const { outcome, count } = await infoRequests(
      [{ path: "/api/system/info", kind: "delay", ms: 80 }],
      (c) => c.get("system/info"),
      { timeoutMs: 1_000 },
    );
    expect(outcome.ok).toBe(true);
    expect(count).toBe(1);
  });
});

describe("retry exhaustion names the URL", () => {
  const cases: [string, Fault, string, RegExp][] = [
    ["HTTP 503", { path: "/api/system/info", kind: "status", status: 503 }, "server", /server error \(HTTP 503\)/],
    ["broken JSON", { path: "/api/system/info", kind: "brokenJson" }, "invalid-json", /not valid JSON/],
    ["dropped connections", { path: "/api/system/info", kind: "destroy" }, "network", /Connection to DHIS2 failed/],
    ["hangs", { path: "/api/system/info", kind: "hang" }, "timeout", /did not answer within 100 ms/],
  ];
  for (const [name, fault, kind, pattern] of cases) {
    it(`gives up on ${name} after the configured attempts`, async () => {
      const { outcome, count } = await infoRequests([fault], (c) => c.get("system/info"), { retries: 2, timeoutMs: 100 });
      expect(outcome.ok).toBe(false);
      const error = (outcome as { e: Dhis2Error }).e;
      expect(error).toBeInstanceOf(Dhis2Error);
      expect(error.kind).toBe(kind);
      expect(error.message).toMatch(pattern);
      expect(error.message).toContain(`${standin.url}/api/system/info`);
      expect(error.message).toContain("gave up after 3 attempts");
      expect(count).toBe(3);
    });
  }

  it("does not retry 404s", async () => {
    const { outcome, count } = await infoRequests([{ path: "/api/system/info", kind: "status", status: 404 }], (c) =>
      c.get("system/info"),
    );
    expect((outcome as { e: Dhis2Error }).e.kind).toBe("not-found");
    expect(count).toBe(1);
  });

  it("reports an injected 401 as a credentials problem", async () => {
    const { outcome } = await infoRequests([{ path: "/api/system/info", kind: "status", status: 401 }], (c) =>
      c.testConnection(),
    );
    expect((outcome as { e: Dhis2Error }).e.message).toMatch(/rejected the credentials/);
  });
});

describe("cancellation", () => {
  it("stops a hanging request at once when the AbortSignal fires, without retrying", async () => {
    standin.setFaults([{ path: "/api/system/info", kind: "hang" }]);
    const controller = new AbortController();
    const before = standin.requests.length;
    const pending = make({ timeoutMs: 60_000 }, controller.signal).get("system/info");
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(standin.requests.length - before).toBe(1);
  });

  it("stops during a backoff wait", async () => {
    standin.setFaults([{ path: "/api/system/info", kind: "status", status: 503 }]);
    const controller = new AbortController();
    const pending = make({ baseDelayMs: 10_000, maxDelayMs: 10_000 }, controller.signal).get("system/info");
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("backoff", () => {
  it("grows exponentially, is capped, and jitters between half and the whole step", () => {
    const retry = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 1 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, retry, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([1, 2, 3].map((n) => backoffDelay(n, retry, () => 0))).toEqual([50, 100, 200]);
  });
});
