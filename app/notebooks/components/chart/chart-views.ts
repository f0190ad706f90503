/**
 * The rendered Vega view of each chart cell on the page, so the cell's menu (in the cell bar, apart from the chart)
 * can export what is on screen. Set by ChartView when a render succeeds, cleared when it is replaced or unmounted.
 */
import type { View } from "vega";

export interface RenderedChart {
  view: View;
  rows: number;
}

const rendered = new Map<string, RenderedChart>();

export const chartViews = {
  get: (cellId: string): RenderedChart | undefined => rendered.get(cellId),
  set(cellId: string, chart: RenderedChart | null): void {
    if (chart) rendered.set(cellId, chart);
    else rendered.delete(cellId);
  },
};
