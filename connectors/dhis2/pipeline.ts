/**
 * A DHIS2 source as a pipeline spec. DHIS2 data needs no column mapping from a person: records are long (one per value),
 * periods are DHIS2 ISO ids, locations are org unit ids (matched by id against a hierarchy imported from the same
 * DHIS2), and the category option combo is the disaggregation. Field names and aggregations come from DHIS2's metadata.
 */
import type { PipelineSpec } from "../core/pipeline-spec.ts";
import { pipelineSpecSchema } from "../core/pipeline-spec.ts";
import type { Aggregation } from "../core/types.ts";
import { aggregationFromDhis2, uniqueFieldIds } from "../harmonize/fields/index.ts";
import type { AnalyticsResponse, Dhis2Client } from "./client.ts";
import { type Dhis2Config, type Dhis2ConfigInput, dhis2ConfigSchema } from "./config-schema.ts";
import { Dhis2Error } from "./errors.ts";

/** A data element or indicator as the metadata API describes it. */
export interface Dhis2ItemMeta {
  id: string;
  name: string;
  code?: string | null;
  /** DHIS2 aggregationType (data elements); indicators have none. */
  aggregationType?: string | null;
  description?: string | null;
}

export interface Dhis2SpecMetadata {
  /** Every data element the run can return: the selected ones and the members of selected data sets. */
  dataElements: Dhis2ItemMeta[];
  indicators: Dhis2ItemMeta[];
  /** The org unit level the values sit at: the deepest selected level, or the level of the roots. */
  level: number;
}

export interface Dhis2SpecInput {
  dataset: { slug: string; title: string; description?: string };
  config: Dhis2ConfigInput;
  metadata: Dhis2SpecMetadata;
  /** Written in `observations.source`; defaults to "dhis2:<host>". */
  sourceLabel?: string;
}

/** The columns every DHIS2 record carries (connectors/dhis2/extract.ts). */
export const DHIS2_RECORD_COLUMNS = {
  field: "dataElement",
  period: "period",
  orgUnit: "orgUnit",
  disaggregation: "categoryOptionCombo",
  value: "value",
} as const;

/** Indicators are ratios computed by analytics: adding them over places or months gives nonsense, hence "none". */
const INDICATOR_AGGREGATION: Aggregation = "none";

export function dhis2PipelineSpec(input: Dhis2SpecInput): PipelineSpec {
  const config = dhis2ConfigSchema.parse(input.config);
  const { dataElements, indicators } = input.metadata;
  const items = [
    ...dataElements.map((d) => ({ ...d, kind: "data element" as const })),
    ...indicators.map((d) => ({ ...d, kind: "indicator" as const })),
  ];
  if (items.length === 0) throw new Error("DHIS2 source: no data element or indicator to read (the selection is empty)");
  const seen = new Set<string>();
  const unique = items.filter((i) => {
    if (seen.has(i.id)) return false;
    seen.add(i.id);
    return true;
  });
  const ids = uniqueFieldIds(unique.map((i) => i.name || i.code || i.id));
  const fields = unique.map((item, n) => ({
    field_id: ids[n],
    name: item.name || item.id,
    description: item.description || `DHIS2 ${item.kind} ${item.id}${item.code ? ` (code ${item.code})` : ""}`,
    unit: null,
    source_field_id: item.id,
    aggregation: item.kind === "indicator" ? INDICATOR_AGGREGATION : aggregationFromDhis2(item.aggregationType),
  }));
  return pipelineSpecSchema.parse({
    dataset: input.dataset,
    source: { kind: "dhis2", config },
    mapping: {
      source: input.sourceLabel ?? `dhis2:${new URL(config.baseUrl).host}`,
      period: { how: "dhis2-id", column: DHIS2_RECORD_COLUMNS.period },
      location: [{ column: DHIS2_RECORD_COLUMNS.orgUnit, level: input.metadata.level, by: "id" }],
      layout: { kind: "long", fieldColumn: DHIS2_RECORD_COLUMNS.field, valueColumn: DHIS2_RECORD_COLUMNS.value },
      disaggregationColumn: DHIS2_RECORD_COLUMNS.disaggregation,
    },
    fields,
  });
}

const inFilter = (ids: readonly string[]) => `id:in:[${ids.join(",")}]`;

type Listed = Dhis2ItemMeta & { displayName?: string };

export interface MetadataOptions {
  /**
   * Items the metadata API does not list (and analytics cannot name) are kept under their id instead of refused.
   * For data recorded elsewhere (the demo's bulk values); a person picking from lists never needs it.
   */
  allowUnnamed?: boolean;
}

/**
 * Names of dx items the metadata endpoints did not return, from analytics' own metaData (DHIS2 names every item of a
 * query, even ones a collection endpoint filters out); a 409 (unknown item) means DHIS2 does not know them either.
 */
