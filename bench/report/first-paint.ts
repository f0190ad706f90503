/**
 * Bytes to first paint, measured in Chromium on a throttled connection (a slow 3G-like link, where it matters): the
 * document and every resource that finished loading before the first contentful paint, by the browser's own Resource
 * Timing (transfer sizes, headers included). Module scripts do not block rendering, so what arrives after the first
 * paint is counted separately, as is Vega, which loads only when a chart scrolls into view.
 */
import { gzipSync } from "node:zlib";
import { launchBrowser, signInWithBrowser } from "../../tests/helpers/browser.ts";
import { VIEWER } from "../../tests/helpers/server.ts";

/** ~1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip (Chrome DevTools' "slow 4G"/"fast 3G" territory). */
const SLOW_LINK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

interface Loaded {
  name: string;
  transferSize: number;
  responseEnd: number;
}

export interface FirstPaint {
  first_paint_kb: number;
  first_paint_gzip_kb: number;
  fcp_ms_slow_link: number;
  page_load_kb: number;
  lazy_chart_kb: number;
  live_charts: number;
  resources_before_paint: string[];
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

export async function measureFirstPaint(baseUrl: string, reportPath: string): Promise<FirstPaint> {
  const browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await browser.context.newPage();
    await signInWithBrowser(page, baseUrl, VIEWER.email, VIEWER.password);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", SLOW_LINK);
    await page.goto(new URL(reportPath, baseUrl).href, { waitUntil: "load" });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN;
      const resources = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map((r) => ({
        name: r.name,
        transferSize: r.transferSize,
        responseEnd: r.responseEnd,
      }));
      return { fcp, document: { name: nav.name, transferSize: nav.transferSize, responseEnd: nav.responseEnd }, resources };
    });
    if (!Number.isFinite(timing.fcp)) throw new Error("first-paint: Chromium reported no first contentful paint");
    const beforePaint: Loaded[] = [timing.document, ...timing.resources.filter((r) => r.responseEnd <= timing.fcp)];
    const all: Loaded[] = [timing.document, ...timing.resources];
    const sum = (list: Loaded[]) => list.reduce((n, r) => n + r.transferSize, 0);

    // What a reverse proxy with gzip would send of the same responses (the app server itself does not compress).
    const cookie = (await browser.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    let gzipBytes = 0;
    for (const r of beforePaint) {
      const body = Buffer.from(await (await fetch(r.name, { headers: { cookie } })).arrayBuffer());
      gzipBytes += gzipSync(body).length;
    }

    // Scroll through the report: each chart turns live, loading Vega and its rows once.
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const before = timing.resources.length;
    await page.evaluate(async () => {
      for (const figure of document.querySelectorAll("figure.report-chart")) {
        figure.scrollIntoView();
        await new Promise((r) => setTimeout(r, 300));
      }
    });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("figure.report-chart")].every(
          (f) => f.getAttribute("data-chart") !== "loading" && f.getAttribute("data-chart") !== "static",
        ),
      undefined,
      { timeout: 60_000 },
    );
    const later = await page.evaluate(
      (skip) => (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).slice(skip).map((r) => r.transferSize),
      before,
    );
    const liveCharts = await page.locator('figure.report-chart[data-chart="live"]').count();
    return {
      first_paint_kb: kb(sum(beforePaint)),
      first_paint_gzip_kb: kb(gzipBytes),
      fcp_ms_slow_link: Math.round(timing.fcp),
      page_load_kb: kb(sum(all)),
      lazy_chart_kb: kb(later.reduce((n, b) => n + b, 0)),
      live_charts: liveCharts,
      resources_before_paint: beforePaint.map((r) => `${new URL(r.name).pathname} ${kb(r.transferSize)} KB`),
    };
  } finally {
    await browser.close();
  }
}
