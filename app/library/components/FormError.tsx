import { useTranslation } from "react-i18next";

/** A refusal from a library form: what is wrong in the user's language, and the server's detail (naming the field). */
export function FormError(props: { error?: string | null; field?: string | null }) {
  const { t } = useTranslation();
  if (!props.error) return null;
  return (
    <div className="form-error" role="alert">
      <p>{t("queries.errors.refused")}</p>
      <p className="muted">{props.error}</p>
    </div>
  );
}
