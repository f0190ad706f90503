import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { QueryVisibility } from "../types.ts";

export interface MetadataDefaults {
  name: string;
  description: string;
  tags: string[];
  visibility: QueryVisibility;
  groupId: string | null;
}

/** Name, description, tags and who sees the query (private, one group, the workspace). */
export function MetadataFields(props: {
  defaults?: MetadataDefaults;
  groups: { id: string; name: string }[];
  invalid?: string | null;
}) {
  const { t } = useTranslation();
  const d = props.defaults;
  const [visibility, setVisibility] = useState<QueryVisibility>(d?.visibility ?? "private");
  return (
    <>
      <label>
        {t("queries.form.name")}
        <input name="name" required maxLength={120} defaultValue={d?.name} aria-invalid={props.invalid === "name" || undefined} />
      </label>
      <label>
        {t("queries.form.description")}
        <textarea name="description" rows={3} maxLength={5000} defaultValue={d?.description} />
      </label>
      <label>
        {t("queries.form.tags")}
        <input name="tags" defaultValue={d?.tags.join(", ")} placeholder={t("queries.form.tagsPlaceholder")} />
      </label>
      <fieldset className="choices">
        <legend>{t("queries.form.visibility")}</legend>
        {(["private", "group", "workspace"] as const).map((v) => (
          <label key={v} className="choice">
            <input type="radio" name="visibility" value={v} checked={visibility === v} onChange={() => setVisibility(v)} />
            {v === "private"
              ? t("queries.visibility.private")
              : v === "group"
                ? t("queries.visibility.group")
                : t("queries.visibility.workspace")}
          </label>
        ))}
      </fieldset>
      <label>
        {t("queries.form.group")}
        <select
          name="groupId"
          defaultValue={d?.groupId ?? ""}
          // Not disabled without a group choice: the form must work without JavaScript; the server ignores it then.
          aria-disabled={visibility !== "group" || undefined}
          aria-invalid={props.invalid === "groupId" || undefined}
        >
          <option value="">{t("queries.form.groupNone")}</option>
          {props.groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
