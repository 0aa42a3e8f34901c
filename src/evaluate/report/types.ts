/** What a report shows. Protocol results, forecasts and audits are turned into this shape, then rendered. */
import type { AreaGeometry } from '../../space/units.js';

export interface ReportRow {
  model: string;
  value: number;
  /** 95% bootstrap confidence interval. */
  lo?: number;
  hi?: number;
  /** Paired comparison against the reference model: difference (model − reference), its CI and p-value. */
  vsRef?: { reference: string; diff: number; lo: number; hi: number; p: number };
  /** Mean forecast ÷ mean actual over the scored cells, shown beside masked / point metrics. */
  bias?: number;
  /** Set when the row is a forecast read from a file: what it is and its hash. */
  external?: string;
}

export interface ReportTable {
  metric: string;
  /** Which direction is better, so the winner can be marked. */
  better: 'lower' | 'higher';
  description?: string;
  rows: ReportRow[];
}

export interface ReportCurveSeries {
  name: string;
  x: number[];
  y: number[];
}

export interface ReportChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ReportCurveSeries[];
  /** Draw x on a log scale (coverage curves span 0.1%–100%). */
  logX?: boolean;
}

export interface ReportMapFeature {
  id: string;
  geometry: AreaGeometry;
  value: number;
  flagged?: boolean;
  /** Shown in the tooltip instead of the id (e.g. "Lincoln Park (7)"). */
  label?: string;
}

export interface ReportMap {
  title: string;
  valueLabel: string;
  /** What the value is, with units, for the legend (e.g. "expected incidents per km² per day"). */
  valueUnit?: string;
  /** Legend text for the flagged outline (e.g. "flagged: top 1% of area"). */
  flaggedLabel?: string;
  /** Slippy-map tile URL template ({z}/{x}/{y}) drawn under the regions; none = offline. */
  basemap?: string;
  /** Boundaries drawn over the regions (neighbourhoods, beats) from the user's polygons. */
  overlays?: ReportOverlay[];
  features: ReportMapFeature[];
}

export interface ReportSection {
  heading: string;
  paragraphs?: string[];
  tables?: ReportTable[];
  charts?: ReportChart[];
  maps?: ReportMap[];
  /** Free-form key/value facts (model card fields, settings). */
  facts?: [string, string][];
  /** Models × metrics tables (one value per cell, marks for significance): many metrics in one table. */
  wideTables?: ReportWideTable[];
  /** Rendered inside a closed <details> (full tables below the decision). */
  collapsed?: boolean;
  /** The decision box at the top. */
  highlight?: boolean;
  /** Nested groups, each collapsible on its own. */
  subsections?: ReportSection[];
}

export interface ReportWideCell {
  value: number;
  lo?: number;
  hi?: number;
  /** vs the reference: +1 significantly better, −1 significantly worse, 0 neither / no test. */
  verdict?: -1 | 0 | 1;
  /** Best value of the column. */
  best?: boolean;
  /** Tooltip (CI, Δ, p). */
  title?: string;
}

export interface ReportWideTable {
  caption: string;
  columns: { metric: string; better: 'lower' | 'higher' }[];
  rows: { model: string; cells: ReportWideCell[] }[];
}

export interface ReportInput {
  title: string;
  /** Printed under the title before anything else (what the report is about, in one line). */
  lead?: string;
  subtitle?: string;
  generatedAt: string;
  sections: ReportSection[];
}

export interface ReportOverlay {
  /** Legend name (the file's name). */
  name: string;
  geometries: AreaGeometry[];
  /** One label per geometry ('' for none). */
  labels: string[];
  /** What was left out of the file, if anything. */
  note?: string;
}
