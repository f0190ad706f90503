/**
 * Toolbar → "Insert from library": search the queries the reader may use (name, tags, certified only), then insert one
 * as a LINKED cell (its SQL stays the library's, with update notices) or as a COPY (an ordinary SQL cell). Inputs the
 * query binds that the notebook lacks are added as input cells with the query's definitions, so it has values to bind.
 */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import type { CellData } from "../../../../collab/index.ts";
import { addCell } from "../../../../collab/index.ts";
import type { QuerySummary } from "../../../library/types.ts";
import { cellNameFor, insertInputCells, insertLinkedCell, missingInputs } from "../../client/library-links.ts";
import { LibraryDialog } from "./LibraryDialog.tsx";
import { fetchVersion, searchQueries } from "./library-api.ts";

export interface InsertFromLibraryProps {
  doc: Y.Doc;
  cells: readonly CellData[];
  /** The new cell's id, once inserted (the page focuses it). */
  onInserted: (id: string) => void;
}

type Listing = { status: "loading" } | { status: "done"; queries: QuerySummary[] } | { status: "failed"; message: string };

export function InsertFromLibrary(p: InsertFromLibraryProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
        {t("notebook.library.insert.open")}
      </button>
      {open && <InsertDialog {...p} onClose={() => setOpen(false)} />}
    </>
  );
}

function InsertDialog(p: InsertFromLibraryProps & { onClose: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [q, setQ] = useState("");
  const [certified, setCertified] = useState(false);
  const [listing, setListing] = useState<Listing>({ status: "loading" });
  const [working, setWorking] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setListing({ status: "loading" });
    // Typed text waits a moment, so a search is not sent for every keystroke.
    const timer = window.setTimeout(() => {
      searchQueries({ q, certified })
        .then((queries) => live && setListing({ status: "done", queries }))
        .catch(
          (error) => live && setListing({ status: "failed", message: error instanceof Error ? error.message : String(error) }),
        );
    }, 200);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [q, certified]);

  const insert = async (query: QuerySummary, as: "linked" | "copy") => {
    setWorking(query.id);
    setProblem(null);
    try {
      const version = await fetchVersion(query.id, query.certifiedVersion ?? query.latestVersion);
      const at = p.cells.length;
      const inputs = missingInputs(version.parameters, p.cells);
      insertInputCells(p.doc, at, inputs);
      const names = [...p.cells, ...inputs.map((d) => ({ id: "", name: d.name }))];
      const name = cellNameFor(version.name, names);
      const id =
        as === "linked"
          ? insertLinkedCell(p.doc, at + inputs.length, name, { queryId: version.id, version: version.version })
          : addCell(p.doc, at + inputs.length, { kind: "sql", name, source: version.sql });
      p.onClose();
      p.onInserted(id);
    } catch (error) {
      setProblem(
        t("notebook.library.insert.failed", {
          name: query.name,
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    } finally {
      setWorking(null);
    }
  };

  const filtered = q.trim() !== "" || certified;
  return (
    <LibraryDialog title={t("notebook.library.insert.title")} onClose={p.onClose} wide>
      <div className="stack">
        <div className="nb-library-search">
          <label>
            {t("notebook.library.insert.search")}
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} data-autofocus aria-controls={`${ids}-list`} />
          </label>
          <label className="choice">
            <input type="checkbox" checked={certified} onChange={(e) => setCertified(e.target.checked)} />
            {t("notebook.library.insert.certifiedOnly")}
          </label>
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div id={`${ids}-list`} aria-live="polite" aria-busy={listing.status === "loading"}>
          {listing.status === "loading" ? (
            <p className="muted">{t("notebook.library.loading")}</p>
          ) : listing.status === "failed" ? (
            <p className="form-error" role="alert">
              {t("notebook.library.insert.searchFailed", { message: listing.message })}
            </p>
          ) : listing.queries.length === 0 ? (
            filtered ? (
              <p className="muted">{t("notebook.library.insert.noMatch")}</p>
            ) : (
              <div className="empty-state">
                <h3>{t("notebook.library.insert.emptyTitle")}</h3>
                <p>{t("notebook.library.insert.emptyBody")}</p>
              </div>
            )
          ) : (
            <ul className="nb-library-results" aria-label={t("notebook.library.insert.results")}>
              {listing.queries.map((query) => (
                <QueryItem key={query.id} query={query} busy={working !== null} onInsert={(as) => void insert(query, as)} />
              ))}
            </ul>
          )}
        </div>
      </div>
    </LibraryDialog>
  );
}

function QueryItem(p: { query: QuerySummary; busy: boolean; onInsert: (as: "linked" | "copy") => void }) {
  const { t } = useTranslation();
  const { query } = p;
  const headingId = useId();
  const version = query.certifiedVersion ?? query.latestVersion;
  return (
    <li className="nb-library-result" aria-labelledby={headingId}>
      <div className="nb-library-result-head">
        <h3 id={headingId}>{query.name}</h3>
        {query.certifiedVersion !== null && (
          <span className="badge nb-library-certified">
            {t("notebook.library.certified", { version: query.certifiedVersion })}
          </span>
        )}
        <span className="muted">{t("notebook.library.insert.owner", { name: query.owner.name })}</span>
      </div>
      {query.description && <p className="nb-library-description">{query.description}</p>}
      {(query.tags.length > 0 || query.datasets.length > 0) && (
        <p className="nb-library-tags">
          {query.tags.map((tag) => (
            <span key={tag} className="badge">
              {tag}
            </span>
          ))}
          {query.datasets.length > 0 && (
            <span className="muted">{t("notebook.library.insert.datasets", { slugs: query.datasets.join(", ") })}</span>
          )}
        </p>
      )}
      <div className="row-actions">
        <button
          type="button"
          className="button primary"
          disabled={p.busy}
          aria-label={t("notebook.library.insert.linkedLabel", { name: query.name, version })}
          onClick={() => p.onInsert("linked")}
        >
          {t("notebook.library.insert.linked", { version })}
        </button>
        <button
          type="button"
          className="button"
          disabled={p.busy}
          aria-label={t("notebook.library.insert.copyLabel", { name: query.name, version })}
          onClick={() => p.onInsert("copy")}
        >
          {t("notebook.library.insert.copy")}
        </button>
      </div>
    </li>
  );
}
