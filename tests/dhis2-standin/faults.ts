/**
 * Faults the stand-in can inject, each on the requests whose path (with its query string) matches a pattern.
 * `times` limits how often a fault fires (e.g. "503 twice, then OK"); without it the fault fires on every match.
 */

export type FaultKind =
  | { kind: "delay"; ms: number }
  | { kind: "status"; status: 401 | 403 | 404 | 500 | 502 | 503 | 504; message?: string }
  | { kind: "brokenJson" }
  /** Sends the headers and part of the body, then destroys the socket (the client sees a reset / terminated body). */
  | { kind: "destroy" }
  /** Never answers; the client's timeout or abort must end the request. */
  | { kind: "hang" };

export type Fault = FaultKind & {
  /** A string matches when the request path starts with it; a RegExp is tested against path + query string. */
  path: string | RegExp;
  times?: number;
};

export class FaultTable {
  private faults: { fault: Fault; fired: number }[] = [];

  set(faults: Fault[]): void {
    this.faults = faults.map((fault) => ({ fault, fired: 0 }));
  }

  /** The faults that fire for this request, in order; counts them as fired. */
  take(pathname: string, pathAndQuery: string): Fault[] {
    const hits: Fault[] = [];
    for (const entry of this.faults) {
      const { fault } = entry;
      const matches = typeof fault.path === "string" ? pathname.startsWith(fault.path) : fault.path.test(pathAndQuery);
      if (!matches || (fault.times !== undefined && entry.fired >= fault.times)) continue;
      entry.fired++;
      hits.push(fault);
    }
    return hits;
  }
}
