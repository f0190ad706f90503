import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { joinWorkspaceGroup } from "~/access/workspace-group.server";
import { AccountError, newUserSchema } from "~/auth/accounts.server";
import { requireRole } from "~/auth/guards.server";
import { generatePassword } from "~/auth/password.server";
import { roleLabel } from "~/components/role-label";
import { ROLES } from "../../db/roles";

export const meta: MetaFunction = () => [{ title: "Admin · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const me = requireRole(request, context, ["admin"]);
  const users = context.services.accounts.list().map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: Boolean(u.disabledAt),
  }));
  return { users, meId: me.id };
}

const intent = z.discriminatedUnion("intent", [
  newUserSchema.extend({ intent: z.literal("create") }),
  z.object({ intent: z.literal("role"), userId: z.string(), role: z.enum(ROLES) }),
  z.object({ intent: z.literal("disable"), userId: z.string(), disabled: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("reset"), userId: z.string() }),
]);

type AdminResult =
  | { ok: true; message: "created" | "roleChanged" | "disabled" | "enabled" | "reset"; email: string; password?: string }
  | { ok: false; error: "invalid" | "emailTaken" | "self" | "notFound" };

export async function action({ request, context }: ActionFunctionArgs) {
  const me = requireRole(request, context, ["admin"]);
  const { accounts, sessions, audit } = context.services;
  const parsed = intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<AdminResult>({ ok: false, error: "invalid" }, { status: 400 });
  const input = parsed.data;
  const log = (action: string, target: string, detail?: Record<string, unknown>) =>
    audit.record({ actor: me, action, target, detail, ip: context.clientIp });

  if (input.intent === "create") {
    try {
      const password = generatePassword();
      const createdId = await accounts.create(input, password);
      // Demo mode: new accounts read the demo datasets like the others (through the Workspace group).
      if (context.services.config.demo) joinWorkspaceGroup(context.services.database.db, createdId);
      log("user.create", input.email, { role: input.role });
      return data<AdminResult>({ ok: true, message: "created", email: input.email, password });
    } catch (error) {
      if (error instanceof AccountError) return data<AdminResult>({ ok: false, error: "emailTaken" }, { status: 409 });
      throw error;
    }
  }
  const target = accounts.byId(input.userId);
  if (!target) return data<AdminResult>({ ok: false, error: "notFound" }, { status: 404 });
  // An admin cannot demote or disable themselves: the workspace would risk having no admin left.
  if (target.id === me.id && input.intent !== "reset") return data<AdminResult>({ ok: false, error: "self" }, { status: 400 });

  switch (input.intent) {
    case "role":
      accounts.setRole(target.id, input.role);
      log("user.role", target.email, { from: target.role, to: input.role });
      return data<AdminResult>({ ok: true, message: "roleChanged", email: target.email });
    case "disable": {
      const disabled = input.disabled === "true";
      accounts.setDisabled(target.id, disabled);
      if (disabled) {
        await sessions.invalidateAllOf(target.id);
        context.services.collab.closeUserSockets(target.id);
      }
      log(disabled ? "user.disable" : "user.enable", target.email);
      return data<AdminResult>({ ok: true, message: disabled ? "disabled" : "enabled", email: target.email });
    }
    case "reset": {
      const password = await accounts.resetPassword(target.id);
      await sessions.invalidateAllOf(target.id);
      context.services.collab.closeUserSockets(target.id);
      log("user.password-reset", target.email);
      return data<AdminResult>({ ok: true, message: "reset", email: target.email, password });
    }
  }
}

function ResultBanner({ result }: { result: AdminResult | undefined }) {
  const { t } = useTranslation();
  if (!result) return null;
  if (!result.ok) {
    const errors = {
      invalid: t("admin.errors.invalid"),
      emailTaken: t("admin.errors.emailTaken"),
      self: t("admin.errors.self"),
      notFound: t("admin.errors.notFound"),
    };
    return (
      <p role="alert" className="form-error">
        {errors[result.error]}
      </p>
    );
  }
  const messages = {
    created: t("admin.done.created", { email: result.email }),
    roleChanged: t("admin.done.roleChanged", { email: result.email }),
    disabled: t("admin.done.disabled", { email: result.email }),
    enabled: t("admin.done.enabled", { email: result.email }),
    reset: t("admin.done.reset", { email: result.email }),
  };
  return (
    <output className="notice">
      <p>{messages[result.message]}</p>
      {result.password && (
        <p>
          {t("admin.passwordOnce")} <code data-testid="new-password">{result.password}</code>
        </p>
      )}
    </output>
  );
}

export default function AdminUsers() {
  const { users, meId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <ResultBanner result={result} />
      <section aria-labelledby="create-user">
        <h2 id="create-user">{t("admin.createUser")}</h2>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="create" />
          <label>
            {t("admin.email")}
            <input name="email" type="email" required />
          </label>
          <label>
            {t("admin.name")}
            <input name="name" required maxLength={200} />
          </label>
          <label>
            {t("admin.role")}
            <select name="role" defaultValue="analyst">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(t, r)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button primary" disabled={busy}>
            {t("admin.create")}
          </button>
        </Form>
      </section>
      <section aria-labelledby="users-heading">
        <h2 id="users-heading">{t("admin.users")}</h2>
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("admin.email")}</th>
                <th scope="col">{t("admin.name")}</th>
                <th scope="col">{t("admin.role")}</th>
                <th scope="col">{t("admin.status")}</th>
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.email}</td>
                  <td>{u.name}</td>
                  <td>
                    <Form method="post" className="row-form">
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="userId" value={u.id} />
                      <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                        {t("admin.roleOf", { email: u.email })}
                      </label>
                      <select id={`role-${u.id}`} name="role" defaultValue={u.role} disabled={u.id === meId}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {roleLabel(t, r)}
                          </option>
                        ))}
                      </select>
                      <button type="submit" className="button" disabled={u.id === meId || busy}>
                        {t("admin.changeRole")}
                      </button>
                    </Form>
                  </td>
                  <td>{u.disabled ? t("admin.disabled") : t("admin.active")}</td>
                  <td className="row-actions">
                    <Form method="post">
                      <input type="hidden" name="intent" value="disable" />
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="disabled" value={u.disabled ? "false" : "true"} />
                      <button type="submit" className="button" disabled={u.id === meId || busy}>
                        {u.disabled ? t("admin.enable") : t("admin.disable")}
                      </button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="intent" value="reset" />
                      <input type="hidden" name="userId" value={u.id} />
                      <button type="submit" className="button" disabled={busy}>
                        {t("admin.resetPassword")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
