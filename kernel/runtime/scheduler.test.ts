import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeEngine } from "../engine/node-engine.ts";
import { writeBaseDataset } from "../engine/test-support/dataset.ts";
import { type RangeServer, startRangeServer } from "../engine/test-support/range-server.ts";
import { type CellRun, Scheduler, type SchedulerCell } from "./scheduler.ts";
import type { CellStatus } from "./transitions.ts";

let server: RangeServer;
let url: string;
const engines: NodeEngine[] = [];

beforeAll(async () => {
  const { dir, file } = await writeBaseDataset();
  server = await startRangeServer(dir);
  url = server.url(path.basename(file));
}, 60_000);

afterAll(async () => {
  for (const e of engines) await e.close();
  await server?.close();
});

async function setup(cells: SchedulerCell[], mode: "automatic" | "manual" = "automatic") {
  for (const old of engines.splice(0)) await old.close(); // one WASM instance at a time on this small machine
  const engine = new NodeEngine();
  engines.push(engine);
  await engine.attach("malaria", url);
  const changes: { id: string; status: CellStatus }[] = [];
  const scheduler = new Scheduler({
    engine,
    mode,
    onChange: (id, run: CellRun) => changes.push({ id, status: run.state.status }),
  });
  await scheduler.setCells(cells);
  return { engine, scheduler, changes };
}

const sql = (id: string, name: string, source: string): SchedulerCell => ({ id, name, kind: "sql", source });
const monthly = sql(
  "a",
  "monthly",
  "SELECT period_start, sum(value) AS total FROM malaria.observations WHERE field_id = 'cases' GROUP BY ALL ORDER BY 1",
);
const busiest = sql("b", "busiest", "SELECT max(total) AS top FROM monthly");

