/**
 * The DHIS2 connector (connectors/core/types.ts contract): resolves the selection (relative periods → ISO ids, levels
 * under roots → org unit ids), splits it into chunks, and yields one RawBatch per fetched chunk. Chunks recorded as done
 * in the ledger are skipped, so a re-run after an interruption fetches only what is missing.
 *
 * Records carry the columns dataElement (the dx id in analytics mode: a data element or an indicator), period, orgUnit,
 * categoryOptionCombo, attributeOptionCombo and value (as DHIS2 sent it, a string), with place {url, page = chunk number}.
 */
import type { Connector, ExtractContext, RawBatch, RawRecord } from "../core/types.ts";
import type { ChunkStore } from "./chunk-store.ts";
import { type Chunk, type ChunkLedger, memoryLedger, planChunks } from "./chunks.ts";
import { type AnalyticsResponse, Dhis2Client } from "./client.ts";
import { type Dhis2Config, type Dhis2ConfigInput, dhis2ConfigSchema } from "./config-schema.ts";
import { readDataValueSet } from "./datavalueset.ts";
import { Dhis2Error } from "./errors.ts";
import { expandPeriods } from "./periods.ts";

export interface Dhis2ConnectorOptions {
  /** Where finished chunks are remembered; the runner passes one persisted per source. Default: in memory (no resume). */
  ledger?: ChunkLedger;
  /**
   * Where fetched chunks' records are kept until the run publishes: a re-run after an interruption reads them from here
   * instead of fetching them again. The runner passes one per source.
   */
  chunkStore?: ChunkStore;
  /** "Today" for relative periods when the config has no referenceDate. */
  now?: () => Date;
  random?: () => number;
}

/** Org unit ids for the selection: the roots themselves, or every unit at the chosen levels under them. */
export async function resolveOrgUnitIds(client: Dhis2Client, orgUnits: Dhis2Config["selection"]["orgUnits"]): Promise<string[]> {
  if (orgUnits.levels.length === 0) return [...orgUnits.roots];
  const ids = new Set<string>();
  for (const root of orgUnits.roots) {
    const units = await client.listOrgUnits({
      fields: "id,path",
      filters: [`level:in:[${orgUnits.levels.join(",")}]`, `path:like:${root}`],
    });
    for (const u of units) if (String(u.path).split("/").includes(root)) ids.add(u.id);
  }
  if (ids.size === 0) {
    throw new Dhis2Error(
      "unexpected",
      `DHIS2 has no org units at level ${orgUnits.levels.join(", ")} under ${orgUnits.roots.join(", ")}`,
      client.url("organisationUnits"),
    );
  }
  return [...ids].sort();
}

function analyticsRecords(body: AnalyticsResponse, url: string, page: number): RawRecord[] {
  const names = (body.headers ?? []).map((h) => h.name);
  const [dx, pe, ou, value, co] = ["dx", "pe", "ou", "value", "co"].map((n) => names.indexOf(n));
  if (dx < 0 || pe < 0 || ou < 0 || value < 0 || !Array.isArray(body.rows)) {
    throw new Dhis2Error(
      "unexpected",
      `DHIS2 analytics response from ${url} lacks the dx, pe, ou or value column (headers: ${names.join(", ") || "none"})`,
      url,
    );
  }
  return body.rows.map((r) => ({
    values: {
      dataElement: r[dx],
      period: r[pe],
      orgUnit: r[ou],
      categoryOptionCombo: co >= 0 ? r[co] : null,
      attributeOptionCombo: null,
      value: r[value],
    },
    place: { url, page },
  }));
}

