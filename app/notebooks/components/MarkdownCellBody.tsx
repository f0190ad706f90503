import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { MarkdownView, type RunMode } from "../../notebook/components/index.ts";
import { applyTextChange } from "../client/text-diff.ts";

/**
 * A text cell: its markdown rendered (sanitized by MarkdownView), or while editing a plain textarea bound to the cell's
 * Y.Text. Shift+Enter renders and moves on, Ctrl/Cmd+Enter renders and stays, Escape renders.
 */
export function MarkdownCellBody(props: {
  text: Y.Text;
  label: string;
  editing: boolean;
  canEdit: boolean;
  onEdit: () => void;
  onDone: (mode: RunMode) => void;
}) {
  const { text, editing, canEdit } = props;
  const { t } = useTranslation();
  const [value, setValue] = useState(() => text.toString());
  const [origin, setOrigin] = useState<string | undefined>(undefined);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setOrigin(window.location.origin);
    const follow = () => setValue(text.toString());
    follow();
    text.observe(follow);
    return () => text.unobserve(follow);
  }, [text]);

  useEffect(() => {
    if (editing) area.current?.focus();
  }, [editing]);

  if (!editing || !canEdit) {
    return (
      <div className="nb-md-view">
        <MarkdownView source={value} origin={origin} />
        {canEdit && (
          <button type="button" className="button nb-md-edit" onClick={props.onEdit}>
            {t("notebook.markdownCell.edit")}
          </button>
        )}
      </div>
    );
  }
  return (
    <textarea
      ref={area}
      className="nb-md-editor"
      aria-label={props.label}
      value={value}
      rows={Math.min(20, Math.max(3, value.split("\n").length + 1))}
      placeholder={t("notebook.markdownCell.placeholder")}
      onChange={(e) => applyTextChange(text, text.toString(), e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter" && e.shiftKey && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          props.onDone("advance");
        } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          props.onDone("stay");
        } else if (e.key === "Escape") {
          e.preventDefault();
          props.onDone("stay");
        }
      }}
    />
  );
}
