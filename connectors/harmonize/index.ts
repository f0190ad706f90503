/** Harmonization: periods, locations, fields and column mappings, from raw records to base-format rows. */

export * from "./fields/index.ts";
export * from "./locations/index.ts";
export * from "./mapping/index.ts";
export * from "./periods/index.ts";
