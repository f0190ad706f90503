/** Workspace roles. Kept free of drizzle imports so UI code can use the list without bundling the schema. */
export const ROLES = ["admin", "analyst", "viewer"] as const;
export type Role = (typeof ROLES)[number];
