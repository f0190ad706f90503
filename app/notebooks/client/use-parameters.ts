/**
 * Input values of the page: read from the URL when an input first appears (invalid values fall back to the default
 * with a notice naming the input), checked on every change (a refused value stays off the engine and its message is
 * shown on the input), written back to the URL with replaceState (no reload, no loader call), and turned into the
 * engine's bound parameters. Nothing here ever builds SQL text.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ParamValue } from "../../../kernel/index.ts";
import {
  bindingsOf,
  defaultValue,
  type InputDefinition,
  type InputValue,
  paramsToUrl,
  parseParamsFromUrl,
  type UrlNotice,
  type ValidationContext,
  validateValue,
} from "../../../kernel/parameters/index.ts";

export interface ParametersState {
  /** The value each input holds now (a value no longer valid for its definition falls back to the default). */
  values: Record<string, InputValue>;
  /** Per input: why the last value typed was refused, or why the current one cannot be bound. */
  problems: Record<string, string>;
  notices: UrlNotice[];
  dismissNotices(): void;
  /** Checks and applies a value; returns the refusal message, or null when accepted. */
  setValue(name: string, value: unknown): string | null;
  /** What the engine binds (`$name`, and `$r_from`… for ranges and periods). */
  bindings: Record<string, ParamValue>;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function useParameters(definitions: readonly InputDefinition[], context: ValidationContext, ready: boolean) {
  const [stored, setStored] = useState<Record<string, InputValue>>({});
  const [refused, setRefused] = useState<Record<string, string>>({});
  const [notices, setNotices] = useState<UrlNotice[]>([]);
  const latest = useRef({ definitions, context });
  latest.current = { definitions, context };

  // Inputs seen for the first time take their value from the URL (a copied link), else their default.
  useEffect(() => {
    if (!ready) return;
    const missing = definitions.filter((d) => !Object.hasOwn(stored, d.name));
    if (missing.length === 0) return;
    const parsed = parseParamsFromUrl(window.location.search, missing, context);
    setStored((all) => ({ ...parsed.values, ...all }));
    if (parsed.notices.length > 0) setNotices((all) => [...all, ...parsed.notices]);
  }, [ready, definitions, context, stored]);

  const values = useMemo(() => {
    const out: Record<string, InputValue> = {};
    for (const def of definitions) {
      if (!Object.hasOwn(stored, def.name)) continue;
      const checked = validateValue(def, stored[def.name], context);
      out[def.name] = checked.ok ? checked.value : defaultValue(def, context);
    }
    return out;
  }, [definitions, stored, context]);

  const { bindings, unbound } = useMemo(() => {
    const params: Record<string, ParamValue> = {};
    const problems: Record<string, string> = {};
    for (const def of definitions) {
      if (!Object.hasOwn(values, def.name)) continue;
      try {
        Object.assign(params, bindingsOf(def, values[def.name], context));
      } catch (error) {
        problems[def.name] = error instanceof Error ? error.message : String(error);
      }
    }
    return { bindings: params, unbound: problems };
  }, [definitions, values, context]);

  // The URL follows the values: a copied link opens the same view.
  useEffect(() => {
    const shown = definitions.filter((d) => Object.hasOwn(values, d.name));
    if (shown.length === 0) return;
    const current = new URLSearchParams(window.location.search);
    const next = paramsToUrl(values, shown, { base: current });
    if (next.toString() === current.toString()) return;
    const url = `${window.location.pathname}${next.size > 0 ? `?${next}` : ""}${window.location.hash}`;
    // The router's own state is kept so back/forward still work; no navigation, so no loader re-run.
    window.history.replaceState(window.history.state, "", url);
  }, [definitions, values]);

  const setValue = useCallback((name: string, value: unknown): string | null => {
    const def = latest.current.definitions.find((d) => d.name === name);
    if (!def) return null;
    const checked = validateValue(def, value, latest.current.context);
    if (!checked.ok) {
      setRefused((all) => ({ ...all, [name]: checked.message }));
      return checked.message;
    }
    setRefused((all) => {
      if (!(name in all)) return all;
      const { [name]: _dropped, ...rest } = all;
      return rest;
    });
    setStored((all) => (sameJson(all[name], checked.value) ? all : { ...all, [name]: checked.value }));
    return null;
  }, []);

  const problems = useMemo(() => ({ ...unbound, ...refused }), [unbound, refused]);
  const dismissNotices = useCallback(() => setNotices([]), []);

  return { values, problems, notices, dismissNotices, setValue, bindings } satisfies ParametersState;
}
