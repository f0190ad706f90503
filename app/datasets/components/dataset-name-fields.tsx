import { useState } from "react";
import { useTranslation } from "react-i18next";
import { slugOf } from "./slug";

/** The dataset's title and short name; the short name follows the title until the user edits it. */
export function DatasetNameFields({ defaultTitle }: { defaultTitle: string }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(defaultTitle);
  const [slug, setSlug] = useState(slugOf(defaultTitle));
  const [slugEdited, setSlugEdited] = useState(false);
  return (
    <fieldset className="inline-form">
      <legend>{t("datasets.wizard.dataset")}</legend>
      <label>
        {t("datasets.wizard.title")}
        <input
          name="title"
          value={title}
          required
          maxLength={200}
          onChange={(e) => {
            setTitle(e.currentTarget.value);
            if (!slugEdited) setSlug(slugOf(e.currentTarget.value));
          }}
        />
      </label>
      <label>
        {t("datasets.wizard.slug")}
        <input
          name="slug"
          value={slug}
          pattern="[a-z][a-z0-9_]{0,62}"
          required
          onChange={(e) => {
            setSlug(e.currentTarget.value);
            setSlugEdited(true);
          }}
          aria-describedby="slug-help"
        />
      </label>
      <p id="slug-help" className="muted">
        {t("datasets.wizard.slugHelp", { slug })}
      </p>
    </fieldset>
  );
}
