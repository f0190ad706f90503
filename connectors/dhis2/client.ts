/**
 * The DHIS2 Web API client: connection test, paged metadata, analytics and dataValueSets requests.
 * It takes `fetch` and an AbortSignal so tests drive it against the stand-in server and the runner can cancel it.
 */
import { type Dhis2Auth, type RetryOptions, retrySchema } from "./config-schema.ts";
import { Dhis2Error } from "./errors.ts";
import { getJson, type HttpContext } from "./http.ts";

export interface Dhis2ClientOptions {
  baseUrl: string;
  auth: Dhis2Auth;
  fetch: typeof fetch;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  random?: () => number;
  onRetry?: HttpContext["onRetry"];
}

export interface ConnectionInfo {
  version: string;
  systemName: string;
  userName: string;
}

export interface Pager {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
}

export interface AnalyticsHeader {
  name: string;
  column?: string;
}

export interface AnalyticsResponse {
  headers: AnalyticsHeader[];
  rows: string[][];
  metaData?: { items?: Record<string, { name?: string }>; dimensions?: Record<string, string[]> };
  height?: number;
}

export interface AnalyticsQuery {
  dx: string[];
  pe: string[];
  ou: string[];
}

export interface DataValueSetsQuery {
  dataSets?: string[];
  dataElements?: string[];
  periods?: string[];
  startDate?: string;
  endDate?: string;
  orgUnits: string[];
  children?: boolean;
}

/** An org unit as the metadata API returns it; which properties are present depends on `fields`. */
export interface RawOrgUnit {
  id: string;
  code?: string;
  name?: string;
  displayName?: string;
  level: number;
  path: string;
  parent?: { id: string };
  geometry?: unknown;
}

type Params = Record<string, string | string[] | number | boolean | undefined>;

export class Dhis2Client {
  readonly baseUrl: string;
  private readonly http: HttpContext;

  constructor(options: Dhis2ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "").replace(/\/api$/, "");
    this.http = {
      fetch: options.fetch,
      signal: options.signal ?? new AbortController().signal,
      auth: options.auth,
      retry: retrySchema.parse(options.retry ?? {}),
      random: options.random,
      onRetry: options.onRetry,
    };
  }

  /** Absolute URL of an API path with its query; the same string appears in errors and in record places. */
  url(path: string, params: Params = {}): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
    }
    const query = search.toString();
    return `${this.baseUrl}/api/${path.replace(/^\/+/, "")}${query ? `?${query}` : ""}`;
  }

  get<T = unknown>(path: string, params: Params = {}): Promise<T> {
    return getJson<T>(this.url(path, params), this.http);
  }

  /** "Test connection": the server's version and name, and who we are logged in as. */
  async testConnection(): Promise<ConnectionInfo> {
    const info = await this.get<{ version?: string; systemName?: string }>("system/info");
    const me = await this.get<{ displayName?: string; name?: string; username?: string }>("me", {
      fields: "id,username,displayName,name",
    });
    if (typeof info?.version !== "string") {
      throw new Dhis2Error(
        "unexpected",
        `The server at ${this.url("system/info")} answered, but not like DHIS2 (no version in /api/system/info). Check the base URL.`,
        this.url("system/info"),
      );
    }
    return {
      version: info.version,
      systemName: info.systemName ?? "DHIS2",
      userName: me.displayName ?? me.name ?? me.username ?? "",
    };
  }

  /**
   * Every item of a paged metadata collection, page by page (DHIS2's pager), so no single response is huge.
   * `onPage` sees each page with its URL, for progress and record places.
   */
  async listAll<T = Record<string, unknown>>(
    resource: string,
    options: {
      fields: string;
      filters?: string[];
      pageSize?: number;
      onPage?: (items: T[], url: string, page: number) => void;
    } = { fields: "id,displayName" },
  ): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const params = {
        fields: options.fields,
        filter: options.filters,
        page,
        pageSize: options.pageSize ?? 500,
        order: "id:asc",
      };
      const url = this.url(resource, params);
      const body = await this.get<{ pager?: Pager } & Record<string, unknown>>(resource, params);
      const key = resource.split("/").pop()!;
      const items = body[key];
      if (!Array.isArray(items)) {
        throw new Dhis2Error("unexpected", `DHIS2 response from ${url} has no '${key}' list`, url);
      }
      all.push(...(items as T[]));
      options.onPage?.(items as T[], url, page);
      if (!body.pager || page >= body.pager.pageCount || items.length === 0) return all;
    }
  }

  listOrgUnitLevels() {
    return this.listAll<{ id: string; level: number; name: string; displayName?: string }>("organisationUnitLevels", {
      fields: "id,level,name,displayName",
    });
  }

  listDataElements(filters?: string[]) {
    return this.listAll<{
      id: string;
      code?: string;
      name: string;
      valueType?: string;
      aggregationType?: string;
      categoryCombo?: { id: string };
    }>("dataElements", {
      fields: "id,code,name,displayName,shortName,valueType,aggregationType,domainType,categoryCombo[id]",
      filters,
    });
  }

  listIndicators(filters?: string[]) {
    return this.listAll<{ id: string; code?: string; name: string; numerator?: string; denominator?: string }>("indicators", {
      fields: "id,code,name,displayName,shortName,numerator,denominator,indicatorType",
      filters,
    });
  }

  listCategoryOptionCombos(filters?: string[]) {
    return this.listAll<{ id: string; code?: string; name: string; categoryCombo?: { id: string } }>("categoryOptionCombos", {
      fields: "id,code,name,displayName,categoryCombo[id]",
      filters,
    });
  }

  listDataSets(filters?: string[]) {
    return this.listAll<{ id: string; code?: string; name: string; periodType?: string }>("dataSets", {
      fields: "id,code,name,displayName,periodType,dataSetElements[dataElement[id]]",
      filters,
    });
  }

  listOrgUnits(
    options: {
      fields?: string;
      filters?: string[];
      pageSize?: number;
      onPage?: (items: unknown[], url: string, page: number) => void;
    } = {},
  ) {
    return this.listAll<RawOrgUnit>("organisationUnits", {
      fields: options.fields ?? "id,code,name,level,path,parent[id]",
      filters: options.filters,
      pageSize: options.pageSize,
      onPage: options.onPage,
    });
  }

  analyticsUrl(q: AnalyticsQuery): string {
    return this.url("analytics", analyticsParams(q));
  }

  fetchAnalytics(q: AnalyticsQuery): Promise<AnalyticsResponse> {
    return this.get<AnalyticsResponse>("analytics", analyticsParams(q));
  }

  dataValueSetsUrl(q: DataValueSetsQuery): string {
    return this.url("dataValueSets", dataValueSetsParams(q));
  }

  fetchDataValueSets(q: DataValueSetsQuery): Promise<unknown> {
    return this.get("dataValueSets", dataValueSetsParams(q));
  }
}

function analyticsParams(q: AnalyticsQuery): Params {
  return { dimension: [`dx:${q.dx.join(";")}`, `pe:${q.pe.join(";")}`, `ou:${q.ou.join(";")}`] };
}

function dataValueSetsParams(q: DataValueSetsQuery): Params {
  return {
    dataSet: q.dataSets?.length ? q.dataSets : undefined,
    dataElement: q.dataElements?.length ? q.dataElements : undefined,
    period: q.periods?.length ? q.periods : undefined,
    startDate: q.startDate,
    endDate: q.endDate,
    orgUnit: q.orgUnits,
    children: q.children ? true : undefined,
  };
}
