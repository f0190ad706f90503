/**
 * Server time and readers under load, on loopback. Server time: sequential requests, the whole response read, with the
 * render part from the Server-Timing header the page cache adds. "Rendered" requests carry a unique ?bench=n, so each is
 * a cache miss (the server before the rendered-page cache); "cached" requests repeat the report's URL. Load: autocannon
 * with 200 connections as the viewer, for both kinds.
 */
import autocannon from "autocannon";

export interface SequentialTiming {
  total_p50_ms: number;
  total_p90_ms: number;
  render_p50_ms: number;
  bytes: number;
}

export interface LoadResult {
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  req_per_s: number;
  requests: number;
  /** Connection errors + timeouts (no answer in 10 s) + answers other than 2xx; the parts are listed below. */
  errors: number;
  connection_errors: number;
  timeouts: number;
  non_2xx: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (n: number) => Math.round(n * 100) / 100;

export async function sequentialTiming(url: string, cookie: string, count: number, unique: boolean): Promise<SequentialTiming> {
  const totals: number[] = [];
  const renders: number[] = [];
  let bytes = 0;
  // The cached run starts from a kept page: its first request renders and keeps it.
  if (!unique) await (await fetch(url, { headers: { cookie } })).text();
  for (let i = 0; i < count; i++) {
    const target = unique ? `${url}${url.includes("?") ? "&" : "?"}bench=${Date.now()}-${i}` : url;
    const started = performance.now();
    const response = await fetch(target, { headers: { cookie } });
    const body = await response.text();
    totals.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${target} answered ${response.status}`);
    const render = /render;desc="(\w+)";dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "");
    if (!render) throw new Error(`${target}: no Server-Timing render entry (is the build current?)`);
    if ((render[1] === "cached") === unique)
      throw new Error(`${target}: expected a ${unique ? "render" : "cached page"}, got ${render[1]}`);
    renders.push(Number(render[2]));
    bytes = Buffer.byteLength(body);
  }
  return {
    total_p50_ms: ms(quantile(totals, 0.5)),
    total_p90_ms: ms(quantile(totals, 0.9)),
    render_p50_ms: ms(quantile(renders, 0.5)),
    bytes,
  };
}

export async function readersUnderLoad(
  url: string,
  cookie: string,
  options: { connections: number; seconds: number; unique: boolean },
): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: { cookie },
    requests: options.unique
      ? [{ setupRequest: (request) => ({ ...request, path: `${new URL(url).pathname}?bench=load-${n++}` }) }]
      : undefined,
  });
  // No response at all within the run (a server far too slow for the load) must not read as "0 ms, 0 errors".
  const none = result.requests.total === 0;
  return {
    p50_ms: none ? options.seconds * 1000 : result.latency.p50,
    p99_ms: none ? options.seconds * 1000 : result.latency.p99,
    max_ms: none ? options.seconds * 1000 : result.latency.max,
    req_per_s: Math.round(result.requests.average),
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + (none ? options.connections : 0),
    connection_errors: result.errors,
    timeouts: result.timeouts,
    non_2xx: result.non2xx,
  };
}
