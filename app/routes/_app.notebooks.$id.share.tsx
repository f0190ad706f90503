import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { copyText } from "~/notebook/components/index";
import { requireNotebook } from "~/notebooks/access.server";
import { NotebookDialog } from "~/notebooks/components/NotebookDialog";
import { createNotebookSharing, type ShareError, SharingError } from "~/notebooks/sharing.server";

/** The sharing dialog (owner and admins): people by email and groups, as editor or viewer; a link to the notebook. */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  const { notebook } = requireNotebook(request, context, params.id ?? "", "manage");
  const { database, notebooks, collab } = context.services;
  const sharing = createNotebookSharing(database.db, notebooks, collab);
  return {
    notebook: { id: notebook.id, title: notebook.title, ownerName: notebook.ownerName },
    members: sharing.members(notebook.id),
    groups: sharing.groups(),
    link: new URL(`/notebooks/${notebook.id}`, request.url).href,
  };
}

const role = z.enum(["editor", "viewer"]);
const intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add-user"), email: z.string().trim().min(1).max(320), role }),
  z.object({ intent: z.literal("add-group"), groupId: z.string().min(1), role }),
  z.object({ intent: z.literal("role"), memberId: z.string().min(1), role }),
  z.object({ intent: z.literal("remove"), memberId: z.string().min(1) }),
]);

type ShareResult = { ok: true; message: "added" | "roleChanged" | "removed" } | { ok: false; error: ShareError | "invalid" };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, notebook } = requireNotebook(request, context, params.id ?? "", "manage");
  const { database, notebooks, collab, audit } = context.services;
  const parsed = intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<ShareResult>({ ok: false, error: "invalid" }, { status: 400 });
  const input = parsed.data;
  const sharing = createNotebookSharing(database.db, notebooks, collab);
  try {
    let message: "added" | "roleChanged" | "removed";
    let detail: Record<string, unknown>;
    if (input.intent === "add-user") {
      const { userId } = sharing.shareWithUser(notebook.id, input.email, input.role);
      message = "added";
      detail = { userId, email: input.email.toLowerCase(), role: input.role };
    } else if (input.intent === "add-group") {
      sharing.shareWithGroup(notebook.id, input.groupId, input.role);
      message = "added";
      detail = { groupId: input.groupId, role: input.role };
    } else if (input.intent === "role") {
      const member = sharing.setRole(notebook.id, input.memberId, input.role);
      message = "roleChanged";
      detail = { [member.kind === "user" ? "userId" : "groupId"]: member.principalId, role: input.role };
    } else {
      const member = sharing.remove(notebook.id, input.memberId);
      message = "removed";
      detail = { [member.kind === "user" ? "userId" : "groupId"]: member.principalId, role: null };
    }
    audit.record({ actor: user, action: "notebook.share", target: notebook.id, detail, ip: context.clientIp });
    return data<ShareResult>({ ok: true, message });
  } catch (error) {
    if (error instanceof SharingError) return data<ShareResult>({ ok: false, error: error.code }, { status: 400 });
    throw error;
  }
}

function RoleSelect({ name, value, label }: { name: string; value?: string; label: string }) {
  const { t } = useTranslation();
  return (
    <select name={name} defaultValue={value ?? "editor"} aria-label={label}>
      <option value="editor">{t("notebook.sharing.editor")}</option>
      <option value="viewer">{t("notebook.sharing.viewer")}</option>
    </select>
  );
}

export default function ShareDialog() {
  const { notebook, members, groups, link } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const errors: Record<ShareError | "invalid", string> = {
    invalid: t("notebook.sharing.errors.invalid"),
    "unknown-user": t("notebook.sharing.errors.unknownUser"),
    "unknown-group": t("notebook.sharing.errors.unknownGroup"),
    owner: t("notebook.sharing.errors.owner"),
    "viewer-account": t("notebook.sharing.errors.viewerAccount"),
    "unknown-member": t("notebook.sharing.errors.unknownMember"),
  };
  const messages = {
    added: t("notebook.sharing.added"),
    roleChanged: t("notebook.sharing.roleChanged"),
    removed: t("notebook.sharing.removed"),
  };
  const sharedGroups = new Set(members.filter((m) => m.kind === "group").map((m) => m.principalId));
  const freeGroups = groups.filter((g) => !sharedGroups.has(g.id));

  return (
    <NotebookDialog notebookId={notebook.id} title={t("notebook.sharing.title", { title: notebook.title })}>
      {result &&
        (result.ok ? (
          <output className="notice nb-dialog-status">{messages[result.message]}</output>
        ) : (
          <p className="form-error" role="alert">
            {errors[result.error]}
          </p>
        ))}
      <Form method="post" className="row-form nb-share-add">
        <label htmlFor="nb-share-email">{t("notebook.sharing.emailLabel")}</label>
        <input id="nb-share-email" name="email" type="email" required autoComplete="off" />
        <RoleSelect name="role" label={t("notebook.sharing.roleLabel")} />
        <button type="submit" name="intent" value="add-user" className="button primary">
          {t("notebook.sharing.add")}
        </button>
      </Form>
      {freeGroups.length > 0 && (
        <Form method="post" className="row-form nb-share-add">
          <label htmlFor="nb-share-group">{t("notebook.sharing.groupLabel")}</label>
          <select id="nb-share-group" name="groupId">
            {freeGroups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
          <RoleSelect name="role" label={t("notebook.sharing.roleLabel")} />
          <button type="submit" name="intent" value="add-group" className="button">
            {t("notebook.sharing.addGroup")}
          </button>
        </Form>
      )}
      <h3>{t("notebook.sharing.people")}</h3>
      <ul className="nb-share-members">
        <li>
          <span>{notebook.ownerName}</span> <span className="muted">{t("notebook.sharing.owner")}</span>
        </li>
        {members.map((m) => (
          <li key={m.id} data-member={m.email ?? m.name}>
            <span>
              {m.name} {m.email && <span className="muted">{m.email}</span>}
              {m.kind === "group" && <span className="muted"> {t("notebook.sharing.group")}</span>}
            </span>
            <Form method="post" className="row-form">
              <input type="hidden" name="memberId" value={m.id} />
              <RoleSelect name="role" value={m.role} label={t("notebook.sharing.roleOf", { name: m.name })} />
              <button type="submit" name="intent" value="role" className="button">
                {t("notebook.sharing.change")}
              </button>
              <button type="submit" name="intent" value="remove" className="button">
                {t("notebook.sharing.remove")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <div className="row-form nb-share-link">
        <label htmlFor="nb-share-link">{t("notebook.sharing.linkLabel")}</label>
        <input id="nb-share-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="button"
          onClick={async () => {
            setCopied(await copyText(link));
          }}
        >
          {copied ? t("notebook.sharing.copied") : t("notebook.sharing.copy")}
        </button>
      </div>
      <p className="muted">{t("notebook.sharing.linkHint")}</p>
    </NotebookDialog>
  );
}
