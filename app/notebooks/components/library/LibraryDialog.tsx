import { type ReactNode, useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";

/**
 * A modal dialog over the live notebook (saving to and inserting from the library): the first field takes the focus,
 * Tab stays inside, Escape and the close button close it, and the focus goes back to what opened it.
 */
export function LibraryDialog(p: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();
  const close = useRef(p.onClose);
  close.current = p.onClose;

  useEffect(() => {
    // Opened from a menu item: the item is hidden once its menu closes, so the focus returns to the menu's button.
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const menu = active?.closest("details");
    const opener = menu ? menu.querySelector<HTMLElement>("summary") : active;
    const first = ref.current?.querySelector<HTMLElement>("[data-autofocus], input, select, textarea");
    (first ?? ref.current)?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close.current();
      return;
    }
    if (event.key !== "Tab" || !ref.current) return;
    const focusable = [
      ...ref.current.querySelectorAll<HTMLElement>(
        "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled])",
      ),
    ].filter((el) => el.offsetParent !== null);
    if (focusable.length === 0) return;
    const [head, tail] = [focusable[0], focusable[focusable.length - 1]];
    if (event.shiftKey && document.activeElement === head) {
      event.preventDefault();
      tail.focus();
    } else if (!event.shiftKey && document.activeElement === tail) {
      event.preventDefault();
      head.focus();
    }
  };

  return (
    <div className="nb-dialog-backdrop">
      <section
        ref={ref}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={`nb-dialog nb-library-dialog${p.wide ? " nb-dialog-wide" : ""}`}
        onKeyDown={onKeyDown}
      >
        <header className="nb-dialog-head">
          <h2 id={titleId}>{p.title}</h2>
          <button type="button" className="button" onClick={() => close.current()}>
            {t("notebook.dialog.close")}
          </button>
        </header>
        {p.children}
      </section>
    </div>
  );
}
