import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { safeReturnPath } from "~/auth/guards.server";
import { languageCookie } from "~/i18n/language-cookie.server";
import { isLanguage } from "~/i18n/languages";

/** Sets the UI language: on the account when signed in, in a cookie otherwise. */
export async function action({ request, context }: ActionFunctionArgs) {
  const body = await request.formData();
  const language = body.get("language");
  const back = safeReturnPath(String(body.get("returnTo") ?? "/"));
  if (!isLanguage(language)) return redirect(back);
  const headers = new Headers({ "Set-Cookie": await languageCookie.serialize(language) });
  if (context.auth.user) context.services.accounts.setLanguage(context.auth.user.id, language);
  return redirect(back, { headers });
}

export function loader() {
  return redirect("/");
}
