/**
 * The query library as the app uses it (`services.library`): the store, readers' visibility, the datasets a SQL text
 * reads, and "used by" seen through a viewer's eyes.
 */
import type { Db } from "../../db/index.ts";
import type { NotebookStore } from "../notebooks/store.server.ts";
import { createReportStore } from "../reports/store.server.ts";
import { datasetsOf } from "./datasets.server.ts";
import { createLibraryStore, type QueryRow } from "./store.server.ts";
import { findUsage, type Usage } from "./used-by.server.ts";
import { canSeeQuery, type LibraryReader } from "./visibility.ts";

type Person = { id: string; role: LibraryReader["role"] };

/** Usage as one viewer may see it: notebooks and reports they may open are named, the others only counted. */
export interface UsageView {
  notebooks: { id: string; title: string }[];
  reports: { id: string; title: string }[];
  hiddenNotebooks: number;
  hiddenReports: number;
  total: number;
}

export function createLibrary(options: { db: Db; notebooks: NotebookStore; datasetSlugs: () => string[] }) {
  const { db, notebooks } = options;
  const store = createLibraryStore(db);
  const reports = createReportStore(db);

  const reader = (user: Person): LibraryReader => ({ id: user.id, role: user.role, groupIds: store.groupIdsOf(user.id) });

  return {
    store,
    reader,
    /** The query when `user` may see it; undefined when it does not exist or is hidden from them (callers answer 404). */
    visible(user: Person, id: string): QueryRow | undefined {
      const row = store.get(id);
      return row && canSeeQuery(reader(user), row) ? row : undefined;
    },
    datasetsOf: (sql: string) => datasetsOf(sql, options.datasetSlugs()),
    usage: (queryId: string): Usage => findUsage(db, queryId),
    viewUsage(viewer: Person, usage: Usage): UsageView {
      const shownNotebooks = usage.notebooks.filter((n) => notebooks.roleOf(viewer, n.id) !== null);
      const shownReports = usage.reports.filter((r) => {
        const row = reports.get(r.id);
        return row !== undefined && reports.decide(viewer, row, null) === "allowed";
      });
      return {
        notebooks: shownNotebooks.map(({ id, title }) => ({ id, title })),
        reports: shownReports.map(({ id, title }) => ({ id, title })),
        hiddenNotebooks: usage.notebooks.length - shownNotebooks.length,
        hiddenReports: usage.reports.length - shownReports.length,
        total: usage.notebooks.length + usage.reports.length,
      };
    },
  };
}
export type Library = ReturnType<typeof createLibrary>;
