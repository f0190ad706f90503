/**
 * Report inputs as precomputed variants (docs/decisions/0009-report-inputs.md): the publisher offers a few select
 * inputs; publishing computes every tile once per combination of their options (at most MAX_VARIANTS in total), and the
 * page picks the stored variant from the URL (`?district=bo`) — plain links, no script, shareable.
 *
 * Pure and free of server code: the report page uses it in the browser bundle too (links), publishing on the server.
 * A variant's key is its values in the inputs' order as a query string, so it is stable and readable in stored JSON.
 */
import type { InputDefinition } from "../../kernel/parameters/index.ts";

/** The cap on stored variants per report: the product of the offered inputs' option counts. */
export const MAX_VARIANTS = 20;

export interface VariantOption {
  value: string;
  label: string;
}

/** An input offered on the report: its options and the value the report opens with. */
export interface VariantInput {
  name: string;
  label: string;
  options: VariantOption[];
  default: string;
}

/** An input published at one value and shown on the report as a fact. */
export interface FixedInput {
  name: string;
  label: string;
  value: string;
}

export type VariantValues = Readonly<Record<string, string>>;

/** Query parameters the report page already uses for itself; an input with one of these names cannot be offered. */
const RESERVED_NAMES = new Set(["v", "page", "tile", "token"]);

/**
 * Inputs that can be offered: selects with fixed options, at least two and at most MAX_VARIANTS of them. Options that come
 * from a SQL cell, and the other input types (free text, numbers, dates), have open value spaces and are published at
 * their defaults.
 */
export function variantCandidates(defs: readonly InputDefinition[]): VariantInput[] {
  const candidates: VariantInput[] = [];
  for (const def of defs) {
    if (def.type !== "select" || !def.options) continue;
    const seen = new Set<string>();
    const options: VariantOption[] = [];
    for (const option of def.options) {
      const value = typeof option === "string" ? option : option.value;
      if (seen.has(value)) continue;
      seen.add(value);
      options.push({ value, label: typeof option === "string" ? option : (option.label ?? option.value) });
    }
    if (options.length < 2 || options.length > MAX_VARIANTS) continue;
    const fallback = options[0].value;
    candidates.push({
      name: def.name,
      label: def.label ?? def.name,
      options,
      default: def.default !== undefined && seen.has(def.default) ? def.default : fallback,
    });
  }
  return candidates;
}

export type VariantPlan = { ok: true; inputs: VariantInput[]; combinations: VariantValues[] } | { ok: false; message: string };

/** The inputs the publisher chose, checked, and every combination of their options (the default combination first). */
export function planVariants(candidates: readonly VariantInput[], chosen: readonly string[]): VariantPlan {
  const inputs: VariantInput[] = [];
  for (const name of new Set(chosen)) {
    if (RESERVED_NAMES.has(name)) {
      return { ok: false, message: `input \`${name}\` cannot be offered on the report: the page's own links use that name` };
    }
    const input = candidates.find((c) => c.name === name);
    if (!input) {
      return {
        ok: false,
        message: `input \`${name}\` cannot be offered on the report: only select inputs with 2 to ${MAX_VARIANTS} fixed options can`,
      };
    }
    inputs.push(input);
  }
  const count = inputs.reduce((n, input) => n * input.options.length, 1);
  if (count > MAX_VARIANTS) {
    const sizes = inputs.map((i) => `${i.name} (${i.options.length})`).join(" × ");
    return { ok: false, message: `${sizes} make ${count} variants; a report stores at most ${MAX_VARIANTS}` };
  }
  let combinations: Record<string, string>[] = [{}];
  for (const input of inputs) {
    // The default option first, so the first combination is the one the report opens with.
    const values = [input.default, ...input.options.map((o) => o.value).filter((v) => v !== input.default)];
    combinations = combinations.flatMap((combo) => values.map((value) => ({ ...combo, [input.name]: value })));
  }
  return { ok: true, inputs, combinations };
}

export function defaultValues(inputs: readonly VariantInput[]): VariantValues {
  return Object.fromEntries(inputs.map((i) => [i.name, i.default]));
}

/** The stored key of a combination: `district=bo&indicator=anc` in the inputs' order ("" without inputs). */
export function variantKey(inputs: readonly VariantInput[], values: VariantValues): string {
  return inputs.map((i) => `${encodeURIComponent(i.name)}=${encodeURIComponent(values[i.name] ?? i.default)}`).join("&");
}

/** The variant a URL asks for; a missing or unknown value falls back to the input's default. */
export function chooseVariant(inputs: readonly VariantInput[], search: URLSearchParams) {
  const values: Record<string, string> = {};
  for (const input of inputs) {
    const asked = search.get(input.name);
    values[input.name] = asked !== null && input.options.some((o) => o.value === asked) ? asked : input.default;
  }
  const key = variantKey(inputs, values);
  return { values, key, isDefault: key === variantKey(inputs, defaultValues(inputs)) };
}

/** Query parameters that keep a variant in links: only values that differ from the default (null = left out). */
export function variantQuery(inputs: readonly VariantInput[], values: VariantValues): Record<string, string | null> {
  return Object.fromEntries(inputs.map((i) => [i.name, values[i.name] === i.default ? null : (values[i.name] ?? null)]));
}
