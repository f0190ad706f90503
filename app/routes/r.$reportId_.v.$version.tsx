import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { reportPageData, requireReportVersion } from "~/reports/page.server";
import { ReportView } from "~/reports/ReportView";
import reportStyles from "~/reports/report.css?url";

/** An earlier version of a report, as it was published (results and SVG stored with that version). */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.report.title} (v${data.version}) · Harmony` : "Report · Harmony" },
  { name: "robots", content: "noindex" },
];

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const version = Number.parseInt(params.version ?? "", 10);
  if (!Number.isInteger(version) || version < 1) throw new Response("No such report version.", { status: 404 });
  const access = requireReportVersion(request, context, params.reportId ?? "", version);
  return reportPageData(request, context, access, access.report.currentVersion === version);
}

export default function ReportVersionPage() {
  return <ReportView data={useLoaderData<typeof loader>()} />;
}
