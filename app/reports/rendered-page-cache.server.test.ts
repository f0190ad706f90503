import type { EntryContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createRenderedPageCache, reportPageKey, withReportPageCache } from "./rendered-page-cache.server.ts";

const NONCE_A = "AAAAAAAAAAAAAAAAAAAAAA==";
const NONCE_B = "bbbbbbbbbbbbbbbbbbbbbb==";

const page = (nonce: string, body = "report") =>
  `<html><body>${body}<script nonce="${nonce}">window.__remixContext={}</script><script nonce="${nonce}" type="module"></script></body></html>`;

/** The part of Remix's entry context the cache reads: the matched routes and their loader data. */
function entryContext(routeId: string, loaderData: Record<string, unknown>, errors: unknown = null): EntryContext {
  return {
    staticHandlerContext: { matches: [{ route: { id: "root" } }, { route: { id: routeId } }], loaderData, errors },
  } as unknown as EntryContext;
}

const reportData = (title: string, lang = "en") => ({
  root: { lang, user: null },
  "routes/r.$reportId": { report: { id: "r_1", title }, tiles: [] },
});

describe("rendered report page cache", () => {
  it("serves a kept page with the current response's nonce in every script", () => {
    const cache = createRenderedPageCache({ maxEntries: 10, maxBytes: 1_000_000 });
    cache.set("k", "r_1", page(NONCE_A), NONCE_A);
    const text = (buffer: ArrayBuffer | undefined) => (buffer ? Buffer.from(buffer).toString() : undefined);
    const served = text(cache.get("k", NONCE_B));
    expect(served).toBe(page(NONCE_B));
    expect(served).not.toContain(NONCE_A);
    expect(cache.get("other", NONCE_B)).toBeUndefined();
    // Without a nonce (development) nothing is kept: the page could not be given the next response's nonce.
    cache.set("dev", "r_1", page(""), "");
    expect(cache.get("dev", NONCE_B)).toBeUndefined();
  });

  it("drops a report's pages on invalidation and keeps within its limits, least recently used first", () => {
    const cache = createRenderedPageCache({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set("a", "r_1", page(NONCE_A, "a"), NONCE_A);
    cache.set("b", "r_2", page(NONCE_A, "b"), NONCE_A);
    cache.invalidateReport("r_1");
    expect(cache.get("a", NONCE_B)).toBeUndefined();
    expect(Buffer.from(cache.get("b", NONCE_B) ?? new ArrayBuffer(0)).toString()).toContain("b");

    cache.set("c", "r_3", page(NONCE_A, "c"), NONCE_A);
    cache.get("b", NONCE_B); // b is now the most recently used
    cache.set("d", "r_4", page(NONCE_A, "d"), NONCE_A);
    expect(cache.stats().entries).toBe(2);
    expect(cache.get("c", NONCE_B)).toBeUndefined();
    expect(cache.get("b", NONCE_B)).toBeDefined();

    const small = createRenderedPageCache({ maxEntries: 10, maxBytes: page(NONCE_A).length });
    small.set("big", "r_1", page(NONCE_A, "x".repeat(100)), NONCE_A);
    expect(small.stats()).toEqual({ entries: 0, bytes: 0 });
  });

  it("keys report documents by URL and every route's data; other documents, errors and posts are not cached", () => {
    const get = new Request("http://h/r/r_1");
    const key = reportPageKey(get, 200, entryContext("routes/r.$reportId", reportData("One")), NONCE_A);
    expect(key?.reportId).toBe("r_1");
    expect(reportPageKey(get, 200, entryContext("routes/r.$reportId", reportData("One")), NONCE_B)?.key).toBe(key?.key);
    // A republish (new data), another language or another variant URL is another page.
    expect(reportPageKey(get, 200, entryContext("routes/r.$reportId", reportData("Two")), NONCE_A)?.key).not.toBe(key?.key);
    expect(reportPageKey(get, 200, entryContext("routes/r.$reportId", reportData("One", "fr")), NONCE_A)?.key).not.toBe(key?.key);
    const variant = new Request("http://h/r/r_1?district=bo");
    expect(reportPageKey(variant, 200, entryContext("routes/r.$reportId", reportData("One")), NONCE_A)?.key).not.toBe(key?.key);

    expect(reportPageKey(get, 200, entryContext("routes/_app.notebooks.$id", reportData("One")), NONCE_A)).toBeNull();
    expect(reportPageKey(get, 403, entryContext("routes/r.$reportId", reportData("One")), NONCE_A)).toBeNull();
    expect(reportPageKey(get, 200, entryContext("routes/r.$reportId", reportData("One"), { root: "x" }), NONCE_A)).toBeNull();
    expect(
      reportPageKey(
        new Request("http://h/r/r_1", { method: "POST" }),
        200,
        entryContext("routes/r.$reportId", reportData("One")),
        NONCE_A,
      ),
    ).toBeNull();
    expect(reportPageKey(get, 200, entryContext("routes/r.$reportId", reportData("One")), "")).toBeNull();
  });

  it("renders once, then serves the kept page until the report is invalidated", async () => {
    const cache = createRenderedPageCache({ maxEntries: 10, maxBytes: 1_000_000 });
    let renders = 0;
    const serve = (nonce: string, data = reportData("One")) =>
      withReportPageCache(
        new Request("http://h/r/r_1"),
        200,
        new Headers(),
        entryContext("routes/r.$reportId", data),
        nonce,
        async () => {
          renders += 1;
          return new Response(page(nonce, `render ${renders}`), { headers: { "Content-Type": "text/html" } });
        },
        cache,
      );
    const first = await serve(NONCE_A);
    expect(await first.text()).toBe(page(NONCE_A, "render 1"));
    expect(first.headers.get("Server-Timing")).toMatch(/render;desc="rendered";dur=/);
    const second = await serve(NONCE_B);
    expect(await second.text()).toBe(page(NONCE_B, "render 1"));
    expect(second.headers.get("Server-Timing")).toMatch(/render;desc="cached";dur=/);
    expect(renders).toBe(1);

    cache.invalidateReport("r_1");
    expect(await (await serve(NONCE_B)).text()).toBe(page(NONCE_B, "render 2"));
    await serve(NONCE_A, reportData("Republished"));
    expect(renders).toBe(3);
  });
});
