import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbidden, requireUser } from "~/auth/guards.server";
import { createQuery } from "~/library/actions.server";
import { FormError } from "~/library/components/FormError";
import { MetadataFields } from "~/library/components/MetadataFields";
import { VersionFields } from "~/library/components/VersionFields";
import { metadataFromForm, versionFromForm } from "~/library/form.server";
import { groupsForPicker } from "~/library/groups.server";
import libraryStyles from "~/library/library.css?url";
import { mayCreateQueries } from "~/library/visibility";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export const meta: MetaFunction = () => [{ title: "New query · Harmony" }];

/** Save a new library query (analysts, admins): its metadata, visibility and first version. */
export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  if (!mayCreateQueries(user.role)) throw forbidden("Only analysts and admins can save queries to the library.");
  return { groups: groupsForPicker(context.services.database.db, user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const form = await request.formData();
  const version = versionFromForm(form);
  if ("field" in version) return data({ error: version.error, field: version.field }, { status: 400 });
  const outcome = await createQuery(context, user, { ...metadataFromForm(form), ...version });
  if (!outcome.ok) {
    if (outcome.status === 403) throw forbidden(outcome.error);
    return data({ error: outcome.error, field: outcome.field ?? null }, { status: outcome.status });
  }
  return redirect(`/queries/${outcome.value.id}`);
}

export default function NewQuery() {
  const { groups } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation();
  return (
    <>
      <nav className="breadcrumbs" aria-label={t("queries.breadcrumbs")}>
        <Link to="/queries">{t("nav.queries")}</Link>
      </nav>
      <h1>{t("queries.newTitle")}</h1>
      <Form method="post" className="stack narrow">
        <FormError error={refused?.error} field={refused?.field} />
        <MetadataFields groups={groups} invalid={refused?.field} />
        <VersionFields invalid={refused?.field} />
        <button type="submit" className="button primary" disabled={busy}>
          {t("queries.form.create")}
        </button>
      </Form>
    </>
  );
}
