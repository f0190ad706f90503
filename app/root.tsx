import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useMemo } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { useNonce } from "./components/nonce.tsx";
import { createI18n } from "./i18n/instance.ts";
import { languageCookie } from "./i18n/language-cookie.server.ts";
import { DEFAULT_LANGUAGE } from "./i18n/languages.ts";
import { chooseLanguage } from "./i18n/negotiate.ts";
import styles from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Harmony" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const cookieLanguage = await languageCookie.parse(request.headers.get("Cookie"));
  const user = context.auth.user;
  const lang = chooseLanguage(user?.language, cookieLanguage, request.headers.get("Accept-Language"));
  // Report pages are rendered once for all their readers (app/reports/rendered-page-cache.server.ts): no user data there.
  if (new URL(request.url).pathname.startsWith("/r/")) return { lang, user: null };
  return { lang, user: user ? { id: user.id, name: user.name, email: user.email, role: user.role } : null };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const lang = data?.lang ?? DEFAULT_LANGUAGE;
  const nonce = useNonce();
  const i18n = useMemo(() => createI18n(lang), [lang]);
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text =
    status === 404
      ? { title: t("errors.notFound.title"), body: t("errors.notFound.body") }
      : status === 403
        ? { title: t("errors.forbidden.title"), body: t("errors.forbidden.body") }
        : { title: t("errors.unexpected.title"), body: t("errors.unexpected.body") };
  if (status >= 500) console.error(error);
  return (
    <main className="error-page" aria-labelledby="error-title">
      <p className="error-code">{status}</p>
      <h1 id="error-title">{text.title}</h1>
      <p>{text.body}</p>
      <Link to="/" className="button">
        {t("errors.home")}
      </Link>
    </main>
  );
}
