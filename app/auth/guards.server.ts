import { type AppLoadContext, redirect } from "@remix-run/node";
import type { Role } from "../../db/index.ts";
import type { SessionUser } from "./sessions.server.ts";

/** Only same-origin absolute paths survive as a return path; anything else (//evil, https://…, \\) goes home. */
export function safeReturnPath(value: string | null | undefined, fallback = "/"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  try {
    const url = new URL(value, "http://harmony.invalid");
    if (url.origin !== "http://harmony.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

export function signInUrl(request: Request): string {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return back === "/" ? "/sign-in" : `/sign-in?redirectTo=${encodeURIComponent(back)}`;
}

/** The signed-in user, or a redirect to sign-in that comes back here afterwards. */
export function requireUser(request: Request, context: AppLoadContext): SessionUser {
  const user = context.auth.user;
  if (!user) throw redirect(signInUrl(request));
  return user;
}

export function forbidden(message = "Forbidden"): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/** The signed-in user when their role is one of `roles`; anonymous goes to sign-in, others get 403. */
export function requireRole(request: Request, context: AppLoadContext, roles: readonly Role[]): SessionUser {
  const user = requireUser(request, context);
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}
