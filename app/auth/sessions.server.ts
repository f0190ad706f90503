import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import type { Db, Role } from "../../db/index.ts";
import { schema } from "../../db/index.ts";

export interface SessionOptions {
  idleMs: number;
  absoluteMs: number;
  /** "auto" marks the cookie Secure when the request arrived over HTTPS. */
  secureCookies: "auto" | "always" | "never";
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  language: string | null;
}

export const SESSION_COOKIE = "harmony_session";

function createLucia(db: Db, options: SessionOptions, secure: boolean) {
  const adapter = new DrizzleSQLiteAdapter(db, schema.sessions, schema.users);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(Math.max(1, Math.round(options.idleMs / 1000)), "s"),
    sessionCookie: { name: SESSION_COOKIE, expires: false, attributes: { secure, sameSite: "lax" } },
    getSessionAttributes: (attributes) => ({ createdAt: attributes.createdAt }),
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      language: attributes.language,
      disabledAt: attributes.disabledAt,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseSessionAttributes: { createdAt: number };
    DatabaseUserAttributes: {
      email: string;
      name: string;
      role: Role;
      language: string | null;
      disabledAt: Date | number | null;
    };
  }
}

export type Validated = { user: SessionUser; sessionId: string; setCookie?: string } | { user: null; setCookie?: string };

/**
 * The only place that knows sessions are lucia's. Idle expiry slides on every request (lucia alone only extends once
 * half the period has passed, which would cut idle time short); the absolute lifetime is checked from `created_at`.
 */
export function createSessions(db: Db, options: SessionOptions, now: () => number = Date.now) {
  const plain = createLucia(db, options, options.secureCookies === "always");
  const secure = createLucia(db, options, options.secureCookies !== "never");
  const luciaFor = (https: boolean) => (https ? secure : plain);
  const adapter = new DrizzleSQLiteAdapter(db, schema.sessions, schema.users);

  function cookieFor(sessionId: string, https: boolean) {
    return luciaFor(https).createSessionCookie(sessionId).serialize();
  }

  return {
    cookieName: SESSION_COOKIE,

    async create(userId: string, https: boolean): Promise<{ sessionId: string; setCookie: string }> {
      const session = await plain.createSession(userId, { createdAt: Math.floor(now() / 1000) });
      return { sessionId: session.id, setCookie: cookieFor(session.id, https) };
    },

    /**
     * `slide: false` checks without counting as activity: an open websocket re-checked in the background must not keep
     * an idle session alive.
     */
    async validate(cookieHeader: string | null, https: boolean, check: { slide?: boolean } = {}): Promise<Validated> {
      const lucia = luciaFor(https);
      const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
      if (!sessionId) return { user: null };
      const blank = lucia.createBlankSessionCookie().serialize();
      const [session, user] = await adapter.getSessionAndUser(sessionId);
      if (!session || !user) return { user: null, setCookie: blank };
      const t = now();
      const createdAtMs = Number(session.attributes.createdAt) * 1000;
      const expired = session.expiresAt.getTime() <= t || createdAtMs + options.absoluteMs <= t;
      if (expired || user.attributes.disabledAt) {
        await adapter.deleteSession(sessionId);
        return { user: null, setCookie: blank };
      }
      const sessionUser: SessionUser = {
        id: user.id,
        email: user.attributes.email,
        name: user.attributes.name,
        role: user.attributes.role,
        language: user.attributes.language,
      };
      if (check.slide === false) return { user: sessionUser, sessionId };
      // Slide the idle window, writing at most once every few seconds per session, never past the absolute lifetime.
      const wanted = Math.min(t + options.idleMs, createdAtMs + options.absoluteMs);
      if (wanted - session.expiresAt.getTime() > Math.min(5_000, options.idleMs / 10)) {
        await adapter.updateSessionExpiration(sessionId, new Date(wanted));
        return { user: sessionUser, sessionId, setCookie: cookieFor(sessionId, https) };
      }
      return { user: sessionUser, sessionId };
    },

    async invalidate(sessionId: string): Promise<string> {
      await plain.invalidateSession(sessionId);
      return plain.createBlankSessionCookie().serialize();
    },

    async invalidateAllOf(userId: string): Promise<void> {
      await plain.invalidateUserSessions(userId);
    },

    blankCookie(): string {
      return plain.createBlankSessionCookie().serialize();
    },

    async deleteExpired(): Promise<void> {
      await plain.deleteExpiredSessions();
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
