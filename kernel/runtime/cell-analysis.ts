/** Asks the engine which tables and parameters each cell's SQL uses, once per distinct text. */

import { EngineError } from "../engine/errors.ts";
import type { Engine, SqlAnalysis } from "../engine/types.ts";
import type { CellError } from "./transitions.ts";

export type Analysis = SqlAnalysis | { error: CellError };

export class CellAnalysisCache {
  private readonly cache = new Map<string, Analysis>();
  private datasetKey = "";

  constructor(private readonly engine: Engine) {}

  async analyze(source: string): Promise<Analysis> {
    // Dataset changes alter what a name resolves to (a slug that appears, a binder that now succeeds).
    const key = this.engine.datasets().join(",");
    if (key !== this.datasetKey) {
      this.cache.clear();
      this.datasetKey = key;
    }
    const cached = this.cache.get(source);
    if (cached) return cached;
    let result: Analysis;
    try {
      result = await this.engine.analyze(source);
    } catch (error) {
      if (error instanceof EngineError && (error.kind === "cancelled" || error.kind === "crashed" || error.kind === "closed"))
        throw error;
      const position = error instanceof EngineError ? error.position : undefined;
      const message = error instanceof Error ? error.message : String(error);
      result = { error: position === undefined ? { message } : { message, position } };
    }
    if (this.cache.size > 500) this.cache.clear();
    this.cache.set(source, result);
    return result;
  }
}
