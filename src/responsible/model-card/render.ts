/** A model card as Markdown (for a repository or a data release) and as a report section. */
import type { ReportSection } from '../../evaluate/report/types.js';
import type { ModelCard } from './schema.js';

type Iv = { estimate: number | null; lo: number | null; hi: number | null };
const v = (x: Iv) => (x.estimate === null ? '–' : x.estimate.toFixed(4) + (x.lo !== null && x.hi !== null ? ` [${x.lo.toFixed(4)}, ${x.hi.toFixed(4)}]` : ''));
const esc = (s: string) => s.replace(/\|/g, '\\|');

export function modelCardMarkdown(c: ModelCard): string {
  const L: string[] = [`# Model card: ${c.model.spec}`, '', `Created ${c.created}.${c.model.description ? ' ' + c.model.description : ''}`, '',
    '## Model', '', `- Name: ${c.model.name}${c.model.family ? ` (${c.model.family})` : ''}`,
    `- Parameters: ${Object.entries(c.model.params).map(([k, x]) => `${k}=${String(x)}`).join(', ') || '(none)'}`, '',
    '## Data', '', `- Sources: ${c.data.sources.join('; ')}`,
    `- Training window: ${c.data.trainingWindow.from} to ${c.data.trainingWindow.to} (${c.data.periodUnit} periods)`,
    `- Spatial unit: ${c.data.spatialUnit.kind} \`${c.data.spatialUnit.spec}\`, ${c.data.spatialUnit.regions} regions`,
    `- Categories: ${c.data.categories.map((k) => `${k} (${c.data.categorySources[k] ?? 'unknown'})`).join(', ')}`, '',
    '## Intended use', '', ...c.intendedUse.map((s) => `- ${s}`), '',
    '## Out of scope', '', ...c.outOfScope.map((s) => `- ${s}`), ''];
  if (c.evaluation.length) {
    L.push('## Evaluation', '', '| metric | value [95% CI] | protocol |', '|---|---|---|',
      ...c.evaluation.map((e) => `| ${esc(e.metric)} | ${v(e.value)} | ${esc(e.protocol ?? '')} |`), '');
  }
  if (c.fairness.length) {
    L.push('## Fairness audit', '', '| group | metric | value [95% CI] |', '|---|---|---|',
      ...c.fairness.map((f) => `| ${esc(f.group)} | ${esc(f.metric)} | ${v(f.value)} |`), '');
  }
  L.push('## Limitations', '', ...c.limitations.map((s) => `- ${s}`), '', '## Ethical considerations', '', ...c.ethicalConsiderations.map((s) => `- ${s}`), '');
  return L.join('\n');
}

export function modelCardSection(c: ModelCard): ReportSection {
  return {
    heading: `Model card: ${c.model.spec}`,
    facts: [
      ['model', `${c.model.name}${c.model.family ? ` (${c.model.family})` : ''}`],
      ['parameters', Object.entries(c.model.params).map(([k, x]) => `${k}=${String(x)}`).join(', ') || '(none)'],
      ['training window', `${c.data.trainingWindow.from} – ${c.data.trainingWindow.to} (${c.data.periodUnit})`],
      ['spatial unit', `${c.data.spatialUnit.kind} ${c.data.spatialUnit.spec} (${c.data.spatialUnit.regions} regions)`],
      ['data sources', c.data.sources.join('; ')],
      ['categories', c.data.categories.map((k) => `${k} (${c.data.categorySources[k] ?? 'unknown'})`).join(', ')],
      ['intended use', c.intendedUse.join(' ')],
      ['out of scope', c.outOfScope.join(' ')],
      ...c.evaluation.map((e): [string, string] => [e.metric, v(e.value)]),
      ...c.fairness.map((f): [string, string] => [`${f.group}: ${f.metric}`, v(f.value)]),
    ],
    paragraphs: [...c.limitations.map((s) => `Limitation: ${s}`), ...c.ethicalConsiderations.map((s) => `Ethics: ${s}`)],
  };
}
