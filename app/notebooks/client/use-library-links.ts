/**
 * The page's linked library cells: each linked version's SQL fetched once (GET /queries/:id/v/:version.json, with the
 * reader's permissions: a 404 means private, another group's, or deleted), each query's summary re-read when the tab
 * comes back into focus and every minute (so "a newer version exists" shows up without a reload), and the cells handed
 * to the kernel with their library SQL. A linked cell whose SQL changes (Update, or a collaborator's Update) re-runs
 * when it had run before and the notebook is automatic, like an edited cell.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CellData } from "../../../collab/index.ts";
import type { CellRun, RunMode, SchedulerCell } from "../../../kernel/index.ts";
import type { QueryVersionView } from "../../library/types.ts";
import { fetchSummary, fetchVersion, LibraryError } from "../components/library/library-api.ts";
import { type CellLink, kernelCell, type LinkState, readLink, type UnavailableMessages } from "./library-links.ts";

type Fetched = { status: "ready"; query: QueryVersionView } | { status: "unavailable" } | { status: "failed"; message: string };
type Summary = { latestVersion: number; certifiedVersion: number | null; archived: boolean } | "unavailable";

const REFRESH_MS = 60_000;
const keyOf = (link: CellLink) => `${link.queryId}@${link.version}`;

export interface LibraryLinks {
  /** Per linked cell id (ordinary cells are absent). */
  states: Record<string, LinkState>;
  /** The cell as the kernel must see it (`source` is the cell's own text, read fresh from the document). */
  forKernel(cell: Pick<CellData, "id" | "name" | "kind">, source: string): SchedulerCell;
  /** A new array whenever the cells or a linked cell's SQL or availability change: the kernel re-syncs on it. */
  kernelCells: readonly unknown[];
  /** Re-reads every linked query's summary and retries failed fetches. */
  refresh(): void;
}

