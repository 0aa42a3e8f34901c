/** Plain definitions of every metric a report can show; the report lists those whose names appear in the run. */

interface Entry { family: RegExp; term: string; text: string }

const ENTRIES: Entry[] = [
  { family: /^(\w+\/)?PAI@/, term: 'PAI (predictive accuracy index)', text: 'share of incidents inside the flagged area ÷ share of the study area flagged, at the stated coverage (e.g. @1% = the highest-risk regions filling 1% of the area). 1 = no better than random places; higher is better.' },
  { family: /^(\w+\/)?PEI@/, term: 'PEI (predictive efficiency index)', text: 'incidents captured by the flagged area ÷ the most any set of regions of that area could have captured (the hindsight-best map). 0–1; higher is better.' },
  { family: /^(\w+\/)?oraclePAI@/, term: 'oracle PAI', text: 'the PAI of the hindsight-best map at that coverage: the ceiling no forecast can pass.' },
  { family: /^(\w+\/)?hitRate@/, term: 'hit rate', text: 'share of all incidents that fell inside the flagged area (the regions of highest forecast density filling the stated share of the area). Higher is better.' },
  { family: /^(\w+\/)?(PAI|PEI|hitRate)@own/, term: '@own', text: 'the coverage the protocol itself sets (the paper\'s own flagged-area rule) instead of a fixed share.' },
  { family: /^maskedMAE\//, term: 'masked MAE', text: 'mean absolute error of the count forecast over the region-periods that had at least one incident (the published ST-HSL/ST-SHN convention; zero cells are not scored). Lower is better.' },
  { family: /^maskedMAE\[positive-median\]/, term: 'masked MAE [positive-median]', text: 'the same score for the point forecast that minimises it: the median of the forecast distribution given at least one incident. Shows how much of a masked-MAE gap is the choice of point forecast, not the model.' },
  { family: /^maskedMAPE\//, term: 'masked MAPE', text: 'mean absolute percentage error over region-periods with at least one incident: |forecast − actual| ÷ actual. Lower is better.' },
  { family: /^maskedMAPE\[positive-mape\]/, term: 'masked MAPE [positive-mape]', text: 'masked MAPE of the point forecast that minimises it (the MAPE-optimal point of the distribution given ≥ 1 incident).' },
  { family: /^MAE\//, term: 'MAE', text: 'mean absolute error of the mean forecast over every region-period, zeros included. Lower is better.' },
  { family: /^MAE\[median\]/, term: 'MAE [median]', text: 'MAE of the forecast distribution\'s median (the MAE-optimal point forecast).' },
  { family: /^MAE\[positive-/, term: 'MAE [positive-…]', text: 'MAE over every region-period of the loss-optimal point forecast named in brackets.' },
  { family: /^share≥1\[/, term: 'share ≥ 1 [...]', text: 'share of region-periods where that point forecast is at least 1.' },
  { family: /^RMSE\//, term: 'RMSE', text: 'root mean squared error of the mean forecast over every region-period. Lower is better; punishes large misses.' },
  { family: /^deviance\//, term: 'Poisson deviance', text: 'mean Poisson deviance of the mean forecast against the counts, 2·(y·log(y/μ) − (y − μ)). The count analogue of squared error; lower is better.' },
  { family: /^logScore\//, term: 'log score', text: 'mean negative log-probability the forecast distribution gave to the count that happened, per region-period. Judges the whole distribution, not just the mean; lower is better.' },
  { family: /^binaryLogScore\//, term: 'binary log score', text: 'mean negative log-probability given to whether at least one incident happened. Lower is better.' },
  { family: /^RPS\//, term: 'RPS (ranked probability score)', text: 'squared distance between the forecast\'s cumulative distribution over counts and the step at the observed count, per region-period. Lower is better.' },
  { family: /^Brier\//, term: 'Brier score', text: 'mean squared difference between P(≥ 1 incident) and what happened (0 or 1). Lower is better.' },
  { family: /^bias\/|./, term: 'bias (forecast ÷ actual)', text: 'mean forecast ÷ mean actual count over the scored cells: 1 = right on average, 1.2 = 20% too high. Shown beside count metrics.' },
  { family: /^(macroF1|F1\/)/, term: 'macro F1', text: 'F1 (harmonic mean of precision and recall of "at least one incident") computed per category, then averaged: every category counts equally.' },
  { family: /^(microF1|pooledF1)/, term: 'micro F1', text: 'F1 over all categories\' cells pooled together: common categories weigh more.' },
  { family: /^meanF1/, term: 'mean F1', text: 'F1 averaged over test days, as in the protocol\'s paper.' },
  { family: /^(precision|recall)\//, term: 'precision / recall', text: 'precision: share of predicted occurrences that happened; recall: share of occurrences that were predicted.' },
  { family: /./, term: 'paired 95% CI and p', text: 'Δ = model − reference on the same resampled test periods (bootstrap). An interval that excludes 0 means the difference is unlikely to be luck of which periods were tested; p is the bootstrap two-sided p-value.' },
  { family: /./, term: '/all, /CATEGORY', text: 'the part after the slash says which incidents are scored: all categories together, or one category.' },
];

export function glossaryFor(metricNames: string[], opts: { bias?: boolean } = {}): [string, string][] {
  const out: [string, string][] = [];
  for (const e of ENTRIES) {
    if (e.term.startsWith('bias')) { if (opts.bias) out.push([e.term, e.text]); continue; }
    if (metricNames.some((m) => e.family.test(m))) out.push([e.term, e.text]);
  }
  return out;
}
