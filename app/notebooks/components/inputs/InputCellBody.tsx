/**
 * An input cell: its widget (what every reader changes, values are per reader and live in the URL) and, for editors,
 * its settings (type, options, default, period types, levels, one or several), written to the cell's shared config.
 * A refused value shows its message right under the widget.
 */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { InputDefinition, InputValue, LocationNode } from "../../../../kernel/parameters/index.ts";
import type { ParsedInput } from "../../client/input-config.ts";
import { InputSettings, type SqlCellColumns } from "./InputSettings.tsx";
import { LocationPicker } from "./LocationPicker.tsx";
import { PeriodPicker } from "./PeriodPicker.tsx";
import { DateRangeInput, MultiSelectInput, NumberInput, SelectInput, TextInput, type WidgetProps } from "./SimpleInputs.tsx";

export interface InputCellBodyProps {
  cellName: string;
  config: Record<string, unknown>;
  parsed: ParsedInput;
  value: InputValue | undefined;
  problem: string | null;
  /** Options read from a SQL cell's column (select inputs with `optionsFrom`), null until read. */
  options: readonly string[] | null;
  locations: readonly LocationNode[];
  levels: readonly { level: number; name: string }[];
  sqlCells: readonly SqlCellColumns[];
  canEdit: boolean;
  onConfig: (patch: Record<string, unknown>) => void;
  onValue: (value: unknown) => string | null;
}

function Widget(p: WidgetProps & { locations: readonly LocationNode[] }) {
  const def: InputDefinition = p.def;
  switch (def.type) {
    case "select":
      return <SelectInput {...p} def={def} />;
    case "multi-select":
      return <MultiSelectInput {...p} def={def} />;
    case "text":
      return <TextInput {...p} def={def} />;
    case "number":
      return <NumberInput {...p} def={def} />;
    case "date-range":
      return <DateRangeInput {...p} def={def} />;
    case "period":
      return <PeriodPicker {...p} def={def} />;
    case "location":
      return <LocationPicker {...p} def={def} />;
  }
}

export function InputCellBody(p: InputCellBodyProps) {
  const { t } = useTranslation();
  const problemId = useId();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const label = p.parsed.ok ? (p.parsed.def.label ?? p.cellName) : p.cellName;
  return (
    <div className="nb-input-cell">
      {p.parsed.ok ? (
        <div className="nb-input-widget">
          <span className="nb-input-label" aria-hidden="true">
            {`$${p.cellName}`}
          </span>
          <Widget
            def={p.parsed.def}
            value={p.value ?? null}
            options={p.options}
            label={label}
            invalid={Boolean(p.problem)}
            problemId={p.problem ? problemId : undefined}
            locations={p.locations}
            onChange={(value) => p.onValue(value)}
          />
        </div>
      ) : (
        <p className="nb-input-problem" role="alert">
          {t("notebook.input.badDefinition", { message: p.parsed.message })}
        </p>
      )}
      {p.problem && (
        <p id={problemId} className="nb-input-problem" role="alert">
          {t("notebook.input.refused", { message: p.problem })}
        </p>
      )}
      {p.canEdit && (
        <details className="nb-input-settings" open={settingsOpen} onToggle={(e) => setSettingsOpen(e.currentTarget.open)}>
          <summary>{t("notebook.input.settings")}</summary>
          {settingsOpen && (
            <InputSettings
              config={p.config}
              def={p.parsed.ok ? p.parsed.def : null}
              value={p.value}
              levels={p.levels}
              sqlCells={p.sqlCells}
              onConfig={p.onConfig}
            />
          )}
        </details>
      )}
    </div>
  );
}
