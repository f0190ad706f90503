import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { safeReturnPath } from "~/auth/guards.server";
import { LanguagePicker } from "~/components/language-picker";

export const meta: MetaFunction = () => [{ title: "Sign in · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeReturnPath(new URL(request.url).searchParams.get("redirectTo"), "/notebooks");
  if (context.auth.user) throw redirect(redirectTo);
  return { redirectTo };
}

const form = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
  redirectTo: z.string().optional(),
});

type SignInError = { error: "invalid" | "limited"; minutes?: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const { accounts, sessions, limiter, audit } = context.services;
  const parsed = form.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<SignInError>({ error: "invalid" }, { status: 400 });
  const { email, password } = parsed.data;
  const ip = context.clientIp;

  const limit = limiter.check(email, ip);
  if (!limit.allowed) {
    audit.record({ action: "sign-in.limited", target: email, ip });
    return data<SignInError>({ error: "limited", minutes: Math.ceil(limit.retryAfterMs / 60_000) }, { status: 429 });
  }
  const user = await accounts.verify(email, password);
  if (!user) {
    limiter.recordFailure(email, ip);
    audit.record({ action: "sign-in.failed", target: email, ip });
    return data<SignInError>({ error: "invalid" }, { status: 401 });
  }
  limiter.recordSuccess(email);
  // A fresh session id at every sign-in: a session fixed before sign-in is dropped.
  if (context.auth.sessionId) await sessions.invalidate(context.auth.sessionId);
  const { setCookie } = await sessions.create(user.id, context.https);
  audit.record({ actor: user, action: "sign-in", ip });
  return redirect(safeReturnPath(parsed.data.redirectTo, "/notebooks"), { headers: { "Set-Cookie": setCookie } });
}

export default function SignIn() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <h1 className="brand-title">Harmony</h1>
        <p className="muted">{t("signIn.tagline")}</p>
        <Form method="post" className="stack" aria-describedby={result ? "sign-in-error" : undefined}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <label>
            {t("signIn.email")}
            <input name="email" type="email" autoComplete="username" required autoFocus />
          </label>
          <label>
            {t("signIn.password")}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {result?.error === "invalid" && (
            <p id="sign-in-error" role="alert" className="form-error">
              {t("signIn.invalid")}
            </p>
          )}
          {result?.error === "limited" && (
            <p id="sign-in-error" role="alert" className="form-error">
              {t("signIn.limited", { count: result.minutes ?? 1 })}
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t("signIn.submitting") : t("signIn.submit")}
          </button>
        </Form>
        <LanguagePicker />
      </div>
    </main>
  );
}
