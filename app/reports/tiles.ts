/** What a report version stores per tile (JSON in report_versions.tiles): results and SVG, computed at publish time. */
import type { TileColumn } from "./run-cell.server.ts";

export const TILE_WIDTHS = ["third", "half", "full"] as const;
export type TileWidth = (typeof TILE_WIDTHS)[number];

interface TileBase {
  /** Stable within a version: t1, t2… in layout order (CSV URLs use it). */
  id: string;
  cellId: string;
  /** The cell's name, shown as the tile's title. */
  title: string;
  width: TileWidth;
  /** Why this tile has no result (the rest of the report still publishes). */
  error?: string;
  /**
   * The tile computed for the report's other input values (variants.ts), by variant key. The tile itself holds the
   * default variant; a key that is missing here has the same content as the default.
   */
  variants?: Record<string, Tile>;
}

export interface TableTile extends TileBase {
  kind: "table";
  columns: TileColumn[];
  rows: Record<string, unknown>[];
  totalRows: number;
}

export interface ChartTile extends TileBase {
  kind: "chart";
  /** Sanitized server-rendered SVG. */
  svg: string;
  /** The validated Vega-Lite spec, so the page can make the chart interactive once scripts load. */
  spec: unknown;
  /** What the chart draws when it is not the table's rows: a map's GeoJSON features (app/charts/map-chart.ts). */
  chartData?: object[];
  columns: TileColumn[];
  rows: Record<string, unknown>[];
  totalRows: number;
}

export interface MarkdownTile extends TileBase {
  kind: "markdown";
  /** Sanitized HTML. */
  html: string;
}

export type Tile = TableTile | ChartTile | MarkdownTile;

/** The tile's content for a variant (the default when the variant changes nothing in it). */
export const tileForVariant = (tile: Tile, key: string): Tile => tile.variants?.[key] ?? tile;

export const hasRows = (tile: Tile): tile is TableTile | ChartTile => tile.kind === "table" || tile.kind === "chart";
