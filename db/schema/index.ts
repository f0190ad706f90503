export * from "./auth.ts";
export * from "./datasets.ts";
export * from "./notebooks.ts";
