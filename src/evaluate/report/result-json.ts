import type { ProtocolResult } from '../protocols/types.js';
import { winners } from './protocol-report.js';

/** The machine-readable result (per-period arrays left out; they are in the HTML report's figures). */
export function resultJson(r: ProtocolResult, seconds: number) {
  return {
    protocol: r.protocol,
    description: r.description,
    notes: r.notes,
    categories: r.categories,
    regions: r.regionIds.length,
    testPeriods: r.testPeriodStart.length,
    reference: r.reference,
    seconds: +seconds.toFixed(2),
    winners: winners(r),
    models: r.models.map((m) => ({
      spec: m.spec, family: m.family, timing: m.timing, fitted: m.fitted, warnings: m.warnings,
      worseThanReference: m.worseThanReference, metrics: m.metrics,
      ...(m.bias ? { bias: m.bias } : {}), ...(m.external ? { external: m.external } : {}),
    })),
  };
}
