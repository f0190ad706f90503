import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/guards.server";
import { EmptyState } from "~/components/empty-state";

export const meta: MetaFunction = () => [{ title: "Reports · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function ReportsIndex() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("nav.reports")}</h1>
      <EmptyState title={t("reports.empty.title")} body={t("reports.empty.body")} />
    </>
  );
}
