/** Node-only entry: the engine on DuckDB-WASM's blocking build (tests, scripts, benchmarks). */
export { NodeEngine, createNodeEngine, type NodeEngineOptions } from "./node-engine.ts";
