/**
 * The plain widgets: select, multi-select (checkboxes), text, number and date range. Each keeps what is typed as a
 * draft and hands it to `onChange`, which checks it; a refused draft stays visible with the message beside it, and the
 * engine keeps the last accepted value.
 */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DateRangeValue, InputDefinition, InputValue } from "../../../../kernel/parameters/index.ts";

export interface WidgetProps<D extends InputDefinition = InputDefinition> {
  def: D;
  value: InputValue;
  /** Options computed from a SQL cell's column (select inputs with `optionsFrom`). */
  options: readonly string[] | null;
  label: string;
  problemId?: string;
  invalid: boolean;
  onChange: (value: unknown) => void;
}

type Of<T extends InputDefinition["type"]> = Extract<InputDefinition, { type: T }>;

/** Typing is applied after a short pause, so each keystroke does not re-run the notebook. */
const TYPING_PAUSE_MS = 350;

function useDebounced(onChange: (value: unknown) => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  return {
    later(value: unknown) {
      clearTimeout(timer.current ?? undefined);
      timer.current = setTimeout(() => onChange(value), TYPING_PAUSE_MS);
    },
    now(value: unknown) {
      clearTimeout(timer.current ?? undefined);
      onChange(value);
    },
  };
}

function optionList(def: Of<"select" | "multi-select">, computed: readonly string[] | null) {
  if (def.options)
    return def.options.map((o) =>
      typeof o === "string" ? { value: o, label: o } : { value: o.value, label: o.label ?? o.value },
    );
  return (computed ?? []).map((o) => ({ value: o, label: o }));
}

export function SelectInput(p: WidgetProps<Of<"select">>) {
  const { t } = useTranslation();
  const options = optionList(p.def, p.options);
  const value = typeof p.value === "string" ? p.value : "";
  return (
    <select
      aria-label={p.label}
      aria-invalid={p.invalid || undefined}
      aria-describedby={p.problemId}
      value={value}
      onChange={(e) => p.onChange(e.target.value === "" ? null : e.target.value)}
    >
      <option value="">{t("notebook.input.none")}</option>
      {value !== "" && !options.some((o) => o.value === value) && <option value={value}>{value}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function MultiSelectInput(p: WidgetProps<Of<"multi-select">>) {
  const { t } = useTranslation();
  const options = optionList(p.def, p.options);
  const chosen = Array.isArray(p.value) ? p.value : [];
  if (options.length === 0) return <p className="muted">{t("notebook.input.noOptions")}</p>;
  return (
    <fieldset className="nb-input-checks" aria-describedby={p.problemId}>
      <legend className="visually-hidden">{p.label}</legend>
      {options.map((o) => (
        <label key={o.value}>
          <input
            type="checkbox"
            checked={chosen.includes(o.value)}
            onChange={(e) => p.onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((value) => value !== o.value))}
          />{" "}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function TextInput(p: WidgetProps<Of<"text">>) {
  const [draft, setDraft] = useState(typeof p.value === "string" ? p.value : "");
  const apply = useDebounced(p.onChange);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(typeof p.value === "string" ? p.value : "");
  }, [p.value]);
  return (
    <input
      type="text"
      aria-label={p.label}
      aria-invalid={p.invalid || undefined}
      aria-describedby={p.problemId}
      value={draft}
      spellCheck={false}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={() => {
        focused.current = false;
        apply.now(draft);
      }}
      onChange={(e) => {
        setDraft(e.target.value);
        apply.later(e.target.value);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") apply.now(draft);
      }}
    />
  );
}

/** Plain decimal notation only; anything else goes to validation as text, which refuses it with a message. */
function readNumber(text: string): unknown {
  const trimmed = text.trim();
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}

export function NumberInput(p: WidgetProps<Of<"number">>) {
  const [draft, setDraft] = useState(typeof p.value === "number" ? String(p.value) : "");
  const apply = useDebounced((text) => p.onChange(readNumber(String(text))));
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(typeof p.value === "number" ? String(p.value) : "");
  }, [p.value]);
  return (
    <input
      type="text"
      inputMode="decimal"
      aria-label={p.label}
      aria-invalid={p.invalid || undefined}
      aria-describedby={p.problemId}
      value={draft}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={() => {
        focused.current = false;
        apply.now(draft);
      }}
      onChange={(e) => {
        setDraft(e.target.value);
        apply.later(e.target.value);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") apply.now(draft);
      }}
    />
  );
}

export function DateRangeInput(p: WidgetProps<Of<"date-range">>) {
  const { t } = useTranslation();
  const id = useId();
  const key = JSON.stringify(p.value ?? null);
  const [draft, setDraft] = useState<DateRangeValue>((p.value ?? { from: "", to: "" }) as DateRangeValue);
  useEffect(() => setDraft((JSON.parse(key) ?? { from: "", to: "" }) as DateRangeValue), [key]);
  const change = (next: DateRangeValue) => {
    setDraft(next);
    if (next.from && next.to) p.onChange(next);
  };
  return (
    <fieldset className="nb-input-range" aria-describedby={p.problemId}>
      <legend className="visually-hidden">{p.label}</legend>
      <label htmlFor={`${id}-from`}>{t("notebook.input.from")}</label>
      <input id={`${id}-from`} type="date" value={draft.from} onChange={(e) => change({ ...draft, from: e.target.value })} />
      <label htmlFor={`${id}-to`}>{t("notebook.input.to")}</label>
      <input id={`${id}-to`} type="date" value={draft.to} onChange={(e) => change({ ...draft, to: e.target.value })} />
    </fieldset>
  );
}