async function analyticsNames(
  client: Dhis2Client,
  ids: string[],
  selection: Dhis2Config["selection"],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  try {
    const body = await client.get<AnalyticsResponse>("analytics", {
      dimension: [`dx:${ids.join(";")}`, `pe:${selection.periods[0]}`, `ou:${selection.orgUnits.roots[0]}`],
      skipData: true,
    });
    for (const id of ids) {
      const name = body.metaData?.items?.[id]?.name;
      if (name && name !== id) names.set(id, name);
    }
  } catch (error) {
    if (!(error instanceof Dhis2Error)) throw error;
  }
  return names;
}

async function complete(
  client: Dhis2Client,
  kind: string,
  wanted: readonly string[],
  found: Listed[],
  selection: Dhis2Config["selection"],
  options: MetadataOptions,
): Promise<Listed[]> {
  const have = new Set(found.map((f) => f.id));
  const absent = wanted.filter((id) => !have.has(id));
  if (absent.length === 0) return found;
  const names = await analyticsNames(client, absent, selection);
  const unknown = absent.filter((id) => !names.has(id));
  if (unknown.length > 0 && !options.allowUnnamed) {
    const url = client.url(kind === "indicator" ? "indicators" : "dataElements");
    throw new Dhis2Error("unexpected", `DHIS2 has no ${kind} with id ${unknown.join(", ")} (or this user cannot see it)`, url);
  }
  return [...found, ...absent.map((id) => ({ id, name: names.get(id) ?? id }))];
}

/**
 * The metadata dhis2PipelineSpec needs for a selection, fetched from DHIS2: names and aggregation types of the selected
 * data elements (and of the members of selected data sets), indicator names, and the level the values sit at.
 * With no level chosen, values sit at the roots in analytics mode; dataValueSets reads the roots' whole subtrees, where
 * data is entered at the deepest level.
 */
export async function fetchDhis2SpecMetadata(
  client: Dhis2Client,
  selection: Dhis2Config["selection"],
  options: MetadataOptions & { mode?: Dhis2Config["mode"] } = {},
): Promise<Dhis2SpecMetadata> {
  const elementIds = new Set(selection.dataElements);
  if (selection.dataSets.length > 0) {
    const sets = await client.listAll<{ id: string; dataSetElements?: { dataElement?: { id: string } }[] }>("dataSets", {
      fields: "id,name,dataSetElements[dataElement[id]]",
      filters: [inFilter(selection.dataSets)],
    });
    const absent = selection.dataSets.filter((id) => !sets.some((s) => s.id === id));
    if (absent.length > 0) {
      throw new Dhis2Error(
        "unexpected",
        `DHIS2 has no data set with id ${absent.join(", ")} (or this user cannot see it)`,
        client.url("dataSets"),
      );
    }
    for (const s of sets) for (const e of s.dataSetElements ?? []) if (e.dataElement?.id) elementIds.add(e.dataElement.id);
  }
  const listedElements = elementIds.size
    ? await client.listAll<Listed>("dataElements", {
        fields: "id,code,name,displayName,aggregationType,description",
        filters: [inFilter([...elementIds])],
      })
    : [];
  const dataElements = await complete(client, "data element", selection.dataElements, listedElements, selection, options);
  const listedIndicators = selection.indicators.length
    ? await client.listAll<Listed>("indicators", {
        fields: "id,code,name,displayName,description",
        filters: [inFilter(selection.indicators)],
      })
    : [];
  const indicators = await complete(client, "indicator", selection.indicators, listedIndicators, selection, options);

  let level = Math.max(0, ...selection.orgUnits.levels);
  if (level === 0 && options.mode === "dataValueSets") {
    level = Math.max(...(await client.listOrgUnitLevels()).map((l) => Number(l.level)));
  } else if (level === 0) {
    const roots = await client.listOrgUnits({ fields: "id,level,path", filters: [inFilter(selection.orgUnits.roots)] });
    const absent = selection.orgUnits.roots.filter((id) => !roots.some((r) => r.id === id));
    if (absent.length > 0) {
      throw new Dhis2Error(
        "unexpected",
        `DHIS2 has no org unit with id ${absent.join(", ")} (or this user cannot see it)`,
        client.url("organisationUnits"),
      );
    }
    level = Math.max(...roots.map((r) => Number(r.level) || String(r.path).split("/").filter(Boolean).length));
  }
  const named = (i: Listed): Dhis2ItemMeta => ({
    id: i.id,
    name: i.name ?? i.displayName ?? i.id,
    code: i.code ?? null,
    aggregationType: i.aggregationType ?? null,
    description: i.description ?? null,
  });
  return { dataElements: dataElements.map(named), indicators: indicators.map(named), level };
}
