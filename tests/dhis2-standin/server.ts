/**
 * A DHIS2 Web API stand-in for tests: node:http on 127.0.0.1, a free port, the real recorded responses from
 * ../shared/fixtures/dhis2-*, DHIS2's auth (basic or `ApiToken d2pat_…`), paging, field selection and filters, and
 * injectable faults. Every request is logged in `requests` so tests can assert what the client asked for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerAnalytics, ConflictError } from "./analytics.ts";
import { answerDataValueSets } from "./datavaluesets.ts";
import { type Fault, FaultTable } from "./faults.ts";
import { loadStandinData, type StandinData } from "./fixtures.ts";
import { applyFilters, paginate, QueryError, selectFields } from "./query.ts";

export type { Fault } from "./faults.ts";

export const STANDIN_USER = { username: "admin", password: "district" };
export const STANDIN_TOKEN = "d2pat_5xVA12xyUbWNedQxy4ohH77WlxRGVvZZ1151814092";

export interface LoggedRequest {
  method: string;
  /** Path without the query string, API version stripped ("/api/analytics"). */
  path: string;
  params: URLSearchParams;
  /** Path and query string exactly as received. */
  url: string;
  status?: number;
}

export interface StandinOptions {
  faults?: Fault[];
  /** The server's date for relative periods; defaults to one that matches when the analytics fixtures were recorded. */
  today?: string;
}

export interface Dhis2Standin {
  url: string;
  close(): Promise<void>;
  setFaults(faults: Fault[]): void;
  requests: LoggedRequest[];
}

function webMessage(status: number, message: string, extra: Record<string, unknown> = {}) {
  const httpStatus =
    {
      400: "Bad Request",
      401: "Unauthorized",
      403: "Forbidden",
      404: "Not Found",
      409: "Conflict",
      500: "Internal Server Error",
      502: "Bad Gateway",
      503: "Service Unavailable",
      504: "Gateway Timeout",
    }[status] ?? "Error";
  return { httpStatus, httpStatusCode: status, status: "ERROR", message, ...extra };
}

function authorized(req: IncomingMessage): boolean {
  const header = req.headers.authorization ?? "";
  if (header.startsWith("Basic ")) {
    const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
    return user === STANDIN_USER.username && rest.join(":") === STANDIN_USER.password;
  }
  if (header.startsWith("ApiToken ")) return header.slice(9).trim() === STANDIN_TOKEN;
  return false;
}

type Handler = (params: URLSearchParams, self: URL, data: StandinData, today: string) => unknown;

function collection(key: string, items: (d: StandinData) => unknown[], defaultFields = "id,displayName"): Handler {
  return (params, self, data) => {
    const filtered = applyFilters(items(data), params);
    const { items: page, pager } = paginate(filtered, params, self);
    return { ...(pager ? { pager } : {}), [key]: selectFields(page, params.get("fields"), defaultFields) };
  };
}

const ROUTES: Record<string, Handler> = {
  "/api/system/info": (_p, _s, data) => data.systemInfo,
  "/api/me": (params, _s, data) => (params.get("fields") ? selectFields([data.me], params.get("fields"))[0] : data.me),
  "/api/organisationUnits": collection("organisationUnits", (d) => d.orgUnits),
  "/api/organisationUnitLevels": collection("organisationUnitLevels", (d) =>
    [...d.orgUnitLevels].sort((a, b) => Number(a.level) - Number(b.level)),
  ),
  "/api/dataElements": collection("dataElements", (d) => d.dataElements),
  "/api/indicators": collection("indicators", (d) => d.indicators),
  "/api/categoryOptionCombos": collection("categoryOptionCombos", (d) => d.categoryOptionCombos),
  "/api/dataSets": collection("dataSets", (d) => d.dataSets),
  "/api/analytics": (params, _s, data, today) => answerAnalytics(params, data, today),
  "/api/dataValueSets": (params, _s, data) => answerDataValueSets(params, data),
};

/** "/api/40/analytics.json" → "/api/analytics". */
function normalizePath(pathname: string): string {
  return pathname
    .replace(/^\/api\/\d+\//, "/api/")
    .replace(/\.json$/, "")
    .replace(/\/+$/, "");
}

function route(path: string): { handler: Handler } | { single: string; id: string } | undefined {
  if (ROUTES[path]) return { handler: ROUTES[path] };
  const m = /^\/api\/(organisationUnits|dataElements|indicators|dataSets)\/([A-Za-z0-9]{11})$/.exec(path);
  return m ? { single: m[1], id: m[2] } : undefined;
}

export async function startDhis2Standin(options: StandinOptions = {}): Promise<Dhis2Standin> {
  const data = loadStandinData();
  const today = options.today ?? "2020-02-15";
  const faults = new FaultTable();
  faults.set(options.faults ?? []);
  const requests: LoggedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const self = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const path = normalizePath(self.pathname);
    const logged: LoggedRequest = { method: req.method ?? "GET", path, params: self.searchParams, url: req.url ?? "/" };
    requests.push(logged);
    const send = (status: number, body: unknown, broken = false) => {
      logged.status = status;
      let text = JSON.stringify(body);
      if (broken) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      res.writeHead(status, { "content-type": "application/json;charset=UTF-8" });
      res.end(text);
    };

    let broken = false;
    for (const fault of faults.take(path, `${path}${self.search}`)) {
      if (fault.kind === "delay") await new Promise((r) => setTimeout(r, fault.ms));
      else if (fault.kind === "hang")
        return; // the socket stays open until the client gives up or close() runs
      else if (fault.kind === "brokenJson") broken = true;
      else if (fault.kind === "destroy") {
        logged.status = 200;
        res.writeHead(200, { "content-type": "application/json;charset=UTF-8", "content-length": "100000" });
        res.write('{"partial": [');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      } else if (fault.kind === "status") {
        return send(fault.status, webMessage(fault.status, fault.message ?? `Injected HTTP ${fault.status}`));
      }
    }
    if (!authorized(req)) return send(401, webMessage(401, "Unauthorized"));
    if (req.method !== "GET") return send(405, webMessage(405, `Request method '${req.method}' not supported`));
    const target = route(path);
    if (!target) return send(404, webMessage(404, `No endpoint ${path} in the DHIS2 stand-in`));
    try {
      if ("single" in target) {
        const list = (data as unknown as Record<string, { id: string }[]>)[
          target.single === "organisationUnits" ? "orgUnits" : target.single
        ];
        const item = list.find((i) => i.id === target.id);
        if (!item)
          return send(
            404,
            webMessage(404, `${target.single.replace(/s$/, "")} with id ${target.id} could not be found.`, {
              errorCode: "E1005",
            }),
          );
        return send(200, selectFields([item], self.searchParams.get("fields"), "*")[0], broken);
      }
      return send(200, target.handler(self.searchParams, self, data, today), broken);
    } catch (error) {
      if (error instanceof ConflictError) return send(409, webMessage(409, error.message, { errorCode: error.errorCode }));
      if (error instanceof QueryError) return send(400, webMessage(400, error.message));
      return send(500, webMessage(500, String(error)));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFaults: (f) => faults.set(f),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
