import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbidden, requireUser } from "~/auth/guards.server";
import { requireVisibleQuery, versionNumber } from "~/library/access.server";
import { certify, deleteQuery, editMetadata, saveVersion, setArchived } from "~/library/actions.server";
import { FormError } from "~/library/components/FormError";
import { MetadataFields } from "~/library/components/MetadataFields";
import { QueryBadges } from "~/library/components/QueryBadges";
import { UsedBy } from "~/library/components/UsedBy";
import { VersionFields } from "~/library/components/VersionFields";
import { VersionsPanel } from "~/library/components/VersionsPanel";
import { lineDiff } from "~/library/diff";
import { metadataFromForm, versionFromForm } from "~/library/form.server";
import { groupsForPicker } from "~/library/groups.server";
import libraryStyles from "~/library/library.css?url";
import { canManageQuery, mayCertify } from "~/library/visibility";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.query.name ?? "Query"} · Harmony` }];

/**
 * One library query: metadata, versions (view any with ?v=N, diff two with ?from=A&to=B), certification (admins),
 * used-by, and for its owner and admins: new version, edit, archive, delete (refused while used). Hidden → 404.
 */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const id = params.id ?? "";
  const row = requireVisibleQuery(context, user, id, "page");
  const { library, database } = context.services;
  const query = library.store.summary(id);
  if (!query) throw new Response("Not Found", { status: 404 });
  const search = new URL(request.url).searchParams;
  const shownNumber = versionNumber(search.get("v")) ?? row.latestVersion;
  const shown = library.store.version(id, shownNumber) ?? library.store.version(id, row.latestVersion);
  const from = versionNumber(search.get("from"));
  const to = versionNumber(search.get("to"));
  const fromVersion = from === null ? undefined : library.store.version(id, from);
  const toVersion = to === null ? undefined : library.store.version(id, to);
  const diff =
    fromVersion && toVersion
      ? { from: fromVersion.version, to: toVersion.version, lines: lineDiff(fromVersion.sql, toVersion.sql) }
      : null;
  const canManage = canManageQuery(user, row);
  const certification = library.store.certification(id);
  return {
    query,
    description: row.description,
    versions: library.store.versions(id).map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
    shown,
    diff,
    certification: certification && { ...certification, at: certification.at.toISOString() },
    usage: library.viewUsage(user, library.usage(id)),
    canManage,
    canCertify: mayCertify(user.role),
    groups: canManage ? groupsForPicker(database.db, user) : [],
  };
}

type ActionResult = { ok: true; done: string } | { ok: false; error: string; field?: string | null; usedBy?: unknown };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const id = params.id ?? "";
  requireVisibleQuery(context, user, id, "page");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  let outcome: Awaited<ReturnType<typeof saveVersion>> | ReturnType<typeof certify>;
  if (intent === "version") {
    const version = versionFromForm(form);
    if ("field" in version) return data<ActionResult>({ ok: false, ...version }, { status: 400 });
    outcome = await saveVersion(context, user, id, version);
  } else if (intent === "edit") outcome = editMetadata(context, user, id, metadataFromForm(form));
  else if (intent === "certify") {
    const version = versionNumber(String(form.get("version") ?? ""));
    if (version === null)
      return data<ActionResult>({ ok: false, error: "version: not a version number", field: "version" }, { status: 400 });
    outcome = certify(context, user, id, version);
  } else if (intent === "uncertify") outcome = certify(context, user, id, null);
  else if (intent === "archive" || intent === "unarchive") outcome = setArchived(context, user, id, intent === "archive");
  else if (intent === "delete") {
    outcome = deleteQuery(context, user, id);
    if (outcome.ok) return redirect("/queries");
  } else return data<ActionResult>({ ok: false, error: `unknown action '${intent}'` }, { status: 400 });

  if (!outcome.ok) {
    if (outcome.status === 403) throw forbidden(outcome.error);
    return data<ActionResult>(
      { ok: false, error: outcome.error, field: outcome.field ?? null, usedBy: outcome.usedBy },
      { status: outcome.status },
    );
  }
  return data<ActionResult>({ ok: true, done: intent });
}

export default function QueryPage() {
  const { query, description, versions, shown, diff, certification, usage, canManage, canCertify, groups } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const refusedUsage = result && !result.ok && result.usedBy ? (result.usedBy as typeof usage) : null;
  const latest = query.latestVersion;
  return (
    <>
      <nav className="breadcrumbs" aria-label={t("queries.breadcrumbs")}>
        <Link to="/queries">{t("nav.queries")}</Link>
      </nav>
      <div className="page-head">
        <h1>
          {query.name} <QueryBadges certifiedVersion={query.certifiedVersion} archived={query.archived} />
        </h1>
      </div>
      {description && <p>{description}</p>}
      <dl className="query-facts">
        <dt>{t("queries.list.owner")}</dt>
        <dd>{query.owner.name}</dd>
        <dt>{t("queries.form.visibility")}</dt>
        <dd>
          {query.visibility === "private"
            ? t("queries.visibility.private")
            : query.visibility === "group"
              ? t("queries.visibility.group")
              : t("queries.visibility.workspace")}
        </dd>
        <dt>{t("queries.list.tags")}</dt>
        <dd>{query.tags.join(", ") || "—"}</dd>
        <dt>{t("queries.list.datasets")}</dt>
        <dd>{query.datasets.join(", ") || "—"}</dd>
        {certification && (
          <>
            <dt>{t("queries.certification")}</dt>
            <dd>
              {t("queries.certifiedBy", {
                version: certification.version,
                name: certification.by.name,
                date: date.format(new Date(certification.at)),
              })}
            </dd>
          </>
        )}
      </dl>

      {result && !result.ok && <FormError error={result.error} field={result.field} />}
      {result?.ok && <output className="notice">{t("queries.saved")}</output>}
      {refusedUsage && (
        <section className="notice" aria-labelledby="delete-refused">
          <h2 id="delete-refused">{t("queries.deleteRefused")}</h2>
          <UsedBy usage={refusedUsage} />
        </section>
      )}

      {shown && (
        <section aria-labelledby="shown-version">
          <h2 id="shown-version">
            {t("queries.versionTitle", { version: shown.version })}{" "}
            {shown.certified && (
              <span className="badge badge-certified">{t("queries.certifiedBadge", { version: shown.version })}</span>
            )}
          </h2>
          <p className="muted">
            {t("queries.versionBy", { name: shown.author.name, date: date.format(new Date(shown.createdAt)) })}
            {shown.message ? ` — ${shown.message}` : ""}
          </p>
          <pre className="query-sql">
            <code>{shown.sql}</code>
          </pre>
          {shown.parameters.length > 0 && (
            <>
              <h3>{t("queries.parameters")}</h3>
              <ul>
                {(shown.parameters as { name: string; type: string; default?: unknown }[]).map((p) => (
                  <li key={p.name}>
                    <code>${p.name}</code> ({p.type}){p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : ""}
                  </li>
                ))}
              </ul>
            </>
          )}
          {canCertify && (
            <Form method="post" className="inline-form">
              <input type="hidden" name="version" value={shown.version} />
              {shown.certified ? (
                <button type="submit" name="intent" value="uncertify" className="button">
                  {t("queries.uncertify")}
                </button>
              ) : (
                <button type="submit" name="intent" value="certify" className="button">
                  {t("queries.certify", { version: shown.version })}
                </button>
              )}
            </Form>
          )}
        </section>
      )}

      <VersionsPanel
        versions={versions}
        latest={latest}
        certifiedVersion={query.certifiedVersion}
        diff={diff}
        formatDate={(iso) => date.format(new Date(iso))}
      />

      <section aria-labelledby="used-by-title">
        <h2 id="used-by-title">{t("queries.usedBy.title")}</h2>
        <UsedBy usage={usage} />
      </section>

      {canManage && (
        <>
          <section aria-labelledby="new-version-title">
            <h2 id="new-version-title">{t("queries.newVersion")}</h2>
            <Form method="post" className="stack narrow" key={`v${latest}`}>
              <input type="hidden" name="intent" value="version" />
              <VersionFields
                sql={shown?.version === latest ? shown.sql : undefined}
                parameters={shown?.version === latest ? JSON.stringify(shown.parameters) : undefined}
              />
              <button type="submit" className="button primary">
                {t("queries.saveVersion")}
              </button>
            </Form>
          </section>
          <details>
            <summary>{t("queries.edit")}</summary>
            <Form method="post" className="stack narrow">
              <input type="hidden" name="intent" value="edit" />
              <MetadataFields
                groups={groups}
                defaults={{
                  name: query.name,
                  description,
                  tags: query.tags,
                  visibility: query.visibility,
                  groupId: query.groupId,
                }}
              />
              <button type="submit" className="button">
                {t("queries.saveChanges")}
              </button>
            </Form>
          </details>
          <Form method="post" className="row-actions">
            <button type="submit" name="intent" value={query.archived ? "unarchive" : "archive"} className="button">
              {query.archived ? t("queries.unarchive") : t("queries.archive")}
            </button>
            <button type="submit" name="intent" value="delete" className="button danger">
              {t("queries.delete")}
            </button>
          </Form>
        </>
      )}
    </>
  );
}
