/**
 * Labelled controls of the chart editor. The label is tied by `htmlFor`, not by wrapping: a label around a select or
 * text box would add the chosen option or the typed text to the control's accessible name. `context` (the channel,
 * "X axis") is read by screen readers before the visible label ("Aggregate").
 */
import { useId } from "react";

interface FieldProps {
  label: string;
  context?: string;
  disabled: boolean;
}

function Label(p: { id: string; label: string; context?: string }) {
  return (
    <label htmlFor={p.id}>
      {p.context && <span className="visually-hidden">{p.context} </span>}
      {p.label}
    </label>
  );
}

export function SelectField(
  p: FieldProps & { value: string; options: readonly (readonly [string, string])[]; onChange: (value: string) => void },
) {
  const id = useId();
  return (
    <div className="nb-chart-field">
      <Label id={id} label={p.label} context={p.context} />
      <select id={id} value={p.value} disabled={p.disabled} onChange={(e) => p.onChange(e.target.value)}>
        {p.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextField(
  p: FieldProps & { value: string | undefined; max: number; hint?: string; onChange: (value: string) => void },
) {
  const id = useId();
  return (
    <div className="nb-chart-field">
      <Label id={id} label={p.label} context={p.context} />
      <input
        id={id}
        type="text"
        value={p.value ?? ""}
        maxLength={p.max}
        disabled={p.disabled}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={p.hint ? `${id}-hint` : undefined}
        onChange={(e) => p.onChange(e.target.value)}
      />
      {p.hint && (
        <small id={`${id}-hint`} className="muted">
          {p.hint}
        </small>
      )}
    </div>
  );
}

export function NumberField(
  p: FieldProps & { value: number; min: number; max: number; onChange: (value: number | undefined) => void },
) {
  const id = useId();
  return (
    <div className="nb-chart-field">
      <Label id={id} label={p.label} context={p.context} />
      <input
        id={id}
        type="number"
        min={p.min}
        max={p.max}
        value={p.value}
        disabled={p.disabled}
        onChange={(e) => p.onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </div>
  );
}
