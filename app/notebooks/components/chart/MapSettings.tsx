/**
 * The builder's extra settings for the "map" chart type: the colour scheme (stored under the model's `map`;
 * app/charts/map-spec.ts completes it from X and Y) and a hint on what X and Y mean for a map.
 */
import { useTranslation } from "react-i18next";
import type { ChartModel } from "../../../charts/builder.ts";
import { mapSchemes } from "../../../charts/map-spec.ts";
import { SelectField } from "./ChartField.tsx";

type Scheme = (typeof mapSchemes)[number];

export function MapSettings(p: { model: ChartModel; disabled: boolean; onChange: (model: ChartModel) => void }) {
  const { t } = useTranslation();
  // Literal keys (the catalogs test scans the keys passed to t).
  const labels: Record<Scheme, string> = {
    blues: t("notebook.chart.schemes.blues"),
    greens: t("notebook.chart.schemes.greens"),
    oranges: t("notebook.chart.schemes.oranges"),
    reds: t("notebook.chart.schemes.reds"),
    purples: t("notebook.chart.schemes.purples"),
    viridis: t("notebook.chart.schemes.viridis"),
  };
  return (
    <div className="nb-chart-row">
      <SelectField
        label={t("notebook.chart.mapScheme")}
        value={p.model.map?.scheme ?? "blues"}
        disabled={p.disabled}
        options={mapSchemes.map((s) => [s, labels[s]])}
        onChange={(v) => p.onChange({ ...p.model, map: { ...p.model.map, scheme: v as Scheme } })}
      />
      <p className="muted nb-chart-hint">{t("notebook.chart.mapHint")}</p>
    </div>
  );
}
