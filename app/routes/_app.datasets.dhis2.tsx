import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { HIERARCHY_ADMIN_ONLY, mayReplaceHierarchy } from "~/access/hierarchy-policy";
import { requireRole } from "~/auth/guards.server";
import {
  buildSpecFromForm,
  type ConnectionResult,
  formErrorMessage,
  type PickerItem,
  readConnection,
  testConnection,
} from "~/dhis2/form.server";
import { importOrgUnits } from "~/dhis2/import-org-units.server";
import { SourceConflictError, saveDhis2Source, withoutSecret } from "~/dhis2/sources.server";
import { dhis2UrlProblem } from "~/dhis2/url-policy.server";

export const meta: MetaFunction = () => [{ title: "New DHIS2 source · Harmony" }];

const RELATIVE_PERIODS = [
  "LAST_12_MONTHS",
  "LAST_3_MONTHS",
  "THIS_YEAR",
  "LAST_YEAR",
  "LAST_4_QUARTERS",
  "LAST_52_WEEKS",
  "LAST_5_YEARS",
];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  const locations = context.services.catalog.hierarchy().length;
  return { locations, mayImportOrgUnits: mayReplaceHierarchy(user.role, locations) };
}

type ActionResult =
  | { intent: "test"; result: ConnectionResult; error?: undefined }
  | { intent: string; error: string; result?: undefined };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(request, context, ["admin", "analyst"]);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const { catalog, runs, audit, database, config } = context.services;
  try {
    // Refuse internal addresses before the server fetches anything (app/dhis2/url-policy.server.ts).
    const urlProblem = await dhis2UrlProblem(readConnection(form).baseUrl, config.dhis2PrivateHosts);
    if (urlProblem) return data<ActionResult>({ intent, error: urlProblem }, { status: 400 });
    if (intent === "test") {
      const result = await testConnection(readConnection(form));
      return data<ActionResult>({ intent, result });
    }
    const { spec, connection, importOrgUnits: rebuild } = await buildSpecFromForm(form);
    if (catalog.bySlug(spec.dataset.slug))
      throw new SourceConflictError(`a dataset named "${spec.dataset.slug}" already exists: choose another short name`);
    if (rebuild) {
      if (!mayReplaceHierarchy(user.role, catalog.hierarchy().length)) {
        return data<ActionResult>({ intent, error: HIERARCHY_ADMIN_ONLY }, { status: 403 });
      }
      const imported = await importOrgUnits(catalog, connection);
      audit.record({
        actor: user,
        action: "locations.import",
        target: "dhis2",
        detail: { locations: imported.locations },
        ip: context.clientIp,
      });
    }
    const { sourceId } = saveDhis2Source({ db: database.db, catalog, dataDir: config.dataDir }, spec, user.id);
    audit.record({
      actor: user,
      action: "source.create",
      target: spec.dataset.slug,
      detail: { kind: "dhis2" },
      ip: context.clientIp,
    });
    // The run's spec file carries the placeholder only; the child unseals the credentials from the database.
    const run = runs.start(withoutSecret(spec), { userId: user.id, sourceId });
    const runId = await runs.started(run);
    return redirect(runId ? `/datasets/runs/${runId}` : `/datasets/${spec.dataset.slug}`);
  } catch (error) {
    const message = error instanceof SourceConflictError ? error.message : formErrorMessage(error);
    if (message === null) throw error;
    return data<ActionResult>({ intent, error: message }, { status: 400 });
  }
}

