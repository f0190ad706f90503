export { type Database_, type Db, openDatabase } from "./client.ts";
export { ROLES, type Role } from "./roles.ts";
export * as schema from "./schema/index.ts";
