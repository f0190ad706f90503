import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/guards.server";
import { EmptyState } from "~/components/empty-state";

export const meta: MetaFunction = () => [{ title: "Queries · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function QueriesIndex() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("nav.queries")}</h1>
      <EmptyState title={t("queries.empty.title")} body={t("queries.empty.body")} />
    </>
  );
}
