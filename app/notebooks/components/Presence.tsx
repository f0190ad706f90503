import { useTranslation } from "react-i18next";
import { distinctPeople, type Peer } from "../client/use-presence.ts";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0][0]}${parts[parts.length - 1][0]}` : (parts[0]?.slice(0, 2) ?? "?");
  return letters.toUpperCase();
}

/** Who is here: one coloured avatar per person, with their name. */
export function PresenceAvatars({ peers }: { peers: Peer[] }) {
  const { t } = useTranslation();
  const people = distinctPeople(peers);
  if (people.length === 0) return null;
  return (
    <ul className="nb-presence" aria-label={t("notebook.presence.label")}>
      {people.map((p) => {
        const label = p.self ? t("notebook.presence.you", { name: p.name }) : p.name;
        return (
          <li key={p.clientId} className="nb-avatar" data-user-name={p.name} data-self={p.self || undefined} title={label}>
            <span className="nb-avatar-dot" style={{ background: p.color }} aria-hidden="true">
              {initials(p.name)}
            </span>
            <span className="visually-hidden">{label}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The people (other than this client) whose cursor is in a cell: a coloured marker over the cell. */
export function CellPresence({ peers }: { peers: Peer[] }) {
  const { t } = useTranslation();
  if (peers.length === 0) return null;
  return (
    <div className="nb-cell-presence">
      <span className="visually-hidden">{t("notebook.presence.inCell")}</span>
      {distinctPeople(peers).map((p) => (
        <span key={p.clientId} className="nb-cell-presence-name" data-user-name={p.name} style={{ background: p.color }}>
          {p.name}
        </span>
      ))}
    </div>
  );
}