describe("Scheduler on the Node engine", () => {
  it("runs all cells in dependency order, with time taken and row count", async () => {
    const { scheduler, changes } = await setup([busiest, monthly]);
    await scheduler.runAll();
    expect(scheduler.run("a").state).toMatchObject({ status: "done", rowCount: 24 });
    expect(scheduler.run("b").state).toMatchObject({ status: "done", rowCount: 1 });
    expect(scheduler.run("b").result?.rows).toEqual([{ top: 12 + 10 + 12 + 1010 }]);
    expect(scheduler.run("a").state.elapsedMs).toBeGreaterThan(0);
    const order = changes.filter((c) => c.status === "running").map((c) => c.id);
    expect(order).toEqual(["a", "b"]);
  });

  it("re-runs descendants after a change (automatic mode)", async () => {
    const { scheduler } = await setup([monthly, busiest]);
    await scheduler.runAll();
    await scheduler.setCells([{ ...monthly, source: monthly.source.replace("'cases'", "'tested'") }, busiest]);
    expect(scheduler.run("a").state.status).toBe("stale");
    await scheduler.runCell("a");
    expect(scheduler.run("b").state.status).toBe("done");
    expect(scheduler.run("b").result?.rows).toEqual([{ top: 112 + 1112 }]);
  });

  it("only marks descendants stale in manual mode", async () => {
    const { scheduler } = await setup([monthly, busiest], "manual");
    await scheduler.runAll();
    await scheduler.setCells([{ ...monthly, source: monthly.source.replace("'cases'", "'tested'") }, busiest]);
    await scheduler.runCell("a");
    expect(scheduler.run("a").state.status).toBe("done");
    expect(scheduler.run("b").state.status).toBe("stale");
    expect(scheduler.run("b").result?.rows).toEqual([{ top: 1044 }]); // the old result stays visible
  });

  it("runs the ancestors a cell needs when they never ran", async () => {
    const { scheduler } = await setup([monthly, busiest]);
    await scheduler.runCell("b");
    expect(scheduler.run("a").state.status).toBe("done");
    expect(scheduler.run("b").state.status).toBe("done");
  });

  it("keeps DuckDB's message and position, and fails downstream cells saying which upstream failed", async () => {
    const broken = sql("a", "monthly", "SELECT period_start,\n  sum(valu) AS total FROM malaria.observations GROUP BY ALL");
    const { scheduler } = await setup([broken, busiest]);
    await scheduler.runAll();
    const error = scheduler.run("a").state.error;
    expect(error?.message).toContain('"valu"');
    expect(error?.position).toBe(broken.source.indexOf("valu"));
    expect(scheduler.run("b").state).toMatchObject({ status: "error", error: { message: "Upstream cell `monthly` failed" } });
  });

  it("reports a syntax error with its position before running anything", async () => {
    const { scheduler } = await setup([sql("a", "bad", "SELECT * FROM")]);
    await scheduler.runAll();
    expect(scheduler.run("a").state).toMatchObject({ status: "error", error: { position: 13 } });
    expect(scheduler.run("a").problems[0].kind).toBe("sql");
  });

  it("says which cell or dataset a reference is missing", async () => {
    const { scheduler } = await setup([sql("a", "x", "SELECT * FROM cell9"), sql("b", "y", "SELECT * FROM tb.observations")]);
    await scheduler.runAll();
    expect(scheduler.run("a").state.error?.message).toBe("`cell9` is not a cell of this notebook (nor an attached dataset)");
    expect(scheduler.run("b").state.error?.message).toContain("Dataset `tb`");
  });

  it("shows cycles and duplicate names on the cells involved", async () => {
    const { scheduler } = await setup([
      sql("a", "x", "SELECT * FROM y"),
      sql("b", "y", "SELECT * FROM x"),
      sql("c", "z", "SELECT 1 AS one"),
      sql("d", "Z", "SELECT 2 AS two"),
    ]);
    await scheduler.runAll();
    expect(scheduler.run("a").state.error?.message).toBe("Cells depend on each other in a cycle: x → y → x");
    expect(scheduler.run("b").state.status).toBe("error");
    expect(scheduler.run("c").state.error?.message).toContain("2 cells are named");
    expect(scheduler.run("d").state.status).toBe("error");
  });

  it("binds parameters and re-runs the cells using one when it changes", async () => {
    const filtered = sql(
      "a",
      "filtered",
      "SELECT count(*) AS n FROM malaria.observations WHERE location_id = $place AND period_start >= $from::DATE",
    );
    const { scheduler, engine } = await setup([filtered, sql("b", "doubled", "SELECT n * 2 AS n2 FROM filtered")]);
    await scheduler.setParameters({ place: "F1", from: "2024-01-01" });
    await scheduler.runAll();
    expect(scheduler.run("b").result?.rows).toEqual([{ n2: 48 }]);
    await scheduler.setParameters({ place: "F1", from: "2024-07-01" });
    expect(scheduler.run("a").result?.rows).toEqual([{ n: 12 }]);
    expect(scheduler.run("b").result?.rows).toEqual([{ n2: 24 }]);
    // The value travelled as a bound parameter: a hostile one matches nothing and breaks nothing.
    await scheduler.setParameters({ place: "F1' OR '1'='1", from: "2024-07-01" });
    expect(scheduler.run("a").result?.rows).toEqual([{ n: 0 }]);
    expect((await engine.query("SELECT count(*) AS n FROM malaria.fields")).rows).toEqual([{ n: 2 }]);
  });

  it("cancels a superseded run: the latest source wins", async () => {
    const { scheduler } = await setup([monthly, busiest]);
    const first = scheduler.runAll();
    await scheduler.setCells([{ ...monthly, source: "SELECT 7 AS total" }, busiest]);
    const second = scheduler.runCell("a");
    await Promise.all([first, second]);
    expect(scheduler.run("a").result?.rows).toEqual([{ total: 7 }]);
    expect(scheduler.run("b").result?.rows).toEqual([{ top: 7 }]);
    expect(scheduler.run("b").state.status).toBe("done");
  });

  it("stop cancels queued cells", async () => {
    const { scheduler } = await setup([monthly, busiest]);
    const running = scheduler.runAll();
    await scheduler.stop();
    await running;
    for (const id of ["a", "b"]) expect(["idle", "done"]).toContain(scheduler.run(id).state.status);
    expect(scheduler.run("b").state.status).toBe("idle");
  });

  it("drops the old view on rename, so readers of the old name fail clearly", async () => {
    const { scheduler, engine } = await setup([monthly, busiest]);
    await scheduler.runAll();
    await scheduler.setCells([{ ...monthly, name: "per_month" }, busiest]);
    await expect(engine.query("SELECT * FROM monthly")).rejects.toThrow("monthly");
    await scheduler.runAll();
    expect(scheduler.run("b").state.error?.message).toContain("`monthly` is not a cell");
  });
});
