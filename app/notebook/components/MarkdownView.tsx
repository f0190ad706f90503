import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { type MarkdownOptions, renderMarkdown } from "./markdown.ts";

export interface MarkdownViewProps {
  source: string;
  /** The page origin, to allow absolute image URLs on it (see markdown.ts for the policy). */
  origin?: MarkdownOptions["origin"];
  className?: string;
}

/**
 * A rendered markdown cell. The HTML is sanitized by `renderMarkdown` (same output on server and client, so hydration
 * matches); this is the only place in the folder that sets inner HTML. Switching to editing is the cell frame's business.
 */
export function MarkdownView({ source, origin, className }: MarkdownViewProps) {
  const { t } = useTranslation();
  const html = useMemo(() => renderMarkdown(source, { origin }), [source, origin]);
  const classes = `nb-markdown${className ? ` ${className}` : ""}`;
  if (source.trim() === "") {
    return (
      <div className={`${classes} nb-markdown-empty`}>
        <p className="muted">{t("notebook.markdown.empty")}</p>
      </div>
    );
  }
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by renderMarkdown's allowlist (tested with an XSS corpus)
  return <div className={classes} dangerouslySetInnerHTML={{ __html: html }} />;
}
