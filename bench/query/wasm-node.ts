/** The five queries on DuckDB-WASM's Node build through the kernel's own NodeEngine, the file attached over HTTP. */
import { NodeEngine } from "../../kernel/engine/node.ts";
import { type BenchQuery, checksum } from "./queries.ts";
import type { ServedRequest } from "./serve.ts";
import type { BenchServer } from "./server-process.ts";
import { type QueryTiming, timeQuery } from "./timing.ts";

export interface WasmNodeRun {
  startMs: number;
  attachRequests: ServedRequest[];
  selectiveRequests: ServedRequest[];
  timings: Record<string, QueryTiming>;
}

export async function runWasmNode(
  server: BenchServer,
  queries: readonly BenchQuery[],
  warmRuns: number,
  selectiveName: string,
): Promise<WasmNodeRun> {
  const engine = new NodeEngine();
  try {
    await server.log(true);
    await engine.attach("ds", server.datasetUrl);
    // Engine start (wasm instantiate) and ATTACH are not part of any query's time.
    const started = performance.now();
    await engine.query("SELECT count(*) AS n FROM ds.fields");
    const startMs = performance.now() - started;
    const attachRequests = (await server.log(true)).entries;
    let selectiveRequests: ServedRequest[] = [];
    const timings: Record<string, QueryTiming> = {};
    for (const q of queries) {
      let first = true;
      timings[q.name] = await timeQuery(warmRuns, async () => {
        const t0 = performance.now();
        const result = await engine.query(q.sql, q.params);
        const ms = performance.now() - t0;
        if (result.truncated) throw new Error(`query ${q.name}: result was capped; the benchmark keeps results small`);
        const check = checksum(result.rows, q.checkColumn);
        if (first && q.name === selectiveName) selectiveRequests = (await server.log(true)).entries;
        first = false;
        return { check, ms };
      });
    }
    return { startMs: Math.round(startMs), attachRequests, selectiveRequests, timings };
  } finally {
    await engine.close();
  }
}
