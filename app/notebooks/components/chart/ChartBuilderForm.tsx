/**
 * The chart builder: chart type, the X/Y/colour/facet channels (field, type, aggregate, time unit, sort, title,
 * number or date format), stacking and titles. Every change is one new model handed to `onChange` (pure edits from
 * chart-config.ts), so undo and co-editors see whole steps.
 */
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
import { NumberField, SelectField, TextField } from "./ChartField.tsx";
import { useChartLabels } from "./chart-labels.ts";
import { MapSettings } from "./MapSettings.tsx";

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
        <SelectField
          label={t("notebook.chart.mark")}
          value={model.mark}
          disabled={disabled}
          options={markKinds.map((m) => [m, labels.marks[m]])}
          onChange={(v) => p.onChange(withSetting(model, "mark", v as ChartModel["mark"]))}
        />
        <TextField
          label={t("notebook.chart.title")}
          value={model.title}
          disabled={disabled}
          max={300}
          onChange={(v) => p.onChange(withSetting(model, "title", v), true)}
        />
        <TextField
          label={t("notebook.chart.subtitle")}
          value={model.subtitle}
          disabled={disabled}
          max={300}
          onChange={(v) => p.onChange(withSetting(model, "subtitle", v), true)}
        />
        {stackable && (
          <SelectField
            label={t("notebook.chart.stack")}
            value={model.stack ?? "zero"}
            disabled={disabled}
            options={stackModes.map((s) => [s, labels.stacks[s]])}
            onChange={(v) => p.onChange(withSetting(model, "stack", v as ChartModel["stack"]))}
          />
        )}
      </div>
      {model.mark === "pie" && <p className="muted nb-chart-hint">{t("notebook.chart.pieHint")}</p>}
      {model.mark === "map" && <MapSettings model={model} disabled={disabled} onChange={p.onChange} />}
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
      <SelectField
        label={t("notebook.chart.field")}
        context={name}
        value={choice?.field ?? ""}
        disabled={disabled}
        options={[["", t("notebook.chart.none")], ...fieldNames.map((f) => [f, f] as [string, string])]}
        onChange={(v) => p.onChange(withField(model, channel, v || null, p.columns))}
      />
      {choice && (
        <>
          <SelectField
            label={t("notebook.chart.aggregate")}
            context={name}
            value={choice.aggregate ?? "none"}
            disabled={disabled}
            options={aggregates.map((a) => [a, labels.aggregates[a]])}
            onChange={(v) => set("aggregate", v === "none" ? "" : v)}
          />
          <SelectField
            label={t("notebook.chart.type")}
            context={name}
            value={choice.type ?? ""}
            disabled={disabled}
            options={[["", t("notebook.chart.typeAuto")], ...fieldTypes.map((f) => [f, labels.types[f]] as [string, string])]}
            onChange={(v) => set("type", v)}
          />
          {temporal && (
            <SelectField
              label={t("notebook.chart.timeUnit")}
              context={name}
              value={choice.timeUnit ?? "none"}
              disabled={disabled}
              options={timeUnits.map((u) => [u, labels.timeUnits[u]])}
              onChange={(v) => set("timeUnit", v === "none" ? "" : v)}
            />
          )}
          {positional && (
            <SelectField
              label={t("notebook.chart.sort")}
              context={name}
              value={choice.sort ?? "none"}
              disabled={disabled}
              options={sortOrders.map((s) => [s, labels.sorts[s]])}
              onChange={(v) => set("sort", v === "none" ? "" : v)}
            />
          )}
          {channel !== "facet" && (
            <TextField
              label={t("notebook.chart.axisTitle")}
              context={name}
              value={choice.title}
              disabled={disabled}
              max={200}
              onChange={(v) => set("title", v, true)}
            />
          )}
          {channel !== "facet" && (
            <TextField
              label={t("notebook.chart.format")}
              context={name}
              value={choice.format}
              disabled={disabled}
              max={50}
              hint={temporal ? t("notebook.chart.dateFormatHint") : t("notebook.chart.numberFormatHint")}
              onChange={(v) => set("format", v, true)}
            />
          )}
          {channel === "facet" && (
            <NumberField
              label={t("notebook.chart.facetColumns")}
              context={name}
              value={model.facet?.columns ?? 3}
              min={1}
              max={12}
              disabled={disabled}
              onChange={(v) => p.onChange(withFacetColumns(model, v))}
            />
          )}
        </>
      )}
    </fieldset>
  );
}
