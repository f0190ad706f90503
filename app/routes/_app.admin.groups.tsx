import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { accessControl } from "~/access/access.server";
import { GroupError } from "~/access/groups.server";
import { requireRole } from "~/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Groups · Harmony" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(request, context, ["admin"]);
  const { groups } = accessControl(context.services);
  return {
    groups: groups.list().map((g) => ({ ...g, members: groups.members(g.id) })),
    users: context.services.accounts.list().map((u) => ({ id: u.id, email: u.email })),
  };
}

const name = z.string().trim().min(1).max(100);
const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), name }),
  z.object({ intent: z.literal("rename"), groupId: z.string().min(1), name }),
  z.object({ intent: z.literal("member.add"), groupId: z.string().min(1), userId: z.string().min(1) }),
  z.object({ intent: z.literal("member.remove"), groupId: z.string().min(1), userId: z.string().min(1) }),
]);

type GroupResult =
  | { ok: true; message: "created" | "renamed" | "memberAdded" | "memberRemoved"; name: string }
  | { ok: false; error: "invalid" | "nameTaken" | "notFound" };

/** Admin only; every change goes to the audit log (group.create, group.rename, group.member.add/remove). */
export async function action({ request, context }: ActionFunctionArgs) {
  const me = requireRole(request, context, ["admin"]);
  const { groups } = accessControl(context.services);
  const parsed = intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<GroupResult>({ ok: false, error: "invalid" }, { status: 400 });
  const input = parsed.data;
  const log = (action: string, target: string, detail?: Record<string, unknown>) =>
    context.services.audit.record({ actor: me, action, target, detail, ip: context.clientIp });
  try {
    switch (input.intent) {
      case "create": {
        const group = groups.create(input.name);
        log("group.create", group.name, { group: group.id });
        return data<GroupResult>({ ok: true, message: "created", name: group.name });
      }
      case "rename": {
        const renamed = groups.rename(input.groupId, input.name);
        log("group.rename", renamed.to, { group: input.groupId, ...renamed });
        return data<GroupResult>({ ok: true, message: "renamed", name: renamed.to });
      }
      case "member.add":
      case "member.remove": {
        const group = groups.byId(input.groupId);
        const user = context.services.accounts.byId(input.userId);
        if (!group || !user) return data<GroupResult>({ ok: false, error: "notFound" }, { status: 404 });
        const adding = input.intent === "member.add";
        const changed = adding ? groups.addMember(group.id, user.id) : groups.removeMember(group.id, user.id);
        if (changed) log(`group.${input.intent}`, group.name, { group: group.id, user: user.email });
        // Membership changes the grants reaching the user, so maybe which slice (app/access) they are served.
        if (changed) context.services.slices.schedule();
        return data<GroupResult>({ ok: true, message: adding ? "memberAdded" : "memberRemoved", name: user.email });
      }
    }
  } catch (error) {
    if (error instanceof GroupError) {
      const code = error.code === "name-taken" ? "nameTaken" : error.code === "not-found" ? "notFound" : "invalid";
      return data<GroupResult>({ ok: false, error: code }, { status: code === "notFound" ? 404 : 400 });
    }
    throw error;
  }
}

function Banner({ result }: { result: GroupResult | undefined }) {
  const { t } = useTranslation();
  if (!result) return null;
  if (!result.ok) {
    const errors = {
      invalid: t("access.groups.errors.invalid"),
      nameTaken: t("access.groups.errors.nameTaken"),
      notFound: t("access.groups.errors.notFound"),
    };
    return (
      <p role="alert" className="form-error">
        {errors[result.error]}
      </p>
    );
  }
  const messages = {
    created: t("access.groups.done.created", { name: result.name }),
    renamed: t("access.groups.done.renamed", { name: result.name }),
    memberAdded: t("access.groups.done.memberAdded", { name: result.name }),
    memberRemoved: t("access.groups.done.memberRemoved", { name: result.name }),
  };
  return <output className="notice">{messages[result.message]}</output>;
}

export default function AdminGroups() {
  const { groups, users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("access.groups.title")}</h1>
      <Banner result={result} />
      <section aria-labelledby="create-group">
        <h2 id="create-group">{t("access.groups.create")}</h2>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="create" />
          <label>
            {t("access.groups.name")}
            <input name="name" required maxLength={100} />
          </label>
          <button type="submit" className="button primary" disabled={busy}>
            {t("access.groups.createButton")}
          </button>
        </Form>
      </section>
      {groups.length === 0 ? (
        <p>{t("access.groups.none")}</p>
      ) : (
        groups.map((g) => (
          <section key={g.id} aria-labelledby={`group-${g.id}`}>
            <h2 id={`group-${g.id}`}>
              {g.name} <span className="muted">({t("access.groups.memberCount", { count: g.members.length })})</span>
            </h2>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="rename" />
              <input type="hidden" name="groupId" value={g.id} />
              <label>
                {t("access.groups.newName", { name: g.name })}
                <input name="name" required maxLength={100} defaultValue={g.name} />
              </label>
              <button type="submit" className="button" disabled={busy}>
                {t("access.groups.rename")}
              </button>
            </Form>
            <ul>
              {g.members.map((m) => (
                <li key={m.id}>
                  <Form method="post" className="row-form">
                    {m.email}
                    <input type="hidden" name="intent" value="member.remove" />
                    <input type="hidden" name="groupId" value={g.id} />
                    <input type="hidden" name="userId" value={m.id} />
                    <button type="submit" className="button" disabled={busy}>
                      {t("access.groups.removeMember", { email: m.email, name: g.name })}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="member.add" />
              <input type="hidden" name="groupId" value={g.id} />
              <label>
                {t("access.groups.addMemberTo", { name: g.name })}
                <select name="userId" required defaultValue="">
                  <option value="" disabled>
                    {t("access.grants.choose")}
                  </option>
                  {users
                    .filter((u) => !g.members.some((m) => m.id === u.id))
                    .map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.email}
                      </option>
                    ))}
                </select>
              </label>
              <button type="submit" className="button" disabled={busy}>
                {t("access.groups.addMember")}
              </button>
            </Form>
          </section>
        ))
      )}
    </>
  );
}
