/** Values in the page's link that could not be used: each names its input and says why the default is used instead. */
import { useTranslation } from "react-i18next";
import type { UrlNotice } from "../../../../kernel/parameters/index.ts";

export function InputNotices({ notices, onDismiss }: { notices: readonly UrlNotice[]; onDismiss: () => void }) {
  const { t } = useTranslation();
  if (notices.length === 0) return null;
  return (
    <div className="nb-input-notices" role="alert">
      <p>{t("notebook.input.urlNoticeTitle")}</p>
      <ul>
        {notices.map((n) => (
          <li key={`${n.input}:${n.message}`}>{t("notebook.input.urlNotice", { input: n.input, message: n.message })}</li>
        ))}
      </ul>
      <button type="button" className="button nb-small" onClick={onDismiss}>
        {t("notebook.input.dismiss")}
      </button>
    </div>
  );
}
