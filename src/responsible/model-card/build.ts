/** Fills a model card from what a run knows: model spec and parameters, data, evaluation and audit results. */
import type { ConfidenceInterval } from '../../evaluate/uncertainty.js';
import type { AuditResult } from '../audit/audit.js';
import { sourceSummary, SourceTable } from '../source-bias.js';
import type { ModelCard } from './schema.js';

export const DEFAULT_INTENDED_USE = [
  'Supporting the allocation of prevention and patrol resources across areas and time periods, alongside analysts\' judgement and local knowledge.',
  'Analysis and research on where and when recorded crime concentrates, and how well that concentration can be anticipated.',
  'Comparing forecasting methods under a stated, reproducible evaluation protocol.',
];

export const DEFAULT_OUT_OF_SCOPE = [
  'Decisions about individuals (stops, searches, arrests, bail, sentencing, surveillance of people): the model forecasts counts for areas, not behaviour of persons.',
  'Treating forecasts as a measure of where crime "is": they are estimates of RECORDED crime, which depends on reporting and on where police looked.',
  'Use without monitoring for feedback loops: patrols sent by the forecast change what is recorded next, which the model then learns from.',
  'Use outside the trained area, categories or period without re-evaluation.',
];

export interface ModelCardInput {
  spec: string;
  name: string;
  params: Readonly<Record<string, unknown>>;
  family?: string;
  description?: string;
  sources: string[];
  trainingWindow: { from: string; to: string };
  periodUnit: string;
  categories: string[];
  spatialUnit: { kind: string; spec: string; regions: number };
  /** Metric name → value with CI. */
  metrics?: Record<string, ConfidenceInterval | number>;
  protocol?: string;
  audit?: AuditResult;
  intendedUse?: string[];
  outOfScope?: string[];
  extraLimitations?: string[];
  sourceTable?: SourceTable;
  created?: string;
}

const num = (v: number) => (Number.isFinite(v) ? v : null);
const iv = (c: ConfidenceInterval | number) =>
  typeof c === 'number' ? { estimate: num(c), lo: null, hi: null } : { estimate: num(c.estimate), lo: num(c.lo), hi: num(c.hi) };

export function buildModelCard(i: ModelCardInput): ModelCard {
  const table = i.sourceTable ?? new SourceTable();
  const tags = sourceSummary(i.categories, table);
  const categorySources: Record<string, string> = {};
  for (const c of i.categories) categorySources[c] = table.tag(c);
  const limitations = [
    'Trained on recorded incidents: under-reporting, changes in recording practice and police deployment shape the data and therefore the forecasts.',
    `Forecasts are for ${i.spatialUnit.kind} units (${i.spatialUnit.regions} regions); patterns inside a unit are not resolved, and results depend on the unit choice (modifiable areal unit problem).`,
  ];
  if (tags['police-initiated'].length > 0) {
    limitations.push(`Trained on police-initiated categories (${tags['police-initiated'].join(', ')}): their counts measure enforcement activity as much as offending, so the model can direct police to where police already were (feedback loop).`);
  }
  if (tags.mixed.length > 0) limitations.push(`Partly police-initiated categories: ${tags.mixed.join(', ')}.`);
  if (tags.unknown.length > 0) limitations.push(`Categories with no recorded source tag (check how they are recorded): ${tags.unknown.join(', ')}.`);
  if (!i.audit) limitations.push('No fairness audit was attached to this card.');
  limitations.push(...(i.extraLimitations ?? []));
  const fairness: ModelCard['fairness'] = [];
  for (const g of i.audit?.groups ?? []) {
    fairness.push({ group: g.name, metric: 'flagged-area share / population share', value: iv(g.representationRatio) });
    fairness.push({ group: g.name, metric: 'exposure ratio (residents in flagged regions vs everyone)', value: iv(g.exposureRatio) });
    fairness.push({ group: g.name, metric: 'hit rate (population-weighted)', value: iv(g.hitRate) });
    fairness.push({ group: g.name, metric: 'calibration (predicted / observed)', value: iv(g.calibration) });
  }
  return {
    schemaVersion: 1,
    model: { name: i.name, spec: i.spec, family: i.family, description: i.description, params: { ...i.params } },
    created: i.created ?? new Date().toISOString(),
    data: {
      sources: i.sources, trainingWindow: i.trainingWindow, periodUnit: i.periodUnit, categories: i.categories,
      categorySources, spatialUnit: i.spatialUnit,
    },
    intendedUse: i.intendedUse ?? DEFAULT_INTENDED_USE,
    outOfScope: i.outOfScope ?? DEFAULT_OUT_OF_SCOPE,
    evaluation: Object.entries(i.metrics ?? {}).map(([metric, v]) => ({ metric, value: iv(v), protocol: i.protocol })),
    fairness,
    limitations,
    ethicalConsiderations: [
      'People living in flagged areas bear the cost of extra police contact whether or not they are involved in crime; weigh the audit\'s exposure ratios before deployment.',
      'Published maps and counts can disclose victims\' locations: snap points, suppress small cells, or add calibrated noise before release.',
    ],
  };
}
