/**
 * A chart cell's input: the source cell picker, then the builder or the spec tab. Settings are written to the cell's
 * Yjs config (co-editors see them at once) under this cell's undo origin; Ctrl/Cmd+Z inside undoes this person's last
 * chart change only.
 */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { type CellData, LOCAL_ORIGIN } from "../../../../collab/index.ts";
import { buildSpec, type ChartModel, type ColumnInfo, suggestModel } from "../../../charts/builder.ts";
import { type ChartConfig, chooseSource, modelFor, sourceCandidates, writeChartConfig } from "../../client/chart-config.ts";
import { useChartUndo } from "../../client/use-chart-undo.ts";
import { ChartBuilderForm } from "./ChartBuilderForm.tsx";
import { SelectField } from "./ChartField.tsx";
import { ChartSpecTab } from "./ChartSpecTab.tsx";

export interface ChartEditorProps {
  doc: Y.Doc;
  cell: CellData;
  cells: readonly CellData[];
  config: ChartConfig;
  /** Columns of the source cell's last result; null until it has run. */
  columns: readonly ColumnInfo[] | null;
  /** Columns of any SQL cell's last result (for a newly chosen source). */
  columnsOf: (cellId: string) => readonly ColumnInfo[] | null;
  canEdit: boolean;
}

type Tab = "builder" | "spec";

export function ChartEditor(p: ChartEditorProps) {
  const { t } = useTranslation();
  const id = useId();
  const [tab, setTab] = useState<Tab>("builder");
  const undo = useChartUndo(p.doc, p.cell.id, p.canEdit);
  const { doc, config, columns, canEdit } = p;
  const cellId = p.cell.id;
  const candidates = sourceCandidates(p.cells);
  const sourceMissing = config.source !== null && !candidates.some((c) => c.name.toLowerCase() === config.source?.toLowerCase());

  // The first time the source's columns are known, the suggestion becomes the stored model (reports need one). Not an
  // undo step: it is where the chart starts.
  const needsDefault = canEdit && config.source !== null && !config.chart && !config.spec && !config.chartProblem;
  useEffect(() => {
    if (needsDefault && columns && columns.length > 0)
      writeChartConfig(doc, cellId, { chart: suggestModel([...columns]) }, LOCAL_ORIGIN);
  }, [needsDefault, columns, doc, cellId]);

  const model: ChartModel = modelFor(config, columns ?? []);
  const specText = config.spec ?? JSON.stringify(buildSpec(model, [...(columns ?? [])]), null, 2);
  const tabs: { key: Tab; label: string }[] = [
    { key: "builder", label: t("notebook.chart.builder") },
    { key: "spec", label: t("notebook.chart.spec") },
  ];

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Ctrl/Cmd+Z from any control inside; the Undo/Redo buttons are the pointer path
    <div className="nb-chart-editor" onKeyDown={undo.onKeyDown}>
      <div className="nb-chart-row">
        <SelectField
          label={t("notebook.chart.source")}
          value={config.source ?? ""}
          disabled={!canEdit}
          options={[
            ["", t("notebook.chart.chooseSource")],
            ...(sourceMissing && config.source
              ? [[config.source, t("notebook.chart.missingSource", { name: config.source })] as const]
              : []),
            ...candidates.map((c) => [c.name, c.name] as const),
          ]}
          onChange={(value) => {
            const chosen = candidates.find((c) => c.name === value);
            chooseSource(doc, cellId, config, value || null, chosen ? p.columnsOf(chosen.id) : null);
          }}
        />
        {canEdit && (
          <div className="nb-chart-undo">
            <button
              type="button"
              className="button nb-small"
              disabled={!undo.canUndo}
              onClick={undo.undo}
              aria-keyshortcuts="Control+Z"
            >
              {t("notebook.chart.undo")}
            </button>
            <button
              type="button"
              className="button nb-small"
              disabled={!undo.canRedo}
              onClick={undo.redo}
              aria-keyshortcuts="Control+Shift+Z"
            >
              {t("notebook.chart.redo")}
            </button>
          </div>
        )}
      </div>
      <div role="tablist" aria-label={t("notebook.chart.tabs")} className="nb-chart-tabs">
        {tabs.map(({ key, label }) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`${id}-${key}-tab`}
            aria-selected={tab === key}
            aria-controls={`${id}-${key}`}
            tabIndex={tab === key ? 0 : -1}
            className={tab === key ? "nb-chart-tab nb-chart-tab-on" : "nb-chart-tab"}
            onClick={() => setTab(key)}
            onKeyDown={(e) => {
              // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
              if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
              e.preventDefault();
              const next = tab === "builder" ? "spec" : "builder";
              setTab(next);
              document.getElementById(`${id}-${next}-tab`)?.focus();
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-${tab}`} aria-labelledby={`${id}-${tab}-tab`} className="nb-chart-panel">
        {tab === "builder" ? (
          <>
            {config.spec && <p className="nb-chart-notice muted">{t("notebook.chart.builderSetAside")}</p>}
            {!columns && config.source && !sourceMissing && (
              <p className="nb-chart-notice muted">{t("notebook.chart.noColumns", { name: config.source })}</p>
            )}
            <ChartBuilderForm
              model={model}
              columns={columns}
              disabled={!canEdit || config.source === null}
              onChange={(next, typing) => {
                if (!typing) undo.checkpoint();
                writeChartConfig(doc, cellId, { chart: next });
                if (!typing) undo.checkpoint();
              }}
            />
          </>
        ) : (
          <ChartSpecTab
            text={specText}
            edited={config.spec !== null}
            canEdit={canEdit}
            onApply={(text) => writeChartConfig(doc, cellId, { spec: text })}
            onReset={() => writeChartConfig(doc, cellId, { spec: null })}
          />
        )}
      </div>
    </div>
  );
}
