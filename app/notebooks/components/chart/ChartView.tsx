/**
 * A chart cell's output: its source cell's rows drawn with render-client.ts (vega-embed, SVG renderer, Vega's
 * expression interpreter, a loader that refuses every load). The spec tab's JSON wins over the builder's model, as in
 * published reports. Every state says what to do: no source, source missing, not run, failed, empty, too many rows,
 * invalid spec. Vega is loaded with the first chart, not with the notebook.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CellRun } from "../../../../kernel/index.ts";
import { buildSpec, type ChartModel } from "../../../charts/builder.ts";
import type { SpecProblem } from "../../../charts/limits.ts";
import { type ChartConfig, modelFor, type SourceState } from "../../client/chart-config.ts";
import { useChartData } from "../../client/use-chart-data.ts";
import type { Kernel } from "../../client/use-kernel.ts";
import { chartViews } from "./chart-views.ts";
import { SpecProblems } from "./SpecProblems.tsx";

export interface ChartViewProps {
  cellId: string;
  config: ChartConfig;
  state: SourceState;
  run: CellRun | undefined;
  withEngine: Kernel["withEngine"];
  locale: string;
  onRunSource?: () => void;
}

export function ChartView(p: ChartViewProps) {
  const { t } = useTranslation();
  const data = useChartData(p.state, p.run, p.withEngine);
  const element = useRef<HTMLElement>(null);
  const [problems, setProblems] = useState<SpecProblem[]>([]);
  const [drawn, setDrawn] = useState(false);
  const [mapNotice, setMapNotice] = useState<string | null>(null);

  const rows = data.status === "ready" ? data.rows : null;
  const columns = data.status === "ready" ? data.columns : null;
  // What to draw, as text (a stable key for the render effect): the spec tab's spec, the builder's spec, or a map model
  // (maps need their locations' boundaries first, app/charts/map-prepare.ts).
  const plan = useMemo((): { kind: "spec" | "map"; text: string } | null => {
    if (!columns) return null;
    const model = p.config.chartProblem ? null : modelFor(p.config, columns);
    // A map's spec tab changes how it is drawn; what it draws is still its locations' boundaries.
    if (model?.mark === "map") return { kind: "map", text: JSON.stringify({ model, spec: p.config.spec ?? null }) };
    if (p.config.spec) return { kind: "spec", text: p.config.spec };
    if (!model) return null;
    return { kind: "spec", text: JSON.stringify(buildSpec(model, columns)) };
  }, [columns, p.config]);
  const planKind = plan?.kind ?? null;
  const planText = plan?.text ?? null;

  useEffect(() => {
    const target = element.current;
    if (!target || !rows || planKind === null || planText === null) return;
    let cancelled = false;
    let finalize: (() => void) | null = null;
    const fail = (found: SpecProblem[]) => {
      target.replaceChildren();
      chartViews.set(p.cellId, null);
      setProblems(found);
      setDrawn(false);
    };
    void (async () => {
      const { renderChart } = await import("../../../charts/render-client.ts");
      let spec: string | object = planText;
      let data: readonly object[] = rows;
      let notice: string | null = null;
      if (planKind === "map") {
        const { prepareMapChart } = await import("../../../charts/map-prepare.ts");
        const planned = JSON.parse(planText) as { model: ChartModel; spec: string | null };
        const map = await prepareMapChart(planned.model, rows);
        if (cancelled) return;
        if ("problem" in map) return fail([{ message: map.problem }]);
        spec = planned.spec ?? map.spec;
        data = map.data;
        notice = map.notice;
      }
      if (cancelled) return;
      const rendered = await renderChart(target, spec, data);
      if (cancelled) {
        if (rendered.ok) rendered.finalize();
        return;
      }
      if (!rendered.ok) return fail(rendered.problems);
      finalize = rendered.finalize;
      chartViews.set(p.cellId, { view: rendered.view, rows: rows.length });
      setProblems([]);
      setMapNotice(notice);
      setDrawn(true);
    })();
    return () => {
      cancelled = true;
      finalize?.();
      chartViews.set(p.cellId, null);
    };
  }, [p.cellId, rows, planKind, planText]);

  const format = (n: number) => n.toLocaleString(p.locale);
  let notice: React.ReactNode = null;
  const s = p.state;
  if (s.kind === "no-source") notice = t("notebook.chart.state.noSource");
  else if (s.kind === "missing") notice = t("notebook.chart.state.missing", { name: s.name });
  else if (s.kind === "not-run" || s.kind === "waiting")
    notice = (
      <>
        {s.kind === "waiting"
          ? t("notebook.chart.state.waiting", { name: s.name })
          : t("notebook.chart.state.notRun", { name: s.name })}{" "}
        {s.kind === "not-run" && p.onRunSource && (
          <button type="button" className="button nb-small" onClick={p.onRunSource}>
            {t("notebook.chart.runSource", { name: s.name })}
          </button>
        )}
      </>
    );
  else if (s.kind === "error") notice = t("notebook.chart.state.error", { name: s.name, message: s.message });
  else if (s.kind === "empty") notice = t("notebook.chart.state.empty", { name: s.name });
  else if (s.kind === "too-many")
    notice = t("notebook.chart.state.tooMany", { name: s.name, rows: format(s.rows), limit: format(s.limit) });
  else if (data.status === "loading") notice = t("notebook.chart.state.loading", { name: s.name });
  else if (data.status === "failed") notice = t("notebook.chart.state.error", { name: s.name, message: data.message });
  else if (p.config.chartProblem && !p.config.spec) notice = p.config.chartProblem;

  const showChart = s.kind === "ready" && data.status === "ready" && plan !== null;
  return (
    <div className="nb-chart-output" data-state={showChart ? (drawn ? "drawn" : "drawing") : s.kind}>
      {notice && (
        <p className={s.kind === "error" || s.kind === "too-many" ? "nb-chart-notice nb-input-problem" : "nb-chart-notice muted"}>
          {notice}
        </p>
      )}
      {showChart && problems.length > 0 && <SpecProblems title={t("notebook.chart.invalidSpec")} problems={problems} />}
      {showChart && problems.length === 0 && mapNotice && <p className="nb-chart-notice muted">{mapNotice}</p>}
      {/* Never hidden while drawing: a "container" width is measured from this element. */}
      <figure
        ref={element}
        className={s.kind === "ready" && s.stale ? "nb-chart-canvas nb-result-old" : "nb-chart-canvas"}
        hidden={!showChart}
        aria-label={t("notebook.chart.label")}
      />
    </div>
  );
}