async function* run(config: Dhis2Config, ctx: ExtractContext, options: Dhis2ConnectorOptions): AsyncGenerator<RawBatch> {
  // Chunks finished so far; retry notices reuse it so a progress bar never jumps back.
  const state = { done: 0, total: undefined as number | undefined };
  const client = new Dhis2Client({
    baseUrl: config.baseUrl,
    auth: config.auth,
    fetch: ctx.fetch,
    signal: ctx.signal,
    retry: config.retry,
    random: options.random,
    onRetry: ({ url, attempt, error }) =>
      ctx.progress({
        phase: "extract",
        done: state.done,
        total: state.total,
        message: `retry ${attempt} after: ${error.message.replace(url, "").trim()} (${url})`,
      }),
  });
  const sel = config.selection;
  const reference = sel.referenceDate ? new Date(`${sel.referenceDate}T00:00:00Z`) : (options.now?.() ?? new Date());
  const periods = expandPeriods(sel.periods, reference);
  const ou = await resolveOrgUnitIds(client, sel.orgUnits);
  const ledger = options.ledger ?? memoryLedger();
  const analytics = config.mode === "analytics";
  const knownOrgUnits = sel.orgUnits.levels.length ? new Set(ou) : undefined;
  // DHIS2 refuses data values whose category option combo it does not know; so do we, per value, instead of publishing them.
  const knownCombos = analytics ? undefined : new Set((await client.listCategoryOptionCombos()).map((c) => c.id));

  const chunks: Chunk[] = analytics
    ? planChunks("analytics", { dx: [...sel.dataElements, ...sel.indicators], pe: periods, ou }, config.chunking)
    : planChunks(
        "dataValueSets",
        { dx: [...sel.dataSets.map((d) => `ds:${d}`), ...sel.dataElements.map((d) => `de:${d}`)], pe: periods, ou },
        { ...config.chunking, dataItemsPerChunk: Number.MAX_SAFE_INTEGER },
      );

  state.total = chunks.length;
  for (const [i, chunk] of chunks.entries()) {
    const page = i + 1;
    state.done = i;
    if (await ledger.isDone(chunk.key)) {
      ctx.progress({ phase: "extract", done: page, total: chunks.length, message: `chunk ${page} already fetched` });
      continue;
    }
    const table = analytics ? "analytics" : "dataValueSets";
    const kept = await options.chunkStore?.load(chunk.key);
    if (kept) {
      ctx.progress({ phase: "extract", done: page, total: chunks.length, message: `chunk ${page} kept from an earlier run` });
      if (kept.length > 0) yield { table, records: kept };
      await ledger.done(chunk.key);
      continue;
    }
    let records: RawRecord[];
    if (analytics) {
      const url = client.analyticsUrl(chunk);
      records = analyticsRecords(await client.fetchAnalytics(chunk), url, page);
    } else {
      const query = {
        dataSets: chunk.dx.filter((d) => d.startsWith("ds:")).map((d) => d.slice(3)),
        dataElements: chunk.dx.filter((d) => d.startsWith("de:")).map((d) => d.slice(3)),
        periods: chunk.pe,
        orgUnits: chunk.ou,
        children: sel.orgUnits.levels.length === 0,
      };
      const url = client.dataValueSetsUrl(query);
      const parsed = readDataValueSet(await client.fetchDataValueSets(query), {
        known: { orgUnits: knownOrgUnits, categoryOptionCombos: knownCombos?.size ? knownCombos : undefined },
      });
      for (const r of parsed.rejections)
        ctx.report({ severity: "warning", message: `rejected ${r.message}`, place: { url, page } });
      records = parsed.values.map(({ index: _index, ...values }) => ({ values, place: { url, page } }));
    }
    // Durable before it is handed on: if this run dies later, the next one starts from here.
    await options.chunkStore?.save(chunk.key, records);
    if (records.length > 0) yield { table, records };
    // Reached only once the consumer has taken the batch, so a chunk is never marked done before its rows are kept.
    await ledger.done(chunk.key);
    ctx.progress({ phase: "extract", done: page, total: chunks.length });
  }
}

export function createDhis2Connector(options: Dhis2ConnectorOptions = {}): Connector<Dhis2ConfigInput> {
  return {
    kind: "dhis2",
    extract: (input, ctx) => run(dhis2ConfigSchema.parse(input), ctx, options),
  };
}

export const dhis2Connector = createDhis2Connector();
