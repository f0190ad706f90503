/**
 * Translated names of the builder's choices. Literal keys only (the catalogs test scans the keys passed to t), hence
 * maps rather than keys built from the values.
 */
import { useTranslation } from "react-i18next";
import type { aggregates, fieldTypes, markKinds, sortOrders, stackModes, timeUnits } from "../../../charts/builder.ts";
import type { Channel } from "../../client/chart-config.ts";

type Labels<T extends readonly string[]> = Record<T[number], string>;

export function useChartLabels() {
  const { t } = useTranslation();
  const marks: Labels<typeof markKinds> = {
    bar: t("notebook.chart.marks.bar"),
    line: t("notebook.chart.marks.line"),
    area: t("notebook.chart.marks.area"),
    point: t("notebook.chart.marks.point"),
    heatmap: t("notebook.chart.marks.heatmap"),
    pie: t("notebook.chart.marks.pie"),
    boxplot: t("notebook.chart.marks.boxplot"),
    map: t("notebook.chart.marks.map"),
  };
  const channels: Record<Channel, string> = {
    x: t("notebook.chart.channels.x"),
    y: t("notebook.chart.channels.y"),
    colour: t("notebook.chart.channels.colour"),
    facet: t("notebook.chart.channels.facet"),
  };
  const types: Labels<typeof fieldTypes> = {
    quantitative: t("notebook.chart.types.quantitative"),
    temporal: t("notebook.chart.types.temporal"),
    nominal: t("notebook.chart.types.nominal"),
    ordinal: t("notebook.chart.types.ordinal"),
  };
  const aggregateLabels: Labels<typeof aggregates> = {
    none: t("notebook.chart.aggregates.none"),
    sum: t("notebook.chart.aggregates.sum"),
    mean: t("notebook.chart.aggregates.mean"),
    median: t("notebook.chart.aggregates.median"),
    min: t("notebook.chart.aggregates.min"),
    max: t("notebook.chart.aggregates.max"),
    count: t("notebook.chart.aggregates.count"),
    distinct: t("notebook.chart.aggregates.distinct"),
  };
  const timeUnitLabels: Labels<typeof timeUnits> = {
    none: t("notebook.chart.timeUnits.none"),
    year: t("notebook.chart.timeUnits.year"),
    yearquarter: t("notebook.chart.timeUnits.yearquarter"),
    yearmonth: t("notebook.chart.timeUnits.yearmonth"),
    yearmonthdate: t("notebook.chart.timeUnits.yearmonthdate"),
    yearweek: t("notebook.chart.timeUnits.yearweek"),
    quarter: t("notebook.chart.timeUnits.quarter"),
    month: t("notebook.chart.timeUnits.month"),
  };
  const sorts: Labels<typeof sortOrders> = {
    none: t("notebook.chart.sorts.none"),
    ascending: t("notebook.chart.sorts.ascending"),
    descending: t("notebook.chart.sorts.descending"),
    "by-value-ascending": t("notebook.chart.sorts.byValueAscending"),
    "by-value-descending": t("notebook.chart.sorts.byValueDescending"),
  };
  const stacks: Labels<typeof stackModes> = {
    zero: t("notebook.chart.stacks.zero"),
    normalize: t("notebook.chart.stacks.normalize"),
    center: t("notebook.chart.stacks.center"),
    none: t("notebook.chart.stacks.none"),
  };
  return { marks, channels, types, aggregates: aggregateLabels, timeUnits: timeUnitLabels, sorts, stacks };
}
