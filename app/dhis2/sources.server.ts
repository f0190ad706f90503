/**
 * Saved DHIS2 sources: the pipeline spec is stored with its secret replaced by a placeholder, and the real credentials
 * sealed (connectors/dhis2/credentials.ts, AES-GCM bound to the source id) in `sources.sealed_credentials`. Only the
 * pipeline child process unseals them, right before its run; nothing here returns a secret to a caller that renders.
 */
import { desc, eq } from "drizzle-orm";
import type { Catalog } from "../../connectors/core/catalog.ts";
import type { PipelineSpec } from "../../connectors/core/pipeline-spec.ts";
import { type Dhis2Auth, decryptCredentials, encryptCredentials } from "../../connectors/dhis2/index.ts";
import { type Db, schema } from "../../db/index.ts";
import { loadServerKey } from "./server-key.server.ts";

/** What a stored spec holds instead of the password or token. */
export const SEALED = "(sealed)";

/** The auth as stored in a spec: its shape (and the username) survive, the secret does not. */
export function placeholderAuth(auth: Dhis2Auth): Dhis2Auth {
  return auth.type === "basic" ? { type: "basic", username: auth.username, password: SEALED } : { type: "token", token: SEALED };
}

/** The spec without its secret, as stored in `sources.config` and written to the run's spec file. */
export function withoutSecret(spec: PipelineSpec): PipelineSpec {
  if (spec.source.kind !== "dhis2") return spec;
  return {
    ...spec,
    source: { kind: "dhis2", config: { ...spec.source.config, auth: placeholderAuth(spec.source.config.auth) } },
  };
}

export class SourceConflictError extends Error {}

/**
 * Creates the dataset (its slug must be free) and a DHIS2 source for it; the credentials are sealed with the server key.
 * Returns the source id the run manager is started with.
 */
export function saveDhis2Source(
  deps: { db: Db; catalog: Catalog; dataDir: string },
  spec: PipelineSpec,
  userId: string | null,
): { sourceId: string; datasetId: string } {
  if (spec.source.kind !== "dhis2") throw new Error("saveDhis2Source: the spec is not a DHIS2 source");
  if (deps.catalog.bySlug(spec.dataset.slug)) {
    throw new SourceConflictError(`a dataset named "${spec.dataset.slug}" already exists: choose another short name`);
  }
  const auth = spec.source.config.auth;
  const dataset = deps.catalog.ensureDataset({
    slug: spec.dataset.slug,
    title: spec.dataset.title,
    description: spec.dataset.description,
    sourceKind: "dhis2",
    ownerId: userId,
  });
  const sourceId = deps.catalog.saveSource({
    datasetId: dataset.id,
    kind: "dhis2",
    name: spec.dataset.title,
    config: withoutSecret(spec) as unknown as Record<string, unknown>,
    createdBy: userId,
  });
  const sealed = encryptCredentials(auth, loadServerKey(deps.dataDir), sourceId);
  deps.db.update(schema.sources).set({ sealedCredentials: sealed }).where(eq(schema.sources.id, sourceId)).run();
  return { sourceId, datasetId: dataset.id };
}

/** The real credentials of a saved source, or null when it has none sealed. Server-side only (the pipeline child). */
export function unsealSourceAuth(db: Db, dataDir: string, sourceId: string): Dhis2Auth | null {
  const row = db
    .select({ sealed: schema.sources.sealedCredentials })
    .from(schema.sources)
    .where(eq(schema.sources.id, sourceId))
    .get();
  if (!row?.sealed) return null;
  return decryptCredentials(row.sealed, loadServerKey(dataDir), sourceId);
}

/** Puts a saved source's sealed credentials back into its spec, for the run only. */
export function withSealedCredentials(spec: PipelineSpec, db: Db, dataDir: string, sourceId: string | null): PipelineSpec {
  if (spec.source.kind !== "dhis2" || !sourceId) return spec;
  const auth = unsealSourceAuth(db, dataDir, sourceId);
  return auth ? { ...spec, source: { kind: "dhis2", config: { ...spec.source.config, auth } } } : spec;
}

export interface SourceListItem {
  id: string;
  kind: string;
  name: string;
  /** Host of a DHIS2 source, file name of a file source: never credentials. */
  origin: string | null;
  createdAt: string;
  dataset: { slug: string; title: string } | null;
  lastRun: {
    id: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    version: number | null;
    error: string | null;
  } | null;
}

function originOf(kind: string, config: Record<string, unknown>): string | null {
  const source = (config.source ?? {}) as { config?: { baseUrl?: string; name?: string; path?: string } };
  if (kind === "dhis2" && source.config?.baseUrl) {
    try {
      return new URL(source.config.baseUrl).host;
    } catch {
      return null;
    }
  }
  return source.config?.name ?? null;
}

/** Every saved source with its dataset and last run, newest first: what the sources page shows. */
export function listSources(db: Db): SourceListItem[] {
  const rows = db
    .select({ source: schema.sources, dataset: { slug: schema.datasets.slug, title: schema.datasets.title } })
    .from(schema.sources)
    .leftJoin(schema.datasets, eq(schema.sources.datasetId, schema.datasets.id))
    .orderBy(desc(schema.sources.createdAt))
    .all();
  return rows.map(({ source, dataset }) => {
    const last = db
      .select()
      .from(schema.runs)
      .where(eq(schema.runs.sourceId, source.id))
      .orderBy(desc(schema.runs.startedAt))
      .get();
    return {
      id: source.id,
      kind: source.kind,
      name: source.name,
      origin: originOf(source.kind, source.config),
      createdAt: source.createdAt.toISOString(),
      dataset: dataset?.slug ? { slug: dataset.slug, title: dataset.title } : null,
      lastRun: last
        ? {
            id: last.id,
            status: last.status,
            startedAt: last.startedAt.toISOString(),
            finishedAt: last.finishedAt?.toISOString() ?? null,
            version: last.version,
            error: last.error,
          }
        : null,
    };
  });
}
