import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Role } from "../../db/index.ts";
import { ROLES, schema } from "../../db/index.ts";
import { decoyHash, generatePassword, hashPassword, verifyPassword } from "./password.server.ts";

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
});
export type NewUser = z.infer<typeof newUserSchema>;

export class AccountError extends Error {
  constructor(
    readonly code: "email-taken" | "not-found",
    message: string,
  ) {
    super(message);
  }
}

export function createAccounts(db: Db) {
  const byEmail = (email: string) =>
    db.select().from(schema.users).where(eq(schema.users.email, email.trim().toLowerCase())).get();

  return {
    byEmail,
    byId: (id: string) => db.select().from(schema.users).where(eq(schema.users.id, id)).get(),

    list: () => db.select().from(schema.users).orderBy(asc(schema.users.email)).all(),

    hasAdmin: () =>
      db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.role, "admin")).get() !== undefined,

    async create(input: NewUser, password: string) {
      const user = newUserSchema.parse(input);
      if (byEmail(user.email)) throw new AccountError("email-taken", `A user with the email ${user.email} already exists`);
      const id = randomUUID();
      db.insert(schema.users)
        .values({ id, ...user, passwordHash: await hashPassword(password) })
        .run();
      return id;
    },

    /** Checks credentials. Unknown email and wrong password are indistinguishable to the caller, in result and timing. */
    async verify(email: string, password: string) {
      const user = byEmail(email);
      if (!user) {
        await verifyPassword(password, await decoyHash());
        return null;
      }
      const ok = await verifyPassword(password, user.passwordHash);
      if (!ok || user.disabledAt) return null;
      return user;
    },

    setRole(id: string, role: Role) {
      db.update(schema.users).set({ role }).where(eq(schema.users.id, id)).run();
    },

    setDisabled(id: string, disabled: boolean) {
      db.update(schema.users)
        .set({ disabledAt: disabled ? new Date() : null })
        .where(eq(schema.users.id, id))
        .run();
    },

    setLanguage(id: string, language: string | null) {
      db.update(schema.users).set({ language }).where(eq(schema.users.id, id)).run();
    },

    /** Sets a new generated password and returns it; the caller shows it once. */
    async resetPassword(id: string) {
      const password = generatePassword();
      db.update(schema.users)
        .set({ passwordHash: await hashPassword(password) })
        .where(eq(schema.users.id, id))
        .run();
      return password;
    },
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
