import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/guards.server";
import { EmptyState } from "~/components/empty-state";

export const meta: MetaFunction = () => [{ title: "Notebooks · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function NotebooksIndex() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("nav.notebooks")}</h1>
      <EmptyState title={t("notebooks.empty.title")} body={t("notebooks.empty.body")} />
    </>
  );
}