export function useLibraryLinks(cells: readonly CellData[]): LibraryLinks {
  const { t } = useTranslation();
  const [versions, setVersions] = useState<Record<string, Fetched>>({});
  const [summaries, setSummaries] = useState<Record<string, Summary>>({});
  const inflight = useRef(new Set<string>());
  const shown = useRef<Record<string, Extract<LinkState, { status: "ready" }>>>({});

  const links = cells.flatMap((c) => {
    const link = readLink(c);
    return link ? [{ id: c.id, link }] : [];
  });
  const linksKey = JSON.stringify(links);
  const wanted = [...new Set(links.flatMap(({ link }) => (link === "invalid" ? [] : [keyOf(link)])))].sort();
  const queryIds = [...new Set(links.flatMap(({ link }) => (link === "invalid" ? [] : [link.queryId])))].sort();
  const wantedKey = wanted.join("\n");
  const queryIdsKey = queryIds.join("\n");

  const load = useCallback((key: string) => {
    if (inflight.current.has(key)) return;
    inflight.current.add(key);
    const at = key.lastIndexOf("@");
    fetchVersion(key.slice(0, at), Number(key.slice(at + 1)))
      .then((query): Fetched => ({ status: "ready", query }))
      .catch(
        (error): Fetched =>
          error instanceof LibraryError && (error.status === 404 || error.status === 403)
            ? { status: "unavailable" }
            : { status: "failed", message: error instanceof Error ? error.message : String(error) },
      )
      .then((fetched) => setVersions((all) => ({ ...all, [key]: fetched })))
      .finally(() => inflight.current.delete(key));
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the wanted versions' content
  useEffect(() => {
    for (const key of wanted) if (!versions[key]) load(key);
  }, [wantedKey, versions, load]);

  const refreshSummaries = useCallback((ids: readonly string[]) => {
    for (const id of ids)
      fetchSummary(id)
        .then((s): Summary => ({ latestVersion: s.latestVersion, certifiedVersion: s.certifiedVersion, archived: s.archived }))
        .catch((error): Summary | null =>
          error instanceof LibraryError && (error.status === 404 || error.status === 403) ? "unavailable" : null,
        )
        .then((summary) => {
          if (summary) setSummaries((all) => ({ ...all, [id]: summary }));
        });
  }, []);

  const latestIds = useRef(queryIds);
  latestIds.current = queryIds;
  const refresh = useCallback(() => {
    refreshSummaries(latestIds.current);
    // Failed fetches (network, server error) are tried again; answers already given stay (versions never change).
    setVersions((all) => Object.fromEntries(Object.entries(all).filter(([, v]) => v.status !== "failed")));
  }, [refreshSummaries]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the linked queries' ids
  useEffect(() => {
    if (queryIds.length === 0) return;
    refreshSummaries(queryIds);
    const onVisible = () => {
      if (document.visibilityState === "visible") refresh();
    };
    window.addEventListener("focus", refresh);
    document.addEventListener("visibilitychange", onVisible);
    const timer = window.setInterval(refresh, REFRESH_MS);
    return () => {
      window.removeEventListener("focus", refresh);
      document.removeEventListener("visibilitychange", onVisible);
      window.clearInterval(timer);
    };
  }, [queryIdsKey, refresh, refreshSummaries]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the links' content
  const states = useMemo(() => {
    const out: Record<string, LinkState> = {};
    for (const { id, link } of links) {
      if (link === "invalid") {
        out[id] = { status: "invalid" };
        continue;
      }
      const fetched = versions[keyOf(link)];
      const summary = summaries[link.queryId];
      // While another version of the same query loads (Update), the cell keeps showing and running the one it had.
      if (!fetched) out[id] = shown.current[id]?.link.queryId === link.queryId ? shown.current[id] : { status: "loading", link };
      // A query that became invisible (access revoked, deleted) stops running here too, even if fetched before.
      else if (fetched.status === "unavailable" || summary === "unavailable") out[id] = { status: "unavailable", link };
      else if (fetched.status === "failed") out[id] = { status: "failed", link, message: fetched.message };
      else
        out[id] = {
          status: "ready",
          link,
          query: fetched.query,
          latestVersion: Math.max(summary?.latestVersion ?? 0, fetched.query.latestVersion),
          certifiedVersion: summary ? summary.certifiedVersion : fetched.query.certifiedVersion,
          archived: summary?.archived ?? false,
        };
    }
    const ready: Record<string, Extract<LinkState, { status: "ready" }>> = {};
    for (const [id, state] of Object.entries(out)) if (state.status === "ready") ready[id] = state;
    shown.current = ready;
    return out;
  }, [linksKey, versions, summaries]);

  const messages: UnavailableMessages = {
    invalid: t("notebook.library.kernel.invalid"),
    loading: t("notebook.library.kernel.loading"),
    unavailable: t("notebook.library.kernel.unavailable"),
    failed: (message) => t("notebook.library.kernel.failed", { message }),
  };
  // Read by the kernel at run time (after this render), so it always sees the latest states.
  const latest = useRef({ states, messages });
  latest.current = { states, messages };
  const forKernel = useCallback(
    (cell: Pick<CellData, "id" | "name" | "kind">, source: string) =>
      kernelCell({ ...cell, source }, latest.current.states[cell.id], latest.current.messages),
    [],
  );

  const sqlKey = JSON.stringify(Object.entries(states).map(([id, s]) => [id, s.status === "ready" ? s.query.sql : s.status]));
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new array when the cells or the linked SQL change
  const kernelCells = useMemo(() => [...cells], [cells, sqlKey]);

  return { states, forKernel, kernelCells, refresh };
}

/**
 * Re-runs a linked cell whose SQL changed (its version was updated, here or by a collaborator) when it had run before
 * and the notebook re-runs automatically; in manual mode the kernel has already marked it out of date.
 */
export function useLinkedReruns(
  states: Record<string, LinkState>,
  kernel: { runs: Record<string, CellRun>; runCell(id: string): void },
  mode: RunMode,
): void {
  const seen = useRef<Record<string, string>>({});
  const latest = useRef(kernel);
  latest.current = kernel;
  useEffect(() => {
    for (const [id, state] of Object.entries(states)) {
      if (state.status === "loading") continue;
      const identity = state.status === "ready" ? `sql:${state.query.sql}` : state.status;
      const before = seen.current[id];
      seen.current[id] = identity;
      if (before === undefined || before === identity || mode !== "automatic") continue;
      const run = latest.current.runs[id];
      if (run && run.state.status !== "idle") latest.current.runCell(id);
    }
  }, [states, mode]);
}
