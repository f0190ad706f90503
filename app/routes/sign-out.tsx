import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const { sessions, audit } = context.services;
  const everywhere = (await request.formData()).get("scope") === "everywhere";
  if (everywhere) await sessions.invalidateAllOf(user.id);
  else if (context.auth.sessionId) await sessions.invalidate(context.auth.sessionId);
  // Everywhere: every co-editing socket closes now. One session: the collab server's periodic re-check closes the
  // sockets of that session within seconds, and leaves the user's other devices connected.
  if (everywhere) context.services.collab.closeUserSockets(user.id);
  audit.record({ actor: user, action: everywhere ? "sign-out.everywhere" : "sign-out", ip: context.clientIp });
  return redirect("/sign-in", { headers: { "Set-Cookie": sessions.blankCookie() } });
}

export function loader() {
  return redirect("/");
}
