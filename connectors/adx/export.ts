/**
 * Observations → an ADX document (urn:ihe:qrph:adx:2015): one `<group>` per location, period, data set (and group-level
 * attributes), the period written by toAdxPeriod, disaggregation attributes restored from their serialised form.
 * Written as text chunks so a dataset slice of millions of rows streams to a file or HTTP response without one big string.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Observation } from "../core/types.ts";
import { toAdxPeriod } from "../harmonize/periods/index.ts";
import { type Attributes, parseDisaggregation } from "./disaggregation.ts";
import { ADX_NAMESPACE, CATEGORY_OPTION_COMBO, GROUP_KEYS, METADATA_ATTRIBUTES } from "./types.ts";
import { decimalString, escapeAttribute } from "./xml-escape.ts";

export type IdLookup = ReadonlyMap<string, string> | ((id: string) => string | undefined);

export interface AdxExportOptions {
  /** Written on every group; ADX receivers such as DHIS2 use it to pick the data set. */
  dataSet?: string;
  /** Our canonical ids → the receiver's identifiers (e.g. DHIS2 codes); ids without an entry are written as they are. */
  idScheme?: { orgUnit?: IdLookup; dataElement?: IdLookup };
  /** Disaggregation attributes written on `<group>` rather than `<dataValue>` (DHIS2: the attribute option combo). */
  groupAttributes?: readonly string[];
  /** The root's `exported` timestamp (required by the ADX schema); defaults to now. */
  exported?: string;
}

export interface AdxExportSummary {
  groups: number;
  values: number;
  /** Observations whose location or field had no entry in the id scheme (written with our id). */
  unmappedIds: number;
}

/** Names that mean something else in ADX: a disaggregation using them is written whole as a categoryOptionCombo. */
const RESERVED = new Set<string>([...GROUP_KEYS, "dataElement", "value", ...METADATA_ATTRIBUTES]);
const CHUNK_CHARS = 64 * 1024;

interface Entry {
  observation: Observation;
  attributes: Attributes;
}

/** The ADX export as text chunks: header, groups batch by batch (grouped within each batch), footer. */
export class AdxChunkWriter {
  readonly summary: AdxExportSummary = { groups: 0, values: 0, unmappedIds: 0 };
  private readonly groupAttributes: ReadonlySet<string>;
  private readonly periods = new Map<string, string>();

  constructor(private readonly options: AdxExportOptions = {}) {
    this.groupAttributes = new Set(options.groupAttributes ?? ["attributeOptionCombo"]);
  }

  header(): string {
    const exported = escapeAttribute(this.options.exported ?? new Date().toISOString(), "exported");
    return `<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="${ADX_NAMESPACE}" exported="${exported}">\n`;
  }

  footer(): string {
    return "</adx>\n";
  }

