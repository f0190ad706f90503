/**
 * One GET against DHIS2 with the behaviour the issue asks for: auth header, per-request timeout, retries with exponential
 * backoff and jitter for transient failures (5xx, resets, timeouts, truncated JSON), clear errors for the rest, and
 * immediate, retry-free cancellation when the caller's AbortSignal fires.
 */
import type { Dhis2Auth, RetryOptions } from "./config-schema.ts";
import { Dhis2Error, errorForStatus } from "./errors.ts";

export interface HttpContext {
  fetch: typeof fetch;
  signal: AbortSignal;
  auth: Dhis2Auth;
  retry: RetryOptions;
  /** Injected for deterministic tests of the jitter; defaults to Math.random. */
  random?: () => number;
  onRetry?: (info: { url: string; attempt: number; delayMs: number; error: Dhis2Error }) => void;
}

export function authorizationHeader(auth: Dhis2Auth): string {
  if (auth.type === "token") return `ApiToken ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, "utf8").toString("base64")}`;
}

/** Delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter" so clients spread out. */
export function backoffDelay(attempt: number, retry: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const parts = [cause?.code, cause?.message ?? (error as Error)?.message].filter(Boolean);
  return parts.join(" ") || String(error);
}

/** A single attempt; throws Dhis2Error (or the caller's abort reason). */
async function attempt(url: string, ctx: HttpContext): Promise<unknown> {
  const timeout = AbortSignal.timeout(ctx.retry.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const response = await ctx.fetch(url, {
      headers: { Authorization: authorizationHeader(ctx.auth), Accept: "application/json" },
      signal,
      redirect: "follow",
    });
    const body = await response.text();
    if (!response.ok) throw errorForStatus(response.status, url, body);
    try {
      return JSON.parse(body);
    } catch (error) {
      const type = response.headers.get("content-type") ?? "no content type";
      throw new Dhis2Error(
        "invalid-json",
        `DHIS2 sent a response that is not valid JSON (${type}, ${body.length} bytes) from ${url}: ${(error as Error).message}`,
        url,
        response.status,
      );
    }
  } catch (error) {
    if (error instanceof Dhis2Error) throw error;
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    if (timeout.aborted) {
      throw new Dhis2Error("timeout", `DHIS2 did not answer within ${ctx.retry.timeoutMs} ms: ${url}`, url);
    }
    throw new Dhis2Error("network", `Connection to DHIS2 failed (${describeNetworkError(error)}): ${url}`, url);
  }
}

/** GET a JSON document, retrying transient failures; the final error names the URL and how many attempts were made. */
export async function getJson<T = unknown>(url: string, ctx: HttpContext): Promise<T> {
  const total = ctx.retry.retries + 1;
  for (let n = 1; ; n++) {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    try {
      return (await attempt(url, ctx)) as T;
    } catch (error) {
      if (!(error instanceof Dhis2Error) || !error.retryable) throw error;
      if (n >= total) {
        throw new Dhis2Error(
          error.kind,
          `${error.message} (gave up after ${total} attempt${total === 1 ? "" : "s"})`,
          url,
          error.status,
          error.dhis2Message,
          total,
        );
      }
      const delayMs = backoffDelay(n, ctx.retry, ctx.random);
      ctx.onRetry?.({ url, attempt: n, delayMs, error });
      await sleep(delayMs, ctx.signal);
    }
  }
}
