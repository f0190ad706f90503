export * from "./access.ts";
export * from "./auth.ts";
export * from "./datasets.ts";
export * from "./library.ts";
export * from "./notebooks.ts";
export * from "./reports.ts";
