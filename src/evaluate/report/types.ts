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
}

export interface ReportMap {
  title: string;
  valueLabel: string;
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
}

export interface ReportInput {
  title: string;
  subtitle?: string;
  generatedAt: string;
  sections: ReportSection[];
}
