/** Renders a ReportInput as one self-contained HTML file (inline CSS and SVG, no network access needed). */
import type { ReportInput, ReportTable } from './types.js';
import { choroplethSvg, escapeHtml, lineChartSvg } from './svg.js';

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

export function renderHtmlReport(r: ReportInput): string {
  const sections = r.sections.map((s) => {
    const parts = [`<section><h2>${escapeHtml(s.heading)}</h2>`];
    for (const p of s.paragraphs ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (s.facts?.length) parts.push(`<dl>${s.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`);
    for (const t of s.tables ?? []) parts.push(tableHtml(t));
    if (s.charts?.length || s.maps?.length) {
      parts.push('<div class="figs">');
      for (const c of s.charts ?? []) parts.push(`<figure>${lineChartSvg(c)}</figure>`);
      for (const m of s.maps ?? []) parts.push(`<figure>${choroplethSvg(m)}</figure>`);
      parts.push('</div>');
    }
    parts.push('</section>');
    return parts.join('\n');
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:2px}h2{font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:12px 0 18px;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:4px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
tr.best td{background:#eef7ee}td.sig{font-weight:700}.sub{color:#666}
.figs{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px}dt{font-weight:600}dd{margin:0}
</style></head><body>
<h1>${escapeHtml(r.title)}</h1>
<p class="sub">${r.subtitle ? escapeHtml(r.subtitle) + ' · ' : ''}generated ${escapeHtml(r.generatedAt)}</p>
${sections.join('\n')}
</body></html>
`;
}
