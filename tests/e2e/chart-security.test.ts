import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { advisoryPayloads, CANARY, CANARY_INTACT } from "../../app/charts/advisory-payloads.ts";
import { buildSpec, suggestModel } from "../../app/charts/builder.ts";
import { contentSecurityPolicy } from "../../app/http/security-headers.server.ts";
import { launchBrowser } from "../helpers/browser.ts";

/**
 * Chart rendering in Chromium under the app's production CSP (no 'unsafe-eval'): a tiny page bundles render-client.ts
 * with esbuild and is served with the same header the app sends. The leak URL is on the page's own origin, so CSP
 * would allow it: if no request arrives, it is the chart code that refused it.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
// Vite's own esbuild (0.25) understands import attributes; the top-level copy is older.
const esbuild = createRequire(path.join(root, "node_modules/vite/package.json"))("esbuild") as typeof import("esbuild");

const entrySource = (clientPath: string, limitsPath: string) => `
import embed from "vega-embed";
import { compile } from "vega-lite";
import { expressionInterpreter } from "vega-interpreter";
import { renderChart, exportChart } from ${JSON.stringify(clientPath)};
import { injectRows, refusingLoader } from ${JSON.stringify(limitsPath)};
window.${CANARY} = ${JSON.stringify(CANARY_INTACT)};
window.__violations = [];
// Sanity: the page's CSP really forbids eval, so a chart that needed it would fail here.
window.__evalBlocked = (() => { try { new Function("return 1")(); return false; } catch { return true; } })();
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
// A payload run without the policy may rewrite the page (a bind to "body" does): start each chart on a clean element.
const fresh = () => {
  let el = document.getElementById("chart");
  if (!el) { el = document.createElement("div"); el.id = "chart"; el.style.width = "600px"; document.body.append(el); }
  el.replaceChildren();
  return el;
};
window.harmonyChart = async (spec, rows) => {
  const el = fresh();
  const r = await renderChart(el, spec, rows);
  if (!r.ok) return { ok: false, problems: r.problems };
  const png = await exportChart(r.view, "png");
  const svg = await exportChart(r.view, "svg");
  return { ok: true, marks: el.querySelectorAll("svg .role-mark path, svg .role-mark rect").length, png: png.slice(0, 22), svg: svg.slice(0, 5) };
};
// The same embedding without the policy: shows the runtime guards (interpreter, loader) hold on their own.
window.harmonyChartUnchecked = async (spec, rows) => {
  let vega;
  try { vega = compile(spec).spec; } catch { return "not compiled"; }
  try {
    await embed(fresh(), injectRows(vega, rows), { mode: "vega", renderer: "svg", actions: false, ast: true, expr: expressionInterpreter, loader: refusingLoader(), logLevel: 0 });
    return "rendered";
  } catch (e) { return "refused: " + e.message; }
};
`;

describe("charts in Chromium under the app's CSP", () => {
  let dir: string;
  let server: Server;
  let baseUrl: string;
  const leaks: string[] = [];
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "harmony-chart-e2e-"));
    writeFileSync(
      path.join(dir, "entry.js"),
      entrySource(path.join(root, "app/charts/render-client.ts"), path.join(root, "app/charts/limits.ts")),
    );
    await esbuild.build({
      entryPoints: [path.join(dir, "entry.js")],
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: path.join(dir, "bundle.js"),
      nodePaths: [path.join(root, "node_modules")],
      logLevel: "error",
    });
    const bundle = readFileSync(path.join(dir, "bundle.js"));
    server = createServer((req, res) => {
      const nonce = "dGVzdG5vbmNl";
      if (req.url === "/") {
        res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, false));
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        res.end(
          `<!doctype html><html><head><meta charset="utf-8"><title>chart</title><script type="module" src="/bundle.js" nonce="${nonce}"></script></head><body><div id="chart" style="width:600px"></div></body></html>`,
        );
      } else if (req.url === "/bundle.js") {
        res.setHeader("Content-Type", "text/javascript");
        res.end(bundle);
      } else if (req.url === "/favicon.ico") {
        res.statusCode = 204;
        res.end();
      } else {
        leaks.push(req.url ?? "");
        res.setHeader("Content-Type", "application/json");
        res.end('[{"a":"leaked","b":1}]');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    await page.goto(baseUrl);
    await page.waitForFunction(() => typeof (window as unknown as { harmonyChart?: unknown }).harmonyChart === "function");
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Poke the chart as a reader would, so event-driven payloads get their chance, then look for any effect.
    await page.mouse.move(100, 100);
    await page.mouse.move(200, 150);
    await page.mouse.click(150, 120);
    await page.waitForTimeout(150);
    const seen = {
      canary: await page.evaluate((name) => (window as unknown as Record<string, unknown>)[name], CANARY),
      violations: await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.splice(0)),
      dialogs: dialogs.splice(0),
      leaks: leaks.splice(0),
      cspErrors: consoleErrors.splice(0).filter((e) => /Content Security Policy|unsafe-eval|EvalError/i.test(e)),
    };
    expect(seen).toEqual({ canary: CANARY_INTACT, violations: [], dialogs: [], leaks: [], cspErrors: [] });
  });

  it("the page's CSP forbids eval", async () => {
    expect(await page.evaluate(() => (window as unknown as { __evalBlocked: boolean }).__evalBlocked)).toBe(true);
    await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.splice(0));
  });

  it("renders a builder chart as SVG and exports PNG and SVG", async () => {
    const columns = [
      { name: "period_start", type: "DATE" },
      { name: "district_name", type: "VARCHAR" },
      { name: "value", type: "DOUBLE" },
    ];
    const rows = [
      { period_start: "2024-01-01", district_name: "Bo", value: 3 },
      { period_start: "2024-02-01", district_name: "Bo", value: 5 },
      { period_start: "2024-01-01", district_name: "Kenema", value: 4 },
    ];
    const spec = buildSpec({ ...suggestModel(columns), mark: "bar", colour: undefined }, columns);
    const result = await page.evaluate(
      ([s, r]) => (window as unknown as { harmonyChart: (s: unknown, r: unknown) => Promise<unknown> }).harmonyChart(s, r),
      [spec, rows] as const,
    );
    expect(result).toEqual({ ok: true, marks: 2, png: "data:image/png;base64,", svg: expect.stringMatching(/^(data|blob):/) });
    expect(await page.locator("#chart svg").count()).toBe(1);
    expect(consoleErrors).toEqual([]);
  });

  for (const payload of advisoryPayloads("/placeholder")) {
    it(`${payload.expect}: ${payload.name}`, async () => {
      const spec = advisoryPayloads(`${baseUrl}/leak`).find((p) => p.name === payload.name)?.spec;
      const result = (await page.evaluate(
        ([s]) => (window as unknown as { harmonyChart: (s: unknown, r: unknown) => Promise<unknown> }).harmonyChart(s, []),
        [spec] as const,
      )) as {
        ok: boolean;
        problems?: Array<{ message: string }>;
      };
      if (payload.expect === "refused") {
        expect(result.ok).toBe(false);
        expect(result.problems?.[0]?.message).toBeTruthy();
      } else {
        expect(result.ok).toBe(true);
        const markup = await page.locator("#chart").innerHTML();
        expect(markup).not.toMatch(/<script|<foreignObject|<img/i);
      }
    });

    it(`without the policy, runtime guards hold: ${payload.name}`, async () => {
      const spec = advisoryPayloads(`${baseUrl}/leak`).find((p) => p.name === payload.name)?.spec;
      const outcome = await page.evaluate(
        ([s]) =>
          (window as unknown as { harmonyChartUnchecked: (s: unknown, r: unknown) => Promise<string> }).harmonyChartUnchecked(
            s,
            [],
          ),
        [spec] as const,
      );
      expect(outcome).toMatch(/^(rendered|refused|not compiled)/);
      expect(await page.locator("#chart script, #chart foreignObject, #chart img").count()).toBe(0);
    });
  }
});
