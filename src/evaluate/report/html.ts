/** Renders a ReportInput as one self-contained HTML file (inline CSS and SVG, no network access needed). */
import type { ReportInput, ReportSection, ReportTable, ReportWideTable } from './types.js';
import { escapeHtml, lineChartSvg } from './svg.js';
import { mapSvg } from './map-svg.js';

function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 0.001 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

/** Index of the best row, and whether it beats every other row significantly (paired test vs reference). */
export function winnerOf(table: ReportTable): number {
  let best = -1;
  table.rows.forEach((r, i) => {
    if (!Number.isFinite(r.value)) return;
    if (best < 0) best = i;
    else if (table.better === 'lower' ? r.value < table.rows[best].value : r.value > table.rows[best].value) best = i;
  });
  return best;
}

function tableHtml(t: ReportTable): string {
  const best = winnerOf(t);
  const hasRef = t.rows.some((r) => r.vsRef);
  const hasBias = t.rows.some((r) => r.bias !== undefined);
  const head = `<tr><th>model</th><th>${escapeHtml(t.metric)}</th><th>95% CI</th>${hasRef ? '<th>Δ vs reference [95% CI]</th><th>p</th>' : ''}${hasBias ? '<th>bias (forecast ÷ actual)</th>' : ''}</tr>`;
  const body = t.rows.map((r, i) => {
    const ref = r.vsRef;
    const sig = ref && ref.p < 0.05;
    const model = `${escapeHtml(r.model)}${r.external ? ` <span title="${escapeHtml(r.external)}">[external]</span>` : ''}`;
    return `<tr${i === best ? ' class="best"' : ''}><td>${model}${i === best ? ' ★' : ''}</td><td>${fmt(r.value)}</td>` +
      `<td>${r.lo !== undefined ? `[${fmt(r.lo)}, ${fmt(r.hi)}]` : '–'}</td>` +
      (hasRef ? (ref ? `<td>${fmt(ref.diff)} [${fmt(ref.lo)}, ${fmt(ref.hi)}] vs ${escapeHtml(ref.reference)}</td><td${sig ? ' class="sig"' : ''}>${ref.p.toFixed(3)}</td>` : Number.isFinite(r.value) ? '<td>reference</td><td></td>' : '<td>–</td><td></td>') : '') +
      (hasBias ? `<td>${r.bias !== undefined ? `×${fmt(r.bias)}` : '–'}</td>` : '') +
      '</tr>';
  }).join('');
  return `<table><caption>${escapeHtml(t.metric)} (${t.better} is better)${t.description ? ` — ${escapeHtml(t.description)}` : ''}</caption>${head}${body}</table>`;
}

function wideTableHtml(t: ReportWideTable): string {
  const head = `<tr><th>model</th>${t.columns.map((c) => `<th title="${c.better} is better">${escapeHtml(c.metric)} ${c.better === 'higher' ? '↑' : '↓'}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr><td>${escapeHtml(r.model)}</td>${r.cells.map((c) => {
    const mark = c.verdict === 1 ? ' <span class="up" title="significantly better than the reference">▲</span>' : c.verdict === -1 ? ' <span class="down" title="significantly worse than the reference">▼</span>' : '';
    return `<td${c.best ? ' class="best"' : ''}${c.title ? ` title="${escapeHtml(c.title)}"` : ''}>${fmt(c.value)}${c.best ? ' ★' : ''}${mark}</td>`;
  }).join('')}</tr>`).join('');
  return `<div class="wide"><table><caption>${escapeHtml(t.caption)}</caption>${head}${body}</table></div>`;
}

function sectionHtml(s: ReportSection, depth = 2): string {
  const h = `h${Math.min(depth, 4)}`;
  const inner: string[] = [];
  for (const p of s.paragraphs ?? []) inner.push(`<p>${escapeHtml(p)}</p>`);
  if (s.facts?.length) inner.push(`<dl>${s.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`);
  if (s.charts?.length || s.maps?.length) {
    inner.push('<div class="figs">');
    for (const m of s.maps ?? []) inner.push(`<figure>${mapSvg(m)}</figure>`);
    for (const c of s.charts ?? []) inner.push(`<figure>${lineChartSvg(c)}</figure>`);
    inner.push('</div>');
  }
  for (const t of s.wideTables ?? []) inner.push(wideTableHtml(t));
  for (const t of s.tables ?? []) inner.push(tableHtml(t));
  for (const sub of s.subsections ?? []) inner.push(sectionHtml(sub, depth + 1));
  if (s.collapsed) return `<details class="${depth === 2 ? 'top' : 'sub'}"><summary><${h}>${escapeHtml(s.heading)}</${h}></summary>\n${inner.join('\n')}\n</details>`;
  return `<section${s.highlight ? ' class="decision"' : ''}><${h}>${escapeHtml(s.heading)}</${h}>\n${inner.join('\n')}\n</section>`;
}

export function renderHtmlReport(r: ReportInput): string {
  const sections = r.sections.map((s) => sectionHtml(s));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:2px}h2{font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:12px 0 18px;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:4px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
tr.best td{background:#eef7ee}td.sig{font-weight:700}.sub{color:#666}
.figs{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}dl{display:grid;grid-template-columns:minmax(8em,max-content) auto;gap:2px 14px}dt{font-weight:600}dd{margin:0}
section.decision{background:#f6f9fc;border:1px solid #cfdcec;border-radius:6px;padding:4px 18px 12px}section.decision h2{border:0}
details{margin:10px 0}details>summary{cursor:pointer}details>summary>h2,details>summary>h3,details>summary>h4{display:inline;border:0}
details.top{border-top:1px solid #ddd;padding-top:6px}details.sub{margin-left:14px}
.wide{overflow-x:auto}.wide td{white-space:nowrap}.wide th{font-size:12px}.up{color:#1a7f37}.down{color:#b42318}td.best{background:#eef7ee}p.lead{font-size:15px}
</style></head><body>
<h1>${escapeHtml(r.title)}</h1>
${r.lead ? `<p class="lead">${escapeHtml(r.lead)}</p>\n` : ''}<p class="sub">${r.subtitle ? escapeHtml(r.subtitle) + ' · ' : ''}generated ${escapeHtml(r.generatedAt)}</p>
${sections.join('\n')}
</body></html>
`;
}
