/** First guesses for the column roles of the mapping step, so a well-named sheet needs no clicks. */
export interface LevelOption {
  level: number;
  name: string;
}

const PERIOD_WORDS = /^(period|periode|período|periodo|month|mois|mês|mes|date|week|semaine|semana|year|année|ano|pe)$/i;
const DISAGGREGATION_WORDS = /^(disaggregation|désagrégation|desagregação|categoryoptioncombo|coc|category|age|sex|sexe)$/i;
const FIELD_WORDS = /^(dataelement|data element|indicator|indicateur|indicador|field|de|dx|variable)$/i;
const AMOUNT_WORDS = /^(value|valeur|valor|amount)$/i;

const clean = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, " ")
    .trim();

export function guessRoles(columns: string[], sample: Array<Array<string | null>>, levels: LevelOption[]): string[] {
  const numeric = (i: number) => {
    const values = sample.map((r) => (r[i] ?? "").trim()).filter((v) => v !== "");
    return values.length > 0 && values.every((v) => /^-?[\d\s.,]+$/.test(v));
  };
  let periodTaken = false;
  return columns.map((column, i) => {
    const name = clean(column);
    const level = levels.find((l) => clean(l.name) === name || name.startsWith(`${clean(l.name)} `));
    if (level) return `location:${level.level}`;
    if (!periodTaken && PERIOD_WORDS.test(name)) {
      periodTaken = true;
      return "period";
    }
    if (FIELD_WORDS.test(name)) return "field";
    if (AMOUNT_WORDS.test(name)) return "amount";
    if (DISAGGREGATION_WORDS.test(name)) return "disaggregation";
    return numeric(i) ? "value" : "";
  });
}
