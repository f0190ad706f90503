/**
 * A location from the workspace hierarchy: a search box (names matched without case or accents, shown with their
 * parent) and a tree opened level by level. Only locations at the input's levels can be picked; one or several
 * depending on the input. The value is the location id(s); names are for display.
 */
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LocationNode } from "../../../../kernel/parameters/index.ts";
import type { WidgetProps } from "./SimpleInputs.tsx";

type LocationDef = Extract<WidgetProps["def"], { type: "location" }>;

const MAX_MATCHES = 50;
const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim();

export function LocationPicker(p: WidgetProps<LocationDef> & { locations: readonly LocationNode[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState<Set<string>>(new Set());
  const { byId, children, roots } = useMemo(() => {
    const byId = new Map(p.locations.map((l) => [l.id, l]));
    const children = new Map<string, LocationNode[]>();
    const roots: LocationNode[] = [];
    for (const l of p.locations) {
      if (l.parentId && byId.has(l.parentId)) children.set(l.parentId, [...(children.get(l.parentId) ?? []), l]);
      else roots.push(l);
    }
    return { byId, children, roots };
  }, [p.locations]);

  const chosen = Array.isArray(p.value) ? (p.value as string[]) : typeof p.value === "string" ? [p.value] : [];
  const pickable = (l: LocationNode) => !p.def.levels || (l.level !== undefined && p.def.levels.includes(l.level));
  const toggle = (l: LocationNode) => {
    if (!p.def.multiple) return p.onChange(chosen.includes(l.id) ? null : l.id);
    p.onChange(chosen.includes(l.id) ? chosen.filter((c) => c !== l.id) : [...chosen, l.id]);
  };

  const matches = useMemo(() => {
    const q = fold(query);
    if (!q) return [];
    return p.locations.filter((l) => fold(l.name).includes(q)).slice(0, MAX_MATCHES);
  }, [query, p.locations]);

  const pickButton = (l: LocationNode) => {
    const isChosen = chosen.includes(l.id);
    const parent = l.parentId ? byId.get(l.parentId)?.name : undefined;
    return (
      <button
        type="button"
        className={`nb-loc-pick${isChosen ? " nb-loc-chosen" : ""}`}
        aria-pressed={isChosen}
        disabled={!pickable(l)}
        title={parent ? `${l.name} (${parent})` : l.name}
        onClick={() => toggle(l)}
      >
        {l.name}
      </button>
    );
  };

  const branch = (nodes: readonly LocationNode[], depth: number): React.ReactNode => (
    <ul className="nb-loc-tree" aria-label={depth === 0 ? t("notebook.input.location.tree") : undefined}>
      {nodes.map((l) => {
        const kids = children.get(l.id) ?? [];
        const expanded = open.has(l.id);
        return (
          <li key={l.id}>
            {kids.length > 0 ? (
              <button
                type="button"
                className="nb-loc-toggle"
                aria-expanded={expanded}
                aria-label={
                  expanded
                    ? t("notebook.input.location.collapse", { name: l.name })
                    : t("notebook.input.location.expand", { name: l.name })
                }
                onClick={() =>
                  setOpen((all) => {
                    const next = new Set(all);
                    if (expanded) next.delete(l.id);
                    else next.add(l.id);
                    return next;
                  })
                }
              >
                {expanded ? "▾" : "▸"}
              </button>
            ) : (
              <span className="nb-loc-leaf" aria-hidden="true" />
            )}
            {pickButton(l)}
            {expanded && kids.length > 0 && branch(kids, depth + 1)}
          </li>
        );
      })}
    </ul>
  );

  return (
    <div className="nb-input-location" aria-describedby={p.problemId}>
      <div className="nb-loc-chosen-list" aria-live="polite">
        {chosen.length === 0 ? (
          <span className="muted">{t("notebook.input.location.none")}</span>
        ) : (
          chosen.map((c) => (
            <span key={c} className="nb-loc-chip">
              {byId.get(c)?.name ?? c}
              <button
                type="button"
                aria-label={t("notebook.input.location.remove", { name: byId.get(c)?.name ?? c })}
                onClick={() => p.onChange(p.def.multiple ? chosen.filter((x) => x !== c) : null)}
              >
                ✕
              </button>
            </span>
          ))
        )}
      </div>
      <label htmlFor={`${id}-search`} className="visually-hidden">
        {t("notebook.input.location.search")}
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={query}
        placeholder={t("notebook.input.location.search")}
        onChange={(e) => setQuery(e.target.value)}
      />
      {query.trim() ? (
        <ul className="nb-loc-matches" aria-label={t("notebook.input.location.matches")}>
          {matches.length === 0 && <li className="muted">{t("notebook.input.location.noMatch")}</li>}
          {matches.map((l) => (
            <li key={l.id}>{pickButton(l)}</li>
          ))}
        </ul>
      ) : (
        branch(roots, 0)
      )}
    </div>
  );
}
