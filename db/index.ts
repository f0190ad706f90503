export { type Database_, type Db, openDatabase } from "./client.ts";
export * as schema from "./schema.ts";
export { ROLES, type Role } from "./schema.ts";
