import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { reportPageData, requireReportVersion } from "~/reports/page.server";
import { ReportView } from "~/reports/ReportView";
import reportStyles from "~/reports/report.css?url";
import { createReportStore } from "~/reports/store.server";

/** A published report, outside the app shell: server-rendered, no SQL engine, no editor (DESIGN.md decision 8). */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.report.title} · Harmony` : "Report · Harmony" },
  { name: "robots", content: "noindex" },
];

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = requireReportVersion(request, context, params.reportId ?? "");
  createReportStore(context.services.database.db).countView(access.report.id);
  return reportPageData(request, context, access, true);
}

export default function ReportPage() {
  return <ReportView data={useLoaderData<typeof loader>()} />;
}
