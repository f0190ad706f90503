/**
 * The chart builder: chart type, the X/Y/colour/facet channels (field, type, aggregate, time unit, sort, title,
 * number or date format), stacking and titles. Every change is one new model handed to `onChange` (pure edits from
 * chart-config.ts), so undo and co-editors see whole steps.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import {
  aggregates,
  type ChartModel,
  type ColumnInfo,
  fieldTypes,
  markKinds,
  sortOrders,
  stackModes,
  timeUnits,
} from "../../../charts/builder.ts";
import {
  type Channel,
  channels,
  type EncodingOption,
  withFacetColumns,
  withField,
  withOption,
  withSetting,
} from "../../client/chart-config.ts";
import { useChartLabels } from "./chart-labels.ts";

export interface ChartBuilderFormProps {
  model: ChartModel;
  /** The source result's columns; null until the source has run. */
  columns: readonly ColumnInfo[] | null;
  disabled: boolean;
  /** `typing` is true for text fields: successive keystrokes make one undo step. */
  onChange: (model: ChartModel, typing?: boolean) => void;
}

export function ChartBuilderForm(p: ChartBuilderFormProps) {
  const { t } = useTranslation();
  const labels = useChartLabels();
  const { model, disabled } = p;
  const columns = p.columns ?? [];
  const stackable = (model.mark === "bar" || model.mark === "area") && model.y;

  return (
    <div className="nb-chart-builder">
      <div className="nb-chart-row">
        <label className="nb-chart-field">
          {t("notebook.chart.mark")}
          <select
            value={model.mark}
            disabled={disabled}
            onChange={(e) => p.onChange(withSetting(model, "mark", e.target.value as ChartModel["mark"]))}
          >
            {markKinds.map((m) => (
              <option key={m} value={m}>
                {labels.marks[m]}
              </option>
            ))}
          </select>
        </label>
        <TextSetting
          label={t("notebook.chart.title")}
          value={model.title}
          disabled={disabled}
          max={300}
          onChange={(v) => p.onChange(withSetting(model, "title", v), true)}
        />
        <TextSetting
          label={t("notebook.chart.subtitle")}
          value={model.subtitle}
          disabled={disabled}
          max={300}
          onChange={(v) => p.onChange(withSetting(model, "subtitle", v), true)}
        />
        {stackable && (
          <label className="nb-chart-field">
            {t("notebook.chart.stack")}
            <select
              value={model.stack ?? "zero"}
              disabled={disabled}
              onChange={(e) => p.onChange(withSetting(model, "stack", e.target.value as ChartModel["stack"]))}
            >
              {stackModes.map((s) => (
                <option key={s} value={s}>
                  {labels.stacks[s]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {model.mark === "pie" && <p className="muted nb-chart-hint">{t("notebook.chart.pieHint")}</p>}
      <div className="nb-chart-channels">
        {channels.map((channel) => (
          <ChannelFields key={channel} channel={channel} {...p} columns={columns} />
        ))}
      </div>
    </div>
  );
}

function ChannelFields(p: ChartBuilderFormProps & { channel: Channel; columns: readonly ColumnInfo[] }) {
  const { t } = useTranslation();
  const labels = useChartLabels();
  const { model, channel, disabled } = p;
  const choice = model[channel];
  const name = labels.channels[channel];
  const set = (option: EncodingOption, value: string, typing = false) =>
    p.onChange(withOption(model, channel, option, value), typing);
  const fieldNames = p.columns.map((c) => c.name);
  if (choice && !fieldNames.includes(choice.field)) fieldNames.push(choice.field);
  const temporal = choice?.type === "temporal";
  const positional = channel === "x" || channel === "y";

  return (
    <fieldset className="nb-chart-channel">
      <legend>{name}</legend>
      <Select
        label={t("notebook.chart.field")}
        channel={name}
        value={choice?.field ?? ""}
        disabled={disabled}
        options={[["", t("notebook.chart.none")], ...fieldNames.map((f) => [f, f] as [string, string])]}
        onChange={(v) => p.onChange(withField(model, channel, v || null, p.columns))}
      />
      {choice && (
        <>
          <Select
            label={t("notebook.chart.aggregate")}
            channel={name}
            value={choice.aggregate ?? "none"}
            disabled={disabled}
            options={aggregates.map((a) => [a, labels.aggregates[a]])}
            onChange={(v) => set("aggregate", v === "none" ? "" : v)}
          />
          <Select
            label={t("notebook.chart.type")}
            channel={name}
            value={choice.type ?? ""}
            disabled={disabled}
            options={[["", t("notebook.chart.typeAuto")], ...fieldTypes.map((f) => [f, labels.types[f]] as [string, string])]}
            onChange={(v) => set("type", v)}
          />
          {temporal && (
            <Select
              label={t("notebook.chart.timeUnit")}
              channel={name}
              value={choice.timeUnit ?? "none"}
              disabled={disabled}
              options={timeUnits.map((u) => [u, labels.timeUnits[u]])}
              onChange={(v) => set("timeUnit", v === "none" ? "" : v)}
            />
          )}
          {positional && (
            <Select
              label={t("notebook.chart.sort")}
              channel={name}
              value={choice.sort ?? "none"}
              disabled={disabled}
              options={sortOrders.map((s) => [s, labels.sorts[s]])}
              onChange={(v) => set("sort", v === "none" ? "" : v)}
            />
          )}
          {channel !== "facet" && (
            <TextSetting
              label={t("notebook.chart.axisTitle")}
              channel={name}
              value={choice.title}
              disabled={disabled}
              max={200}
              onChange={(v) => set("title", v, true)}
            />
          )}
          {channel !== "facet" && (
            <TextSetting
              label={t("notebook.chart.format")}
              channel={name}
              value={choice.format}
              disabled={disabled}
              max={50}
              hint={temporal ? t("notebook.chart.dateFormatHint") : t("notebook.chart.numberFormatHint")}
              onChange={(v) => set("format", v, true)}
            />
          )}
          {channel === "facet" && (
            <label className="nb-chart-field">
              <span className="visually-hidden">{name} </span>
              {t("notebook.chart.facetColumns")}
              <input
                type="number"
                min={1}
                max={12}
                value={model.facet?.columns ?? 3}
                disabled={disabled}
                onChange={(e) => p.onChange(withFacetColumns(model, e.target.value === "" ? undefined : Number(e.target.value)))}
              />
            </label>
          )}
        </>
      )}
    </fieldset>
  );
}

/** A select whose accessible name carries the channel ("X axis Aggregate"), shown as just "Aggregate" in its group. */
function Select(p: {
  label: string;
  channel: string;
  value: string;
  disabled: boolean;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="nb-chart-field">
      <span className="visually-hidden">{p.channel} </span>
      {p.label}
      <select value={p.value} disabled={p.disabled} onChange={(e) => p.onChange(e.target.value)}>
        {p.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function TextSetting(p: {
  label: string;
  channel?: string;
  value: string | undefined;
  disabled: boolean;
  max: number;
  hint?: string;
  onChange: (value: string) => void;
}) {
  const hintId = useId();
  return (
    <label className="nb-chart-field">
      {p.channel && <span className="visually-hidden">{p.channel} </span>}
      {p.label}
      <input
        type="text"
        value={p.value ?? ""}
        maxLength={p.max}
        disabled={p.disabled}
        spellCheck={false}
        aria-describedby={p.hint ? hintId : undefined}
        onChange={(e) => p.onChange(e.target.value)}
      />
      {p.hint && (
        <small id={hintId} className="muted">
          {p.hint}
        </small>
      )}
    </label>
  );
}
