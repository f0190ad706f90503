/**
 * A cell's run status changes only here (marimo's `transitionCell`). Events carry the run id they belong to; an event
 * from a superseded run is refused, so a slow, cancelled query can never overwrite the result of the run that replaced
 * it. A refused event returns the very same state object.
 */

export type CellStatus = "idle" | "queued" | "running" | "done" | "error" | "stale";

export interface CellError {
  message: string;
  /** Character offset in the cell's SQL, when known. */
  position?: number;
}

export interface CellState {
  status: CellStatus;
  /** The latest run this cell was queued for (run ids only grow). */
  runId: number | null;
  /** A result from an earlier successful run exists (shown dimmed when stale). */
  hasResult: boolean;
  error: CellError | null;
  elapsedMs: number | null;
  rowCount: number | null;
}

export type CellEvent =
  | { type: "run-requested"; runId: number }
  | { type: "started"; runId: number }
  | { type: "succeeded"; runId: number; elapsedMs: number; rowCount: number }
  | { type: "failed"; runId: number; error: CellError; elapsedMs?: number }
  | { type: "cancelled"; runId: number }
  | { type: "upstream-changed" }
  | { type: "source-edited" };

export const initialCellState: CellState = Object.freeze({
  status: "idle",
  runId: null,
  hasResult: false,
  error: null,
  elapsedMs: null,
  rowCount: null,
}) as CellState;

export function transitionCell(state: CellState, event: CellEvent): CellState {
  switch (event.type) {
    case "run-requested":
      if (state.runId !== null && event.runId <= state.runId) return state;
      return { ...state, status: "queued", runId: event.runId };
    case "started":
      if (state.status !== "queued" || state.runId !== event.runId) return state;
      return { ...state, status: "running" };
    case "succeeded":
      if (state.status !== "running" || state.runId !== event.runId) return state;
      return { ...state, status: "done", hasResult: true, error: null, elapsedMs: event.elapsedMs, rowCount: event.rowCount };
    case "failed":
      // From queued too: a cell whose upstream failed, or whose SQL cannot run, fails without starting.
      if ((state.status !== "running" && state.status !== "queued") || state.runId !== event.runId) return state;
      return { ...state, status: "error", error: event.error, elapsedMs: event.elapsedMs ?? null, rowCount: null };
    case "cancelled":
      if ((state.status !== "running" && state.status !== "queued") || state.runId !== event.runId) return state;
      return { ...state, status: state.hasResult || state.error ? "stale" : "idle" };
    case "upstream-changed":
    case "source-edited":
      // Only a settled result can go out of date; a queued or running cell is about to be replaced anyway.
      if (state.status !== "done" && state.status !== "error") return state;
      return { ...state, status: "stale" };
  }
}

/** True when `transitionCell` refused the event (it returns the same object). */
export function wasRefused(before: CellState, after: CellState): boolean {
  return before === after;
}
