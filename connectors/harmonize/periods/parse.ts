/**
 * The DHIS2 ISO period id grammar (dhis2-core Period.Input.of + DateUnitPeriodTypeParser), with errors that say why.
 * Ids are case-sensitive as in DHIS2; input forms 2024-01 and 2024-01-05 are accepted and canonicalised to 202401 and
 * 20240105, and week numbers may be zero-padded (2024W05) but come out unpadded (2024W5), as DHIS2 outputs them.
 */

import { dailyPeriod, periodAt } from "./build.ts";
import { checkedDay } from "./civil.ts";
import { type ParsedPeriod, PeriodError, type PeriodOptions, type PeriodType } from "./model.ts";

interface Rule {
  pattern: RegExp;
  /** Returns the period, or throws PeriodError. `m[1]` is always the 4-digit year. */
  build(m: RegExpExecArray, id: string, options: PeriodOptions): ParsedPeriod;
}

const WEEK_TOKENS: Record<string, PeriodType> = {
  W: "Weekly",
  WedW: "WeeklyWednesday",
  ThuW: "WeeklyThursday",
  FriW: "WeeklyFriday",
  SatW: "WeeklySaturday",
  SunW: "WeeklySunday",
  BiW: "BiWeekly",
};

const FINANCIAL_SUFFIXES: Record<string, PeriodType> = {
  Feb: "FinancialFeb",
  April: "FinancialApril",
  July: "FinancialJuly",
  Aug: "FinancialAug",
  Sep: "FinancialSep",
  Oct: "FinancialOct",
  Nov: "FinancialNov",
};

const SUB_YEAR_TOKENS: Record<string, PeriodType> = {
  Q: "Quarterly",
  NovQ: "QuarterlyNov",
  S: "SixMonthly",
  AprilS: "SixMonthlyApril",
  NovS: "SixMonthlyNov",
};

function daily(m: RegExpExecArray, id: string): ParsedPeriod {
  const day = checkedDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (typeof day === "string") throw new PeriodError(`${id}: ${day}`);
  return dailyPeriod(day, id);
}

const RULES: Rule[] = [
  { pattern: /^(\d{4})(\d{2})(\d{2})$/, build: (m, id) => daily(m, id) },
  { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, build: (m, id) => daily(m, id) },
  {
    pattern: /^(\d{4})(W|WedW|ThuW|FriW|SatW|SunW|BiW)(\d+)$/,
    build(m, id, options) {
      const type = WEEK_TOKENS[m[2]];
      const what = type === "BiWeekly" ? "bi-week" : "week";
      if (m[3].length > 2) throw new PeriodError(`${id}: ${what} number must have 1 or 2 digits, not '${m[3]}'`);
      return periodAt(type, Number(m[1]), Number(m[3]), id, options);
    },
  },
  { pattern: /^(\d{4})-?(\d{2})$/, build: (m, id, o) => periodAt("Monthly", Number(m[1]), Number(m[2]), id, o) },
  { pattern: /^(\d{4})(\d{2})B$/, build: (m, id, o) => periodAt("BiMonthly", Number(m[1]), Number(m[2]), id, o) },
  {
    pattern: /^(\d{4})(Q|NovQ|S|AprilS|NovS)(\d+)$/,
    build(m, id, options) {
      const type = SUB_YEAR_TOKENS[m[2]];
      const index = Number(m[3]);
      if (m[3].length !== 1) {
        // DHIS2's grammar takes exactly one digit here, so 2011Q01 is as invalid as 2011Q10.
        const range = type.startsWith("Quarterly") ? "quarter must be 1–4" : "half-year must be 1 or 2";
        throw new PeriodError(`${id}: ${range}, written as one digit, not '${m[3]}'`);
      }
      return periodAt(type, Number(m[1]), index, id, options);
    },
  },
  { pattern: /^(\d{4})$/, build: (m, id, o) => periodAt("Yearly", Number(m[1]), 1, id, o) },
  {
    pattern: /^(\d{4})(Feb|April|July|Aug|Sep|Oct|Nov)$/,
    build: (m, id, o) => periodAt(FINANCIAL_SUFFIXES[m[2]], Number(m[1]), 1, id, o),
  },
];

const CANONICAL_TOKENS = new Map(
  ["W", "WedW", "ThuW", "FriW", "SatW", "SunW", "BiW", "B", "Q", "NovQ", "S", "AprilS", "NovS"]
    .concat(Object.keys(FINANCIAL_SUFFIXES))
    .map((t) => [t.toLowerCase(), t]),
);

/** 2024q1 → 2024Q1: DHIS2 ids are case-sensitive, so a wrong case deserves a pointed hint, not a generic refusal. */
function caseHint(text: string): string {
  const fixed = text.replace(/[A-Za-z]+/g, (letters) => CANONICAL_TOKENS.get(letters.toLowerCase()) ?? letters);
  if (fixed === text || !RULES.some((r) => r.pattern.test(fixed))) return "";
  return ` (period ids are case-sensitive: did you mean ${fixed}?)`;
}

const EXAMPLES = "2024, 202401, 2024-01, 202401B, 2024Q1, 2024S1, 2024W5, 2024WedW5, 2024BiW1, 20240105, 2024April";

/** Parses a DHIS2 period id into its type, canonical id and inclusive start/end dates. Throws PeriodError saying why not. */
export function parsePeriodId(id: string, options: PeriodOptions = {}): ParsedPeriod {
  if (typeof id !== "string") throw new PeriodError(`period id must be a string, not ${typeof id}`);
  const text = id.trim();
  if (text === "") throw new PeriodError("empty period id");
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (m) return rule.build(m, text, options);
  }
  const hint = caseHint(text);
  throw new PeriodError(`${text}: not a DHIS2 period id${hint || ` (expected a form such as ${EXAMPLES})`}`);
}

export type TryParseResult = { ok: true; period: ParsedPeriod } | { ok: false; error: string };

/** parsePeriodId without throwing: for bulk harmonization that counts and lists bad ids instead of stopping. */
export function tryParsePeriodId(id: string, options: PeriodOptions = {}): TryParseResult {
  try {
    return { ok: true, period: parsePeriodId(id, options) };
  } catch (e) {
    if (e instanceof PeriodError) return { ok: false, error: e.message };
    throw e;
  }
}
