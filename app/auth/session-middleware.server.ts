import type { NextFunction, Request, Response } from "express";
import type { Sessions, SessionUser } from "./sessions.server.ts";

export interface RequestAuth {
  user: SessionUser | null;
  sessionId: string | null;
}

/**
 * Validates the session cookie once per request before Remix sees it, so the sliding idle expiry can refresh the cookie
 * on any response and every loader/action reads the same answer from its load context.
 */
export function sessionMiddleware(sessions: Sessions) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = await sessions.validate(req.headers.cookie ?? null, req.secure);
      if (result.setCookie) res.append("Set-Cookie", result.setCookie);
      const auth: RequestAuth = result.user
        ? { user: result.user, sessionId: result.sessionId }
        : { user: null, sessionId: null };
      res.locals.auth = auth;
      next();
    } catch (error) {
      next(error);
    }
  };
}
