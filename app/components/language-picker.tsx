import { Form, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, LANGUAGES } from "~/i18n/languages";

/** A small form, so it works without JavaScript; with JavaScript it submits as soon as a language is picked. */
export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/language" className="language-picker" reloadDocument>
      <input type="hidden" name="returnTo" value={`${location.pathname}${location.search}`} />
      <label>
        {t("shell.language")}
        <select name="language" defaultValue={i18n.language} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
          {LANGUAGES.map((lang) => (
            <option key={lang} value={lang} lang={lang}>
              {LANGUAGE_NAMES[lang]}
            </option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit" className="button">
          {t("shell.apply")}
        </button>
      </noscript>
    </Form>
  );
}
