import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LocationMatch } from "../location-search";

interface Props {
  slug: string;
  levels: { level: number; name: string }[];
  /** Changes after a grant was added: the choice starts over. */
  resetKey: unknown;
}

/**
 * "Only these locations" of the grant form: search the hierarchy by name (any level, or one level), add matches to the
 * choice; each chosen location is a hidden `locations` field of the form. The server checks every path again.
 */
export function LocationPicker({ slug, levels, resetKey }: Props) {
  const { t } = useTranslation();
  const search = useFetcher<{ matches: LocationMatch[] }>();
  const [q, setQ] = useState("");
  const [level, setLevel] = useState("");
  const [chosen, setChosen] = useState<LocationMatch[]>([]);
  const id = useId();

  useEffect(() => {
    if (resetKey) setChosen([]);
  }, [resetKey]);

  useEffect(() => {
    if (!q.trim() && !level) return;
    // Waits for a pause in typing, so a fast typist sends one request, not one per key.
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ q });
      if (level) params.set("level", level);
      search.load(`/datasets/${encodeURIComponent(slug)}/grant-locations.json?${params}`);
    }, 200);
    return () => clearTimeout(timer);
  }, [q, level, slug, search.load]);

  const matches = q.trim() || level ? (search.data?.matches ?? []) : [];
  const place = (m: LocationMatch) => [m.levelName, ...m.within.slice(-2)].join(" · ");
  return (
    <fieldset className="location-picker">
      <legend>{t("access.grants.restrict")}</legend>
      {chosen.length > 0 && (
        <ul className="chosen-locations" aria-label={t("access.grants.chosen")}>
          {chosen.map((m) => (
            <li key={m.path}>
              <input type="hidden" name="locations" value={m.path} />
              {m.name} <span className="muted">({place(m)})</span>{" "}
              <button type="button" className="button" onClick={() => setChosen((c) => c.filter((x) => x.path !== m.path))}>
                {t("access.grants.unchoose", { name: m.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={`${id}-q`}>{t("access.grants.searchLocation")}</label>
      <input
        id={`${id}-q`}
        type="search"
        value={q}
        autoComplete="off"
        maxLength={200}
        placeholder={t("access.grants.searchPlaceholder")}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          // Enter picks the first match instead of submitting the grant form half-filled.
          if (e.key === "Enter") {
            e.preventDefault();
            const first = matches.find((m) => !chosen.some((c) => c.path === m.path));
            if (first) setChosen((c) => [...c, first]);
          }
        }}
      />
      <label htmlFor={`${id}-level`}>{t("access.grants.level")}</label>
      <select id={`${id}-level`} value={level} onChange={(e) => setLevel(e.target.value)}>
        <option value="">{t("access.grants.anyLevel")}</option>
        {levels.map((l) => (
          <option key={l.level} value={String(l.level)}>
            {l.name}
          </option>
        ))}
      </select>
      {(q.trim() || level) && search.state === "idle" && matches.length === 0 && (
        <p className="muted">{t("access.grants.noMatches")}</p>
      )}
      {matches.length > 0 && (
        <ul className="location-matches" aria-label={t("access.grants.matches")}>
          {matches.map((m) => {
            const picked = chosen.some((c) => c.path === m.path);
            return (
              <li key={m.path}>
                <button
                  type="button"
                  className="button"
                  disabled={picked}
                  onClick={() => setChosen((c) => (picked ? c : [...c, m]))}
                >
                  {t("access.grants.choose1", { name: m.name })}
                </button>{" "}
                <span className="muted">{place(m)}</span>
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}
