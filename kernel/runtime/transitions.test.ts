import { describe, expect, it } from "vitest";
import { type CellEvent, type CellState, type CellStatus, initialCellState, transitionCell, wasRefused } from "./transitions.ts";

const RUN = 5;
const state = (status: CellStatus, extra: Partial<CellState> = {}): CellState => ({
  ...initialCellState,
  status,
  runId: status === "idle" ? null : RUN,
  ...extra,
});
const events: Record<string, CellEvent> = {
  "run-requested (newer run)": { type: "run-requested", runId: RUN + 1 },
  started: { type: "started", runId: RUN },
  succeeded: { type: "succeeded", runId: RUN, elapsedMs: 12, rowCount: 3 },
  failed: { type: "failed", runId: RUN, error: { message: "Binder Error: x", position: 7 } },
  cancelled: { type: "cancelled", runId: RUN },
  "upstream-changed": { type: "upstream-changed" },
  "source-edited": { type: "source-edited" },
};
const statuses: CellStatus[] = ["idle", "queued", "running", "done", "error", "stale"];

// Every (status, event) pair: the expected next status, or null when the event must be refused.
const table: Record<CellStatus, Record<string, CellStatus | null>> = {
  idle: {
    "run-requested (newer run)": "queued",
    started: null,
    succeeded: null,
    failed: null,
    cancelled: null,
    "upstream-changed": null,
    "source-edited": null,
  },
  queued: {
    "run-requested (newer run)": "queued",
    started: "running",
    succeeded: null,
    failed: "error",
    cancelled: "idle",
    "upstream-changed": null,
    "source-edited": null,
  },
  running: {
    "run-requested (newer run)": "queued",
    started: null,
    succeeded: "done",
    failed: "error",
    cancelled: "idle",
    "upstream-changed": null,
    "source-edited": null,
  },
  done: {
    "run-requested (newer run)": "queued",
    started: null,
    succeeded: null,
    failed: null,
    cancelled: null,
    "upstream-changed": "stale",
    "source-edited": "stale",
  },
  error: {
    "run-requested (newer run)": "queued",
    started: null,
    succeeded: null,
    failed: null,
    cancelled: null,
    "upstream-changed": "stale",
    "source-edited": "stale",
  },
  stale: {
    "run-requested (newer run)": "queued",
    started: null,
    succeeded: null,
    failed: null,
    cancelled: null,
    "upstream-changed": null,
    "source-edited": null,
  },
};

describe("transitionCell: every status × event", () => {
  for (const status of statuses) {
    for (const [name, event] of Object.entries(events)) {
      const expected = table[status][name];
      it(`${status} + ${name} → ${expected ?? "refused"}`, () => {
        const before = state(status);
        const after = transitionCell(before, event);
        if (expected === null) expect(wasRefused(before, after)).toBe(true);
        else {
          expect(wasRefused(before, after)).toBe(false);
          expect(after.status).toBe(expected);
        }
      });
    }
  }
});

describe("transitionCell: run ids", () => {
  it("refuses events of a superseded run", () => {
    const running = state("running");
    expect(transitionCell(running, { type: "succeeded", runId: RUN - 1, elapsedMs: 1, rowCount: 1 })).toBe(running);
    expect(transitionCell(running, { type: "failed", runId: RUN + 1, error: { message: "x" } })).toBe(running);
    expect(transitionCell(state("queued"), { type: "started", runId: RUN - 1 })).toEqual(state("queued"));
  });

  it("refuses a run request that is not newer than the current run", () => {
    const done = state("done");
    expect(transitionCell(done, { type: "run-requested", runId: RUN })).toBe(done);
    expect(transitionCell(done, { type: "run-requested", runId: RUN - 3 })).toBe(done);
  });

  it("a superseded running cell is queued for the new run, and the old run's result is then ignored", () => {
    let s = transitionCell(state("running"), { type: "run-requested", runId: RUN + 1 });
    expect(s).toMatchObject({ status: "queued", runId: RUN + 1 });
    const late = transitionCell(s, { type: "succeeded", runId: RUN, elapsedMs: 1, rowCount: 1 });
    expect(late).toBe(s);
    s = transitionCell(s, { type: "started", runId: RUN + 1 });
    expect(s.status).toBe("running");
  });
});

describe("transitionCell: payloads", () => {
  it("records time and rows on success and clears an old error", () => {
    const s = transitionCell(state("running", { error: { message: "old" } }), {
      type: "succeeded",
      runId: RUN,
      elapsedMs: 42,
      rowCount: 10_000,
    });
    expect(s).toMatchObject({ status: "done", hasResult: true, error: null, elapsedMs: 42, rowCount: 10_000 });
  });

  it("keeps DuckDB's message and position on failure", () => {
    const s = transitionCell(state("running"), {
      type: "failed",
      runId: RUN,
      error: { message: "Parser Error: syntax error", position: 9 },
      elapsedMs: 3,
    });
    expect(s).toMatchObject({
      status: "error",
      error: { message: "Parser Error: syntax error", position: 9 },
      elapsedMs: 3,
      rowCount: null,
    });
  });

  it("a cancelled re-run of a cell that had a result becomes stale, not idle", () => {
    expect(transitionCell(state("running", { hasResult: true }), { type: "cancelled", runId: RUN }).status).toBe("stale");
  });

  it("never mutates the state it is given", () => {
    const before = Object.freeze(state("done"));
    expect(() => transitionCell(before, { type: "source-edited" })).not.toThrow();
    expect(before.status).toBe("done");
  });
});
