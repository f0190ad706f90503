/**
 * Name normalization and slugs for location matching and generated ids.
 * Everything that needs a regular expression compiles it once (module load or normalizer creation), never per name:
 * harmonization calls these on millions of values.
 */
import { distance } from "fastest-levenshtein";

/** Type words a source may add to or drop from a location name ("Bo" vs "Bo District", "Ngelehun CHC" vs "Ngelehun"). */
export const DEFAULT_TYPE_WORDS: readonly string[] = [
  "District",
  "Chiefdom",
  "Province",
  "Region",
  "County",
  "Sub-County",
  "Zone",
  "Council",
  "Ward",
  "CHC",
  "CHP",
  "MCHP",
  "PHU",
  "Hospital",
  "Hosp",
  "Clinic",
  "Health Centre",
  "Health Center",
  "Health Post",
  "Health Unit",
  "Dispensary",
];

const COMBINING_MARKS = /\p{M}+/gu;
const NON_ALPHANUMERIC = /[^\p{L}\p{N}]+/gu;
const AMPERSAND = /&/g;
const SPACE_RUNS = / +/g;

/** Runs of single letters are a dotted acronym ("c h c" from "C.H.C."): joined back into one word. */
function joinSpelledAcronyms(folded: string): string {
  const words = folded.split(" ");
  const out: string[] = [];
  let run = "";
  for (const word of words) {
    if (word.length === 1) {
      run += word;
      continue;
    }
    if (run) out.push(run);
    run = "";
    out.push(word);
  }
  if (run) out.push(run);
  return out.join(" ");
}

/**
 * Case, accents (NFD, marks dropped), punctuation and whitespace folded: "Soro-Gbeima" → "soro gbeima",
 * "Fullah Town (B.Sebora) MCHP" → "fullah town b sebora mchp", "C.H.C." → "chc". Type words are kept; see
 * `createNameNormalizer` for the core.
 */
export function foldName(name: string): string {
  const folded = name
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .toLowerCase()
    .replace(AMPERSAND, " and ")
    .replace(NON_ALPHANUMERIC, " ")
    .trim();
  return folded.includes(" ") ? joinSpelledAcronyms(folded) : folded;
}

export interface NameNormalizer {
  /** `foldName`: case, accents, punctuation, whitespace folded, type words kept. */
  full(name: string): string;
  /** `full` with the type words removed as whole words; the full form when nothing else would remain. */
  core(name: string): string;
}

export function createNameNormalizer(typeWords: readonly string[] = DEFAULT_TYPE_WORDS): NameNormalizer {
  // Longest first, so "health centre" is removed before a shorter word could split it.
  const folded = [...new Set(typeWords.map(foldName).filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
  const escaped = folded.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const typeWordPattern = escaped.length > 0 ? new RegExp(`(?:^| )(?:${escaped.join("|")})(?= |$)`, "g") : null;
  const spaces = / +/g;
  const full = foldName;
  const core = (name: string): string => {
    const f = full(name);
    if (!typeWordPattern) return f;
    const stripped = f.replace(typeWordPattern, " ").replace(spaces, " ").trim();
    return stripped.length > 0 ? stripped : f;
  };
  return { full, core };
}

/** Words in alphabetical order, so word order does not count: "makeni govt hosp" → "govt hosp makeni". */
export function sortWords(normalized: string): string {
  return normalized.includes(" ") ? normalized.split(" ").sort().join(" ") : normalized;
}

/** Normalized similarity in [0, 1]: 1 - levenshtein / longer length (fastest-levenshtein). */
export function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  return 1 - distance(a, b) / longest;
}

/**
 * A lowercase slug for generated ids: "Koya (kenema)" → "koya-kenema", "Ségou" → "segou". Letters of any script are
 * kept (a slug of only ASCII would turn every Arabic or Amharic name into the same id); never empty, never a "." or "/".
 */
export function slugify(name: string): string {
  const slug = foldName(name).replace(SPACE_RUNS, "-");
  return slug.length > 0 ? slug : "unnamed";
}

/** Generated stable location id from the names from the root down: ["Sierra Leone", "Bo"] → "sierra-leone.bo". */
export function slugPath(names: readonly string[]): string {
  return names.map(slugify).join(".");
}
