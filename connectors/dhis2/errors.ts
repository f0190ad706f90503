/**
 * Errors a DHIS2 request can end in, each with a message a data manager can act on and the URL it concerns.
 * URLs in messages never carry credentials (auth travels in a header, never in the URL).
 */

export type Dhis2ErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "bad-request"
  | "server"
  | "network"
  | "timeout"
  | "invalid-json"
  | "unexpected";

export class Dhis2Error extends Error {
  override name = "Dhis2Error";
  constructor(
    readonly kind: Dhis2ErrorKind,
    message: string,
    readonly url: string,
    readonly status?: number,
    /** DHIS2's own message from its WebMessage body, when it sent one. */
    readonly dhis2Message?: string,
    readonly attempts = 1,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return ["server", "network", "timeout", "invalid-json"].includes(this.kind);
  }
}

/** Pulls `message` (and conflict details) out of a DHIS2 WebMessage body, tolerating HTML error pages. */
export function dhis2MessageFrom(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { message?: unknown; response?: { errorReports?: { message?: string }[] } };
    const details = json.response?.errorReports?.map((r) => r.message).filter(Boolean) ?? [];
    const main = typeof json.message === "string" ? json.message : undefined;
    return [main, ...details].filter(Boolean).join("; ") || undefined;
  } catch {
    const text = body
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return text ? text.slice(0, 300) : undefined;
  }
}

/** The error for a non-2xx HTTP status, worded for the person who configured the source. */
export function errorForStatus(status: number, url: string, body: string): Dhis2Error {
  const said = dhis2MessageFrom(body);
  const suffix = said ? `: ${said}` : "";
  if (status === 401) {
    return new Dhis2Error(
      "unauthorized",
      `DHIS2 rejected the credentials (HTTP 401) for ${url}. Check the username and password, or the personal access token, and that the account is not disabled.`,
      url,
      status,
      said,
    );
  }
  if (status === 403) {
    return new Dhis2Error(
      "forbidden",
      `The DHIS2 user has no permission for ${url} (HTTP 403)${suffix}. Ask a DHIS2 administrator for read access to this data.`,
      url,
      status,
      said,
    );
  }
  if (status === 404)
    return new Dhis2Error(
      "not-found",
      `DHIS2 has no such resource (HTTP 404) at ${url}${suffix}. Check the base URL.`,
      url,
      status,
      said,
    );
  if (status === 409)
    return new Dhis2Error("conflict", `DHIS2 refused the request (HTTP 409 Conflict) at ${url}${suffix}`, url, status, said);
  if (status >= 500) return new Dhis2Error("server", `DHIS2 server error (HTTP ${status}) at ${url}${suffix}`, url, status, said);
  if (status === 400)
    return new Dhis2Error("bad-request", `DHIS2 could not read the request (HTTP 400) at ${url}${suffix}`, url, status, said);
  return new Dhis2Error("unexpected", `Unexpected HTTP ${status} from DHIS2 at ${url}${suffix}`, url, status, said);
}
