/**
 * Field ids are SQL-friendly identifiers (notebooks write `WHERE field_id = 'malaria_confirmed_cases'`):
 * lowercase ASCII letters, digits and underscores, starting with a letter, at most 63 characters.
 */
const COMBINING_MARKS = /\p{M}+/gu;
const NON_ID = /[^a-z0-9]+/g;
const EDGE_UNDERSCORES = /^_+|_+$/g;
const STARTS_WITH_LETTER = /^[a-z]/;

export const FIELD_ID_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const FIELD_ID_MAX_LENGTH = 63;

/** NFKD, so "ª" and ligatures become letters too. "Malaria – confirmed cases (<5 yrs)" → "malaria_confirmed_cases_5_yrs"; "2nd dose" → "f_2nd_dose"; never empty. */
export function fieldIdFromName(name: string): string {
  let id = name.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase().replace(NON_ID, "_").replace(EDGE_UNDERSCORES, "");
  if (id.length === 0) id = "field";
  if (!STARTS_WITH_LETTER.test(id)) id = `f_${id}`;
  return id.slice(0, FIELD_ID_MAX_LENGTH).replace(EDGE_UNDERSCORES, "");
}

/** Slugs for many names at once, with `_2`, `_3`… added where two names would give the same id. */
export function uniqueFieldIds(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = fieldIdFromName(name);
    let id = base;
    for (let n = 2; used.has(id); n++) {
      const suffix = `_${n}`;
      id = `${base.slice(0, FIELD_ID_MAX_LENGTH - suffix.length)}${suffix}`;
    }
    used.add(id);
    return id;
  });
}
