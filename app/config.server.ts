import path from "node:path";
import { z } from "zod";

const flag = (fallback: boolean) =>
  z
    .enum(["0", "1", "true", "false", "yes", "no", "on", "off"])
    .optional()
    .transform((v) => (v === undefined ? fallback : ["1", "true", "yes", "on"].includes(v)));

const positive = (fallback: number) => z.coerce.number().positive().default(fallback);

/** Every environment variable Harmony reads, with its default. The README's configuration table mirrors this. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  HARMONY_DATA_DIR: z.string().default("./data"),
  HARMONY_DEMO: flag(true),
  HARMONY_DEMO_DATA: z.enum(["0", "1", "true", "false", "yes", "no", "on", "off"]).optional(),
  HARMONY_ADMIN_EMAIL: z.string().email().default("admin@harmony.local"),
  HARMONY_ADMIN_PASSWORD: z.string().min(8).optional(),
  HARMONY_SESSION_IDLE_MINUTES: positive(30),
  HARMONY_SESSION_ABSOLUTE_HOURS: positive(12),
  HARMONY_LOGIN_MAX_FAILURES_PER_ACCOUNT: positive(5),
  HARMONY_LOGIN_MAX_FAILURES_PER_IP: positive(20),
  HARMONY_LOGIN_WINDOW_MINUTES: positive(15),
  HARMONY_TRUST_PROXY: flag(false),
  HARMONY_UPLOAD_MAX_MB: positive(200),
  HARMONY_SECURE_COOKIES: z.enum(["auto", "always", "never"]).default("auto"),
  HARMONY_DHIS2_PRIVATE_HOSTS: z.string().default(""),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.HARMONY_DATA_DIR),
    demo: e.HARMONY_DEMO,
    /** The demo workspace's data (hierarchy, datasets, notebook, report); follows HARMONY_DEMO unless set. */
    demoData: e.HARMONY_DEMO_DATA === undefined ? e.HARMONY_DEMO : ["1", "true", "yes", "on"].includes(e.HARMONY_DEMO_DATA),
    adminEmail: e.HARMONY_ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.HARMONY_ADMIN_PASSWORD,
    session: {
      idleMs: e.HARMONY_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: e.HARMONY_SESSION_ABSOLUTE_HOURS * 3_600_000,
      secureCookies: e.HARMONY_SECURE_COOKIES,
    },
    login: {
      maxPerAccount: e.HARMONY_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerIp: e.HARMONY_LOGIN_MAX_FAILURES_PER_IP,
      windowMs: e.HARMONY_LOGIN_WINDOW_MINUTES * 60_000,
    },
    trustProxy: e.HARMONY_TRUST_PROXY,
    uploadMaxBytes: Math.round(e.HARMONY_UPLOAD_MAX_MB * 1024 * 1024),
    /** DHIS2 hosts allowed to be on a private, loopback or link-local address (app/dhis2/url-policy.server.ts). */
    dhis2PrivateHosts: e.HARMONY_DHIS2_PRIVATE_HOSTS.split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  };
}