  /**
   * Groups one batch and yields its XML in chunks of about 64 KB. Observations of one location and period that arrive
   * in different batches make separate groups (valid ADX); feed them sorted by location and period for fewer groups.
   */
  *batch(observations: readonly Observation[]): Generator<string> {
    const groups = new Map<string, { group: Attributes; entries: Entry[] }>();
    for (const observation of observations) {
      const all = this.attributesOf(observation.disaggregation);
      const group: Attributes = {};
      const own: Attributes = {};
      for (const [name, value] of Object.entries(all)) (this.groupAttributes.has(name) ? group : own)[name] = value;
      const key = [
        observation.location_id,
        observation.period_type,
        observation.period_start,
        ...Object.entries(group).flat(),
      ].join("\u0000");
      let found = groups.get(key);
      if (!found) {
        found = { group, entries: [] };
        groups.set(key, found);
      }
      found.entries.push({ observation, attributes: own });
    }
    let chunk = "";
    for (const { group, entries } of groups.values()) {
      chunk += this.groupStart(entries[0].observation, group);
      for (const entry of entries) {
        chunk += this.dataValue(entry);
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = "";
        }
      }
      chunk += "  </group>\n";
      this.summary.groups++;
    }
    if (chunk) yield chunk;
  }

  private attributesOf(disaggregation: string | null): Attributes {
    if (disaggregation === null || disaggregation === "") return {};
    const parsed = parseDisaggregation(disaggregation);
    const names = parsed ? Object.keys(parsed) : [];
    const plain = !parsed || names.some((n) => RESERVED.has(n)) || (names.length === 1 && names[0] === CATEGORY_OPTION_COMBO);
    return plain ? { [CATEGORY_OPTION_COMBO]: disaggregation } : parsed;
  }

  private groupStart(o: Observation, group: Attributes): string {
    const where = `location ${o.location_id}, period ${o.period_id}`;
    const orgUnit = escapeAttribute(this.lookup(this.options.idScheme?.orgUnit, o.location_id), `${where}: orgUnit`);
    const periodKey = `${o.period_type}\u0000${o.period_start}`;
    let period = this.periods.get(periodKey);
    if (period === undefined) {
      period = toAdxPeriod({ periodType: o.period_type, start: o.period_start });
      this.periods.set(periodKey, period);
    }
    let xml = `  <group orgUnit="${orgUnit}" period="${period}"`;
    if (this.options.dataSet !== undefined) xml += ` dataSet="${escapeAttribute(this.options.dataSet, "dataSet")}"`;
    xml += this.attributeText(group, where);
    return `${xml}>\n`;
  }

  private dataValue({ observation: o, attributes }: Entry): string {
    const where = `field ${o.field_id}, location ${o.location_id}, period ${o.period_id}`;
    const dataElement = escapeAttribute(this.lookup(this.options.idScheme?.dataElement, o.field_id), `${where}: dataElement`);
    const value = o.value !== null ? decimalString(o.value) : escapeAttribute(o.value_text ?? "", `${where}: value`);
    this.summary.values++;
    return `    <dataValue dataElement="${dataElement}"${this.attributeText(attributes, where)} value="${value}"/>\n`;
  }

  private attributeText(attributes: Attributes, where: string): string {
    let xml = "";
    for (const name of Object.keys(attributes).sort())
      xml += ` ${name}="${escapeAttribute(attributes[name], `${where}: ${name}`)}"`;
    return xml;
  }

  private lookup(scheme: IdLookup | undefined, id: string): string {
    if (!scheme) return id;
    const mapped = typeof scheme === "function" ? scheme(id) : scheme.get(id);
    if (mapped === undefined) this.summary.unmappedIds++;
    return mapped ?? id;
  }
}

/** The whole document as one string: for small slices and tests. Use writeAdx for anything big. */
export function exportAdx(observations: readonly Observation[], options: AdxExportOptions = {}): string {
  const writer = new AdxChunkWriter(options);
  return writer.header() + [...writer.batch(observations)].join("") + writer.footer();
}

type Source = readonly Observation[] | Iterable<readonly Observation[]> | AsyncIterable<readonly Observation[]>;

/**
 * Streams an ADX document to `out`, batch by batch, waiting for 'drain' when the stream is full.
 * Ends the stream (and waits for it to finish) unless `end: false`.
 */
export async function writeAdx(
  out: Writable,
  source: Source,
  options: AdxExportOptions & { end?: boolean } = {},
): Promise<AdxExportSummary> {
  const writer = new AdxChunkWriter(options);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(writer.header());
  const batches: Iterable<readonly Observation[]> | AsyncIterable<readonly Observation[]> = isBatch(source) ? [source] : source;
  for await (const batch of batches) for (const chunk of writer.batch(batch)) await write(chunk);
  await write(writer.footer());
  if (options.end !== false) {
    out.end();
    await finished(out);
  }
  return writer.summary;
}

const isBatch = (source: Source): source is readonly Observation[] =>
  Array.isArray(source) && (source.length === 0 || !Array.isArray(source[0]));
