import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/guards.server";
import { LanguagePicker } from "~/components/language-picker";
import { roleLabel } from "~/components/role-label";

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  return { user: { name: user.name, email: user.email, role: user.role } };
}

export default function AppShell() {
  const { user } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const sections = [
    { to: "/notebooks", label: t("nav.notebooks") },
    { to: "/datasets", label: t("nav.datasets") },
    { to: "/reports", label: t("nav.reports") },
    { to: "/queries", label: t("nav.queries") },
  ];
  if (user.role === "admin") sections.push({ to: "/admin", label: t("nav.admin") });
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t("shell.skipToContent")}
      </a>
      <header className="topbar">
        <NavLink to="/notebooks" className="brand">
          Harmony
        </NavLink>
        <nav aria-label={t("nav.label")} className="main-nav">
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <NavLink to={s.to}>{s.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <details className="user-menu">
          <summary aria-label={t("shell.userMenu")}>
            <span className="avatar" aria-hidden="true">
              {user.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-name">{user.name}</span>
          </summary>
          <div className="menu-panel">
            <p className="menu-identity">
              <strong>{user.name}</strong>
              <br />
              <span className="muted">{user.email}</span>
              <br />
              <span className="badge">{roleLabel(t, user.role)}</span>
            </p>
            <LanguagePicker />
            <Form method="post" action="/sign-out">
              <button type="submit" className="button menu-item">
                {t("shell.signOut")}
              </button>
            </Form>
            <Form method="post" action="/sign-out">
              <input type="hidden" name="scope" value="everywhere" />
              <button type="submit" className="button menu-item">
                {t("shell.signOutEverywhere")}
              </button>
            </Form>
          </div>
        </details>
      </header>
      <main id="main" className="content">
        <Outlet />
      </main>
    </div>
  );
}