function Picker({ name, label, items, prefix }: { name: string; label: string; items: PickerItem[]; prefix: string }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  return (
    <fieldset className="stack">
      <legend>{label}</legend>
      <input
        type="search"
        aria-label={t("dhis2.form.filter", { what: label })}
        placeholder={t("dhis2.form.filterPlaceholder")}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <div className="picker" style={{ maxHeight: "16rem", overflowY: "auto" }}>
        {items.map((item) => (
          // Filtered-out items stay in the form (hidden), so a choice survives a change of filter.
          <label
            key={item.id}
            style={needle !== "" && !`${item.name} ${item.id}`.toLowerCase().includes(needle) ? { display: "none" } : undefined}
          >
            <input type="checkbox" name={name} value={`${prefix}:${item.id}`} /> {item.name}{" "}
            <code className="muted">{item.id}</code>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export default function NewDhis2Source() {
  const { locations, mayImportOrgUnits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [authType, setAuthType] = useState<"basic" | "token">("basic");
  const { t } = useTranslation();
  // The last successful test stays on screen when a later submission fails, so the choices made are not lost.
  const [connection, setConnection] = useState<ConnectionResult | undefined>(undefined);
  useEffect(() => {
    if (result?.result) setConnection(result.result);
  }, [result]);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/datasets">{t("nav.datasets")}</Link> / <Link to="/datasets/sources">{t("dhis2.sources.title")}</Link> /{" "}
        {t("dhis2.form.title")}
      </p>
      <h1>{t("dhis2.form.title")}</h1>
      <Form method="post" className="stack narrow" autoComplete="off">
        <fieldset className="stack">
          <legend>{t("dhis2.form.connection")}</legend>
          <label>
            {t("dhis2.form.baseUrl")}
            <input type="url" name="baseUrl" required placeholder="https://dhis2.example.org" />
          </label>
          <label>
            {t("dhis2.form.authType")}
            <select name="authType" value={authType} onChange={(e) => setAuthType(e.target.value as "basic" | "token")}>
              <option value="basic">{t("dhis2.form.basic")}</option>
              <option value="token">{t("dhis2.form.token")}</option>
            </select>
          </label>
          {authType === "basic" ? (
            <>
              <label>
                {t("dhis2.form.username")}
                <input name="username" autoComplete="off" />
              </label>
              <label>
                {t("dhis2.form.password")}
                <input name="password" type="password" autoComplete="new-password" />
              </label>
            </>
          ) : (
            <label>
              {t("dhis2.form.tokenLabel")}
              <input name="token" type="password" autoComplete="off" placeholder="d2pat_…" />
            </label>
          )}
          <button type="submit" name="intent" value="test" className="button" formNoValidate disabled={busy}>
            {t("dhis2.form.test")}
          </button>
          {connection && (
            <output className="notice" data-testid="dhis2-connection">
              {t("dhis2.form.connected")} <strong>{connection.connection.systemName}</strong> (DHIS2{" "}
              {connection.connection.version}) · {t("dhis2.form.connectedAs")} <strong>{connection.connection.userName}</strong>
            </output>
          )}
        </fieldset>

        {connection && (
          <>
            <Picker name="dx" prefix="de" label={t("dhis2.form.dataElements")} items={connection.dataElements} />
            <Picker name="dx" prefix="in" label={t("dhis2.form.indicators")} items={connection.indicators} />
            <label>
              {t("dhis2.form.periods")}
              <input name="periods" list="dhis2-relative-periods" defaultValue="LAST_12_MONTHS" />
              <datalist id="dhis2-relative-periods">
                {RELATIVE_PERIODS.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
            </label>
            <p className="muted">{t("dhis2.form.periodsHelp")}</p>
            <label>
              {t("dhis2.form.root")}
              <select name="root">
                {connection.roots.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("dhis2.form.level")}
              <select name="level" defaultValue="">
                <option value="">{t("dhis2.form.rootOnly")}</option>
                {connection.levels.map((l) => (
                  <option key={l.level} value={l.level}>
                    {l.level} · {l.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input type="checkbox" name="importOrgUnits" defaultChecked={locations === 0} disabled={!mayImportOrgUnits} />{" "}
              {t("dhis2.form.importOrgUnits")}
            </label>
            <p className="muted">{t(mayImportOrgUnits ? "dhis2.form.importOrgUnitsHelp" : "datasets.locations.adminOnly")}</p>
            <label>
              {t("dhis2.form.datasetTitle")}
              <input name="title" required />
            </label>
            <label>
              {t("dhis2.form.slug")}
              <input name="slug" required pattern="[a-z][a-z0-9_]{0,62}" />
            </label>
            <button type="submit" name="intent" value="run" className="button primary" disabled={busy}>
              {busy ? t("dhis2.form.working") : t("dhis2.form.run")}
            </button>
          </>
        )}
        {result?.error && (
          <p role="alert" className="form-error">
            {result.error}
          </p>
        )}
      </Form>
    </>
  );
}
