/** An input cell's settings, for editors: every change is one write to the cell's shared `config` map. */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { PERIOD_TYPES } from "../../../../connectors/harmonize/periods/index.ts";
import type { InputDefinition, InputType, InputValue } from "../../../../kernel/parameters/index.ts";
import { configForType, INPUT_TYPES } from "../../client/input-config.ts";

export interface SqlCellColumns {
  name: string;
  columns: readonly string[];
}

export interface InputSettingsProps {
  config: Record<string, unknown>;
  def: InputDefinition | null;
  value: InputValue | undefined;
  levels: readonly { level: number; name: string }[];
  sqlCells: readonly SqlCellColumns[];
  onConfig: (patch: Record<string, unknown>) => void;
}

function optionsText(config: Record<string, unknown>): string {
  const options = Array.isArray(config.options) ? config.options : [];
  return options.map((o) => (typeof o === "string" ? o : String((o as { value?: unknown })?.value ?? ""))).join("\n");
}

export function InputSettings(p: InputSettingsProps) {
  const { t } = useTranslation();
  const id = useId();
  const type = (typeof p.config.type === "string" ? p.config.type : "text") as InputType;
  const [options, setOptions] = useState(optionsText(p.config));
  const optionsKey = JSON.stringify(p.config.options ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows shared edits of the options by content
  useEffect(() => setOptions(optionsText(p.config)), [optionsKey]);
  const from = (p.config.optionsFrom ?? null) as { cell?: string; column?: string } | null;
  const typeLabels: Record<InputType, string> = {
    select: t("notebook.input.type.select"),
    "multi-select": t("notebook.input.type.multiSelect"),
    text: t("notebook.input.type.text"),
    number: t("notebook.input.type.number"),
    "date-range": t("notebook.input.type.dateRange"),
    period: t("notebook.input.type.period"),
    location: t("notebook.input.type.location"),
  };
  const fromCell = p.sqlCells.find((c) => c.name === from?.cell);

  return (
    <div className="nb-input-settings-body">
      <label htmlFor={`${id}-type`}>{t("notebook.input.typeLabel")}</label>
      <select id={`${id}-type`} value={type} onChange={(e) => p.onConfig(configForType(e.target.value as InputType))}>
        {INPUT_TYPES.map((k) => (
          <option key={k} value={k}>
            {typeLabels[k]}
          </option>
        ))}
      </select>

      {(type === "select" || type === "multi-select") && (
        <>
          <label htmlFor={`${id}-options`}>{t("notebook.input.optionsLabel")}</label>
          <textarea
            id={`${id}-options`}
            rows={3}
            value={options}
            disabled={Boolean(from?.cell)}
            onChange={(e) => setOptions(e.target.value)}
            onBlur={() => {
              const list = [
                ...new Set(
                  options
                    .split("\n")
                    .map((o) => o.trim())
                    .filter(Boolean),
                ),
              ];
              p.onConfig({ options: list.length > 0 ? list : undefined, default: undefined });
            }}
          />
          <label htmlFor={`${id}-from-cell`}>{t("notebook.input.optionsFromCell")}</label>
          <select
            id={`${id}-from-cell`}
            value={from?.cell ?? ""}
            onChange={(e) =>
              p.onConfig(
                e.target.value
                  ? { optionsFrom: { cell: e.target.value, column: "" }, options: undefined, default: undefined }
                  : { optionsFrom: undefined },
              )
            }
          >
            <option value="">{t("notebook.input.optionsFromNone")}</option>
            {p.sqlCells.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          {from?.cell && (
            <>
              <label htmlFor={`${id}-from-column`}>{t("notebook.input.optionsFromColumn")}</label>
              <select
                id={`${id}-from-column`}
                value={from.column ?? ""}
                onChange={(e) => p.onConfig({ optionsFrom: { cell: from.cell, column: e.target.value } })}
              >
                <option value="">{t("notebook.input.none")}</option>
                {(fromCell?.columns ?? []).map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </>
          )}
        </>
      )}

      {type === "number" && (
        <label>
          <input
            type="checkbox"
            checked={p.config.integer === true}
            onChange={(e) => p.onConfig({ integer: e.target.checked || undefined, default: undefined })}
          />{" "}
          {t("notebook.input.integer")}
        </label>
      )}

      {type === "period" && (
        <>
          <label htmlFor={`${id}-period-types`}>{t("notebook.input.periodTypes")}</label>
          <select
            id={`${id}-period-types`}
            multiple
            size={5}
            value={Array.isArray(p.config.periodTypes) ? (p.config.periodTypes as string[]) : ["Monthly"]}
            onChange={(e) => {
              const chosen = [...e.target.selectedOptions].map((o) => o.value);
              if (chosen.length > 0) p.onConfig({ periodTypes: chosen, default: undefined });
            }}
          >
            {PERIOD_TYPES.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </>
      )}

      {type === "location" && (
        <>
          <label htmlFor={`${id}-level`}>{t("notebook.input.level")}</label>
          <select
            id={`${id}-level`}
            value={Array.isArray(p.config.levels) && p.config.levels.length === 1 ? String(p.config.levels[0]) : ""}
            onChange={(e) => p.onConfig({ levels: e.target.value ? [Number(e.target.value)] : undefined, default: undefined })}
          >
            <option value="">{t("notebook.input.allLevels")}</option>
            {p.levels.map((l) => (
              <option key={l.level} value={String(l.level)}>
                {l.name}
              </option>
            ))}
          </select>
          <label>
            <input
              type="checkbox"
              checked={p.config.multiple === true}
              onChange={(e) => p.onConfig({ multiple: e.target.checked, default: undefined })}
            />{" "}
            {t("notebook.input.multiple")}
          </label>
        </>
      )}

      <div className="row-actions">
        <button
          type="button"
          className="button nb-small"
          disabled={!p.def || p.value === undefined}
          onClick={() => p.onConfig({ default: p.value ?? undefined })}
        >
          {t("notebook.input.saveDefault")}
        </button>
        {p.config.default !== undefined && (
          <button type="button" className="button nb-small" onClick={() => p.onConfig({ default: undefined })}>
            {t("notebook.input.clearDefault")}
          </button>
        )}
      </div>
    </div>
  );
}
