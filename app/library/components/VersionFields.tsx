import { useTranslation } from "react-i18next";

/** SQL, parameters (JSON input definitions) and message: the fields of every saved version. */
export function VersionFields(props: { sql?: string; parameters?: string; invalid?: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t("queries.form.sql")}
        <textarea
          name="sql"
          rows={10}
          required
          defaultValue={props.sql ?? ""}
          spellCheck={false}
          className="code-input"
          aria-invalid={props.invalid === "sql" || undefined}
        />
      </label>
      <label>
        {t("queries.form.parameters")}
        <textarea
          name="parameters"
          rows={3}
          defaultValue={props.parameters ?? "[]"}
          spellCheck={false}
          className="code-input"
          aria-invalid={props.invalid === "parameters" || undefined}
          aria-describedby="parameters-help"
        />
        <span id="parameters-help" className="muted">
          {t("queries.form.parametersHelp")}
        </span>
      </label>
      <label>
        {t("queries.form.message")}
        <input name="message" maxLength={500} />
      </label>
    </>
  );
}
