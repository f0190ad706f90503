/**
 * An ADX file as a pipeline spec. ADX is long by nature (one `<dataValue>` per value) and its periods are read into
 * DHIS2 ids by the connector, so the mapping is preset: field = dataElement, period = the DHIS2 id, location = orgUnit
 * (matched by id, code or name as the file's id scheme says), disaggregation = the value's attributes.
 */
import { basename } from "node:path";
import type { PipelineSpec } from "../core/pipeline-spec.ts";
import { pipelineSpecSchema } from "../core/pipeline-spec.ts";
import type { Aggregation } from "../core/types.ts";
import { uniqueFieldIds } from "../harmonize/fields/index.ts";
import { type AdxConfigInput, adxConfigSchema } from "./config-schema.ts";
import { parseAdx } from "./extract.ts";
import { readXmlFile } from "./xml-text.ts";

export interface AdxSpecInput {
  dataset: { slug: string; title: string; description?: string };
  config: AdxConfigInput;
  /** The hierarchy level the file's org units are at (1 = country). */
  level: number;
  /** Names for data element identifiers (e.g. from the data set's DSD); the identifier itself is the name otherwise. */
  names?: Readonly<Record<string, string>>;
  /** Data elements to expect; by default the distinct dataElement values found in the file. */
  dataElements?: readonly string[];
  aggregation?: Aggregation;
  /** Written in `observations.source`; defaults to "adx:<file name>". */
  sourceLabel?: string;
}

const LOCATION_BY = { uid: "id", code: "code", name: "name" } as const;

/** The distinct dataElement identifiers of an ADX file, in order of first appearance (malformed files throw, located). */
export async function adxDataElements(config: AdxConfigInput): Promise<string[]> {
  const parsed = adxConfigSchema.parse(config);
  const file = parsed.name ?? basename(parsed.path);
  const { records } = parseAdx(await readXmlFile(parsed.path, file), file);
  return [...new Set(records.map((r) => String(r.values.dataElement)))];
}

export async function adxPipelineSpec(input: AdxSpecInput): Promise<PipelineSpec> {
  const config = adxConfigSchema.parse(input.config);
  const elements = input.dataElements ?? (await adxDataElements(config));
  if (elements.length === 0) throw new Error(`ADX file ${config.name ?? basename(config.path)}: no data element to read`);
  const names = elements.map((e) => input.names?.[e] ?? e);
  const ids = uniqueFieldIds(names);
  return pipelineSpecSchema.parse({
    dataset: input.dataset,
    source: { kind: "adx", config },
    mapping: {
      source: input.sourceLabel ?? `adx:${config.name ?? basename(config.path)}`,
      period: { how: "dhis2-id", column: "periodId" },
      location: [{ column: "orgUnit", level: input.level, by: LOCATION_BY[config.idScheme ?? "code"] }],
      layout: { kind: "long", fieldColumn: "dataElement", valueColumn: "value" },
      disaggregationColumn: "disaggregation",
    },
    fields: elements.map((element, n) => ({
      field_id: ids[n],
      name: names[n],
      description: `ADX data element ${element}`,
      unit: null,
      source_field_id: element,
      aggregation: input.aggregation ?? "sum",
    })),
  });
}
