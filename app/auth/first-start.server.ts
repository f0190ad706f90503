import type { Config } from "../config.server.ts";
import type { Accounts } from "./accounts.server.ts";
import { generatePassword } from "./password.server.ts";

/** Demo accounts shown in the README. They exist only in demo mode (the default of `npm start`). */
export const DEMO_ACCOUNTS = [
  { email: "analyst@harmony.local", name: "Demo Analyst", role: "analyst", password: "harmony-analyst" },
  { email: "viewer@harmony.local", name: "Demo Viewer", role: "viewer", password: "harmony-viewer" },
] as const;

/**
 * Creates the first admin when none exists (from HARMONY_ADMIN_EMAIL/PASSWORD, else with a generated password printed
 * once) and, in demo mode, the demo analyst and viewer.
 */
export async function ensureFirstAccounts(config: Config, accounts: Accounts, log: (line: string) => void = console.log) {
  if (!accounts.hasAdmin()) {
    const password = config.adminPassword ?? generatePassword();
    if (accounts.byEmail(config.adminEmail)) {
      throw new Error(
        `No admin exists but ${config.adminEmail} is taken by a non-admin; set HARMONY_ADMIN_EMAIL to another address`,
      );
    }
    await accounts.create({ email: config.adminEmail, name: "Administrator", role: "admin" }, password);
    if (config.adminPassword) log(`Created admin ${config.adminEmail} with the password from HARMONY_ADMIN_PASSWORD.`);
    else
      log(
        `Created admin ${config.adminEmail} with password: ${password}\n(shown once — sign in and change it, or set HARMONY_ADMIN_PASSWORD)`,
      );
  }
  if (config.demo) {
    for (const demo of DEMO_ACCOUNTS) {
      if (!accounts.byEmail(demo.email)) {
        await accounts.create({ email: demo.email, name: demo.name, role: demo.role }, demo.password);
        log(`Demo mode: created ${demo.role} ${demo.email} (password: ${demo.password}).`);
      }
    }
  }
}
