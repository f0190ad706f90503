/** Node-only entry: the engine on DuckDB-WASM's blocking build (tests, scripts, benchmarks). */
export { createNodeEngine, NodeEngine, type NodeEngineOptions } from "./node-engine.ts";
