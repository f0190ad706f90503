import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Spec as VegaSpec } from "vega";
import { compile } from "vega-lite";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { advisoryPayloads, CANARY, CANARY_INTACT } from "./advisory-payloads.ts";
import { renderChartSvg, renderVegaSvg } from "./render-server.ts";

// A real HTTP server stands in for an attacker's: every payload that would leak calls it, so "no request" is observable.
let server: Server;
let requests: string[] = [];
let leakUrl = "";
const globals = globalThis as Record<string, unknown>;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    res.setHeader("content-type", "application/json");
    res.end('[{"a":"leaked","b":1}]');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  leakUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/leak`;
  globals[CANARY] = CANARY_INTACT;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(async () => {
  // Let anything a payload scheduled (timers, fetches) run before looking.
  await sleep(100);
  expect(globals[CANARY]).toBe(CANARY_INTACT);
  expect(requests).toEqual([]);
});

const rows = [{ a: "x", b: 1 }];
/** Real tags (text is escaped, so markup inside labels cannot start one) that could run or load something. */
function unsafeTags(svg: string): string[] {
  return [...svg.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)]
    .filter(
      ([, name, attributes]) =>
        /^(script|style|foreignObject|a|image|use|iframe|object|embed)$/i.test(name) ||
        /\son\w+\s*=|href\s*=|javascript:|url\((?!#)/i.test(attributes),
    )
    .map(([tag]) => tag);
}

test("the leak server is reachable, so a silent pass would be a real pass", async () => {
  const response = await fetch(leakUrl);
  expect(response.status).toBe(200);
  expect(requests).toHaveLength(1);
  requests = [];
});

describe("advisory payloads through validation and server rendering", () => {
  beforeAll(() => {
    globals[CANARY] = CANARY_INTACT;
  });
  for (const payload of advisoryPayloads("http://127.0.0.1:1/placeholder")) {
    test(`${payload.expect}: ${payload.name}`, async () => {
      const spec = advisoryPayloads(leakUrl).find((p) => p.name === payload.name)?.spec ?? {};
      const result = await renderChartSvg(spec, rows);
      if (payload.expect === "refused") {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problems[0].message.length).toBeGreaterThan(10);
      } else {
        expect(result.ok ? "" : JSON.stringify(result.problems)).toBe("");
        if (!result.ok) return;
        expect(unsafeTags(result.svg)).toEqual([]);
        expect(result.svg).toContain("&lt;script&gt;");
      }
    });
  }
});

describe("without the policy, Vega's runtime guards still hold (interpreter, refusing loader, sanitizer)", () => {
  beforeAll(() => {
    globals[CANARY] = CANARY_INTACT;
  });
  for (const payload of advisoryPayloads("http://127.0.0.1:1/placeholder")) {
    test(payload.name, async () => {
      const spec = advisoryPayloads(leakUrl).find((p) => p.name === payload.name)?.spec ?? {};
      let vega: VegaSpec;
      try {
        vega = compile(spec as never).spec;
      } catch {
        return; // Vega-Lite itself cannot build it: nothing to run.
      }
      try {
        const svg = await renderVegaSvg(vega, rows, 2_000);
        expect(unsafeTags(svg)).toEqual([]);
        expect(svg).not.toContain("leaked");
      } catch (error) {
        expect(String(error)).not.toBe("");
      }
    });
  }

  test("a Vega data URL is refused by the loader, and no request is made", async () => {
    const vega = { data: [{ name: "d", url: leakUrl }], marks: [{ type: "rect", from: { data: "d" } }] } as VegaSpec;
    await expect(renderVegaSvg(vega, [])).rejects.toThrow(/chart loader: loading "http:\/\/127\.0\.0\.1:\d+\/leak" is refused/);
  });

  test("image marks and links from URLs produce no request and no link", async () => {
    const vega = {
      width: 50,
      height: 50,
      marks: [
        { type: "image", encode: { enter: { url: { value: leakUrl }, width: { value: 10 }, height: { value: 10 } } } },
        { type: "rect", encode: { enter: { href: { value: leakUrl }, width: { value: 10 }, height: { value: 10 } } } },
      ],
    } as VegaSpec;
    // Either refused outright (the image load is refused) or drawn without the image and the link.
    const svg = await renderVegaSvg(vega, []).catch((error) => String(error));
    expect(unsafeTags(svg)).toEqual([]);
    expect(svg).toMatch(/is refused|^<svg/);
  });
});
