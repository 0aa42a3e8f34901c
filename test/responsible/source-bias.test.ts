/** Source tags per category: warnings for police-initiated categories, the victim-reported filter, overrides. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceTable, sourceSummary, victimReportedOnly, warnIfPoliceInitiated } from '../../src/responsible/source-bias.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-src-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('source-bias controls', () => {
  const cats = ['THEFT', 'narcotics', 'Weapons Violation', 'BATTERY', 'CRIMINAL TRESPASS', 'MYSTERY'];

  it('warns once per police-initiated or mixed category, case-insensitively', () => {
    const w = warnIfPoliceInitiated(cats);
    expect(w.map((x) => [x.category, x.tag])).toEqual([
      ['narcotics', 'police-initiated'], ['Weapons Violation', 'police-initiated'], ['CRIMINAL TRESPASS', 'mixed'],
    ]);
    expect(w[0].message).toMatch(/police activity/);
    expect(warnIfPoliceInitiated(['THEFT', 'BURGLARY'])).toEqual([]);
  });

  it('keeps only victim-reported categories and lists what it dropped', () => {
    const v = victimReportedOnly(cats);
    expect(v.kept).toEqual(['THEFT', 'BATTERY']);
    expect(v.dropped.map((d) => d.tag)).toEqual(['police-initiated', 'police-initiated', 'mixed', 'unknown']);
  });

  it('applies overrides from a JSON file and rejects bad tags', () => {
    const f = join(dir, 'tags.json');
    writeFileSync(f, JSON.stringify({ mystery: 'victim-reported', NARCOTICS: 'mixed' }));
    const t = SourceTable.fromFile(f);
    expect(t.tag('MYSTERY')).toBe('victim-reported');
    expect(t.tag('Narcotics')).toBe('mixed');
    expect(t.tag('GAMBLING')).toBe('police-initiated');
    expect(sourceSummary(cats, t)['victim-reported']).toEqual(['THEFT', 'BATTERY', 'MYSTERY']);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ THEFT: 'sometimes' }));
    expect(() => SourceTable.fromFile(bad)).toThrow(/tag "sometimes"/);
  });
});
