export { openDatabase, type Db, type Database_ } from "./client.ts";
export * as schema from "./schema.ts";
export { ROLES, type Role } from "./schema.ts";
