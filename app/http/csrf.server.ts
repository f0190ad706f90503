import type { NextFunction, Request, Response } from "express";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when a state-changing request comes from another site. Browsers send Origin on every cross-origin POST. */
export function isCrossSite(
  method: string,
  headers: Record<string, string | string[] | undefined>,
  host: string | undefined,
): boolean {
  if (SAFE.has(method.toUpperCase())) return false;
  const origin = headers.origin;
  if (typeof origin === "string" && origin !== "null") {
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  if (origin === "null") return true;
  // No Origin: old browsers or non-browser clients. Fetch metadata, when present, still tells us a browser's intent.
  const site = headers["sec-fetch-site"];
  return site === "cross-site" || site === "same-site";
}

export function refuseCrossSiteWrites() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isCrossSite(req.method, req.headers, req.headers.host)) {
      res.status(403).type("text/plain").send("Cross-site request refused: this action must come from a Harmony page.");
      return;
    }
    next();
  };
}
