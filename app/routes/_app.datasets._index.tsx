import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/guards.server";
import { EmptyState } from "~/components/empty-state";

export const meta: MetaFunction = () => [{ title: "Datasets · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function DatasetsIndex() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("nav.datasets")}</h1>
      <EmptyState title={t("datasets.empty.title")} body={t("datasets.empty.body")} />
    </>
  );
}
