import { Link, useNavigate } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";

/**
 * A dialog over the notebook page, rendered by a child route (share, history): the notebook stays mounted and connected
 * behind it. Closing goes back to the notebook's own URL; Escape closes too.
 */
export function NotebookDialog(p: { notebookId: string; title: string; wide?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ref = useRef<HTMLElement>(null);
  // Dialogs nest (a version over the history list): each needs its own title id.
  const titleId = useId();
  const back = `/notebooks/${p.notebookId}`;
  useEffect(() => {
    ref.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") navigate(back, { preventScrollReset: true });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, back]);
  return (
    <div className="nb-dialog-backdrop">
      <section
        ref={ref}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={`nb-dialog${p.wide ? " nb-dialog-wide" : ""}`}
      >
        <header className="nb-dialog-head">
          <h2 id={titleId}>{p.title}</h2>
          <Link to={back} className="button" preventScrollReset>
            {t("notebook.dialog.close")}
          </Link>
        </header>
        {p.children}
      </section>
    </div>
  );
}

/** A date and time in the reader's own time zone (formatted after hydration, so server and client render alike). */
export function LocalTime({ iso, locale }: { iso: string; locale: string }) {
  const ref = useRef<HTMLTimeElement>(null);
  useEffect(() => {
    if (ref.current)
      ref.current.textContent = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
        new Date(iso),
      );
  }, [iso, locale]);
  return (
    <time ref={ref} dateTime={iso}>
      {iso.slice(0, 16).replace("T", " ")} UTC
    </time>
  );
}
