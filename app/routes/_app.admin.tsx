import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/guards.server";

/** The admin area: users, groups, audit log. Every page below repeats the admin check in its own loader and action. */
export function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(request, context, ["admin"]);
  return null;
}

export default function AdminLayout() {
  const { t } = useTranslation();
  return (
    <>
      <nav aria-label={t("access.adminNav.label")} className="row-actions">
        <NavLink to="/admin" end className="button">
          {t("access.adminNav.users")}
        </NavLink>
        <NavLink to="/admin/groups" className="button">
          {t("access.adminNav.groups")}
        </NavLink>
        <NavLink to="/admin/audit" className="button">
          {t("access.adminNav.audit")}
        </NavLink>
      </nav>
      <Outlet />
    </>
  );
}
