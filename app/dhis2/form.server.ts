/**
 * The "New DHIS2 source" form on the server: read the fields, test the connection (and fetch what the pickers list),
 * and create the source: spec from DHIS2's metadata, optional org-unit import, sealed credentials, run started.
 * Credentials come in with each submission and never go back out: results hold names and ids only.
 */
import { z } from "zod";
import { slugSchema } from "../../connectors/core/pipeline-spec.ts";
import { type Dhis2Auth, Dhis2Client, Dhis2Error, dhis2ConfigSchema } from "../../connectors/dhis2/index.ts";
import { dhis2PipelineSpec, fetchDhis2SpecMetadata } from "../../connectors/dhis2/pipeline.ts";

export interface PickerItem {
  id: string;
  name: string;
}

export interface ConnectionResult {
  connection: { version: string; systemName: string; userName: string };
  dataElements: PickerItem[];
  indicators: PickerItem[];
  levels: { level: number; name: string }[];
  roots: PickerItem[];
}

const connectionSchema = z.object({
  baseUrl: z.string().trim().min(1, "the DHIS2 URL is required"),
  authType: z.enum(["basic", "token"]),
  username: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
});

export class FormError extends Error {}

function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

export function readConnection(form: FormData): { baseUrl: string; auth: Dhis2Auth } {
  const c = connectionSchema.parse({
    baseUrl: text(form, "baseUrl"),
    authType: text(form, "authType") || "basic",
    username: text(form, "username"),
    password: text(form, "password"),
    token: text(form, "token"),
  });
  const auth: Dhis2Auth =
    c.authType === "token"
      ? { type: "token", token: (c.token ?? "").trim() }
      : { type: "basic", username: (c.username ?? "").trim(), password: c.password ?? "" };
  if (auth.type === "token" && !auth.token) throw new FormError("the personal access token is required");
  if (auth.type === "basic" && (!auth.username || !auth.password)) throw new FormError("the username and password are required");
  if (!/^https?:\/\//i.test(c.baseUrl)) throw new FormError("the DHIS2 URL must start with http:// or https://");
  return { baseUrl: c.baseUrl, auth };
}

export function clientFor(connection: { baseUrl: string; auth: Dhis2Auth }, signal?: AbortSignal): Dhis2Client {
  return new Dhis2Client({ ...connection, fetch: globalThis.fetch, signal, retry: { retries: 1, timeoutMs: 30_000 } });
}

const byName = (a: PickerItem, b: PickerItem) => a.name.localeCompare(b.name);

/** Connection test plus the lists the pickers offer. */
export async function testConnection(connection: { baseUrl: string; auth: Dhis2Auth }): Promise<ConnectionResult> {
  const client = clientFor(connection);
  const info = await client.testConnection();
  const [dataElements, indicators, levels, roots] = await Promise.all([
    client.listAll<{ id: string; name?: string; displayName?: string }>("dataElements", {
      fields: "id,name,displayName",
    }),
    client.listAll<{ id: string; name?: string; displayName?: string }>("indicators", { fields: "id,name,displayName" }),
    client.listOrgUnitLevels(),
    client.listOrgUnits({ fields: "id,name,displayName,level,path", filters: ["level:eq:1"] }),
  ]);
  const item = (i: { id: string; name?: string; displayName?: string }) => ({ id: i.id, name: i.displayName ?? i.name ?? i.id });
  return {
    connection: info,
    dataElements: dataElements.map(item).sort(byName),
    indicators: indicators.map(item).sort(byName),
    levels: levels.map((l) => ({ level: Number(l.level), name: l.displayName ?? l.name })).sort((a, b) => a.level - b.level),
    roots: roots.map(item).sort(byName),
  };
}

/** Periods as typed: "LAST_12_MONTHS, 2024Q1 202401" → ["LAST_12_MONTHS", "2024Q1", "202401"]. */
export function splitPeriods(raw: string): string[] {
  return raw
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The form's selection → a validated pipeline spec, with field names and aggregations from DHIS2. */
export async function buildSpecFromForm(form: FormData) {
  const connection = readConnection(form);
  const title = text(form, "title").trim();
  if (!title) throw new FormError("the dataset title is required");
  const slug = slugSchema.safeParse(text(form, "slug").trim());
  if (!slug.success) throw new FormError(`short name: ${slug.error.issues[0]?.message ?? "invalid"}`);
  const dx = form.getAll("dx").map(String);
  const level = Number(text(form, "level"));
  const parsed = dhis2ConfigSchema.safeParse({
    ...connection,
    mode: "analytics",
    selection: {
      dataElements: dx.filter((d) => d.startsWith("de:")).map((d) => d.slice(3)),
      indicators: dx.filter((d) => d.startsWith("in:")).map((d) => d.slice(3)),
      periods: splitPeriods(text(form, "periods")),
      orgUnits: { roots: form.getAll("root").map(String).filter(Boolean), levels: level > 0 ? [level] : [] },
    },
  });
  if (!parsed.success) {
    throw new FormError(parsed.error.issues.map((i) => i.message).join("; "));
  }
  const config = parsed.data;
  const metadata = await fetchDhis2SpecMetadata(clientFor(connection), config.selection, { mode: config.mode });
  const spec = dhis2PipelineSpec({ dataset: { slug: slug.data, title }, config, metadata });
  return { spec, connection, importOrgUnits: form.get("importOrgUnits") === "on" };
}

/** What the form shows for an error: DHIS2's own message (with the URL) or the form's. */
export function formErrorMessage(error: unknown): string | null {
  if (error instanceof FormError || error instanceof Dhis2Error) return error.message;
  if (error instanceof z.ZodError) return error.issues.map((i) => i.message).join("; ");
  return null;
}
