import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { type MarkdownOptions, renderMarkdown } from "./markdown.ts";

export interface MarkdownViewProps {
  source: string;
  /** The page origin, to allow absolute image URLs on it (see markdown.ts for the policy). */
  origin?: MarkdownOptions["origin"];
  /** Called on double-click or Enter, so a reader can switch the cell to editing; omitted in read-only views. */
  onEdit?: () => void;
  className?: string;
}

/**
 * A rendered markdown cell. The HTML is sanitized by `renderMarkdown` (same output on server and client, so hydration matches);
 * it is the only place this folder uses dangerouslySetInnerHTML.
 */
export function MarkdownView({ source, origin, onEdit, className }: MarkdownViewProps) {
  const { t } = useTranslation();
  const html = useMemo(() => renderMarkdown(source, { origin }), [source, origin]);
  if (source.trim() === "") {
    return (
      <div className={`nb-markdown nb-markdown-empty ${className ?? ""}`} onDoubleClick={onEdit}>
        <p className="muted">{t("notebook.markdown.empty")}</p>
      </div>
    );
  }
  return (
    <div
      className={`nb-markdown ${className ?? ""}`}
      onDoubleClick={onEdit}
      onKeyDown={
        onEdit
          ? (e) => {
              if (e.key === "Enter" && e.target === e.currentTarget) {
                e.preventDefault();
                onEdit();
              }
            }
          : undefined
      }
      tabIndex={onEdit ? 0 : undefined}
      aria-label={onEdit ? t("notebook.markdown.editHint") : undefined}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by renderMarkdown's allowlist (tested with an XSS corpus)
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
