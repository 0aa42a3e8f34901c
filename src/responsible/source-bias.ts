/**
 * Where recorded incidents come from. Victim-reported categories (theft, burglary, battery…) reach the record mostly
 * because someone called; police-initiated categories (narcotics, weapons violations, prostitution…) are recorded
 * mostly because officers were there to find them, so their counts measure enforcement as much as offending, and
 * a forecaster trained on them sends police where police already were (Lum & Isaac 2016; Ensign et al. 2018).
 *
 * The default table follows the Chicago Police Department's primary types; other taxonomies can be matched by
 * name or mapped with an override file: JSON {"CATEGORY": "victim-reported" | "police-initiated" | "mixed"}.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';

export type SourceTag = 'victim-reported' | 'police-initiated' | 'mixed' | 'unknown';

const POLICE_INITIATED = [
  'NARCOTICS', 'OTHER NARCOTIC VIOLATION', 'WEAPONS VIOLATION', 'CONCEALED CARRY LICENSE VIOLATION', 'PROSTITUTION',
  'GAMBLING', 'PUBLIC PEACE VIOLATION', 'INTERFERENCE WITH PUBLIC OFFICER', 'LIQUOR LAW VIOLATION', 'PUBLIC INDECENCY',
  'OBSCENITY', 'NON-CRIMINAL', 'NON - CRIMINAL', 'NON-CRIMINAL (SUBJECT SPECIFIED)',
];
const VICTIM_REPORTED = [
  'THEFT', 'BATTERY', 'ASSAULT', 'BURGLARY', 'ROBBERY', 'MOTOR VEHICLE THEFT', 'CRIMINAL DAMAGE', 'DECEPTIVE PRACTICE',
  'HOMICIDE', 'CRIM SEXUAL ASSAULT', 'CRIMINAL SEXUAL ASSAULT', 'SEX OFFENSE', 'ARSON', 'KIDNAPPING', 'STALKING',
  'INTIMIDATION', 'OFFENSE INVOLVING CHILDREN', 'HUMAN TRAFFICKING',
];
// partly reported, partly found on patrol
const MIXED = ['CRIMINAL TRESPASS', 'OTHER OFFENSE'];

export const DEFAULT_SOURCE_TAGS: ReadonlyMap<string, SourceTag> = new Map<string, SourceTag>([
  ...POLICE_INITIATED.map((c) => [c, 'police-initiated'] as [string, SourceTag]),
  ...VICTIM_REPORTED.map((c) => [c, 'victim-reported'] as [string, SourceTag]),
  ...MIXED.map((c) => [c, 'mixed'] as [string, SourceTag]),
]);

const norm = (c: string) => c.trim().toUpperCase().replace(/\s+/g, ' ');

export class SourceTable {
  private readonly tags: Map<string, SourceTag>;

  constructor(overrides: Record<string, SourceTag> = {}, base: ReadonlyMap<string, SourceTag> = DEFAULT_SOURCE_TAGS) {
    this.tags = new Map(base);
    for (const [k, v] of Object.entries(overrides)) this.tags.set(norm(k), v);
  }

  /** Reads overrides {"CATEGORY": tag} from a JSON file. */
  static fromFile(path: string): SourceTable {
    let raw: unknown;
    try { raw = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new UserError(`${path}: not valid JSON (${(e as Error).message})`); }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`${path}: expected an object {"CATEGORY": "victim-reported" | "police-initiated" | "mixed"}`);
    const ok: SourceTag[] = ['victim-reported', 'police-initiated', 'mixed', 'unknown'];
    for (const [k, v] of Object.entries(raw)) {
      if (!ok.includes(v as SourceTag)) throw new UserError(`${path}: category "${k}" has tag "${String(v)}"; use one of ${ok.join(', ')}`);
    }
    return new SourceTable(raw as Record<string, SourceTag>);
  }

  tag(category: string): SourceTag {
    return this.tags.get(norm(category)) ?? 'unknown';
  }
}

const DEFAULT_TABLE = new SourceTable();

export interface SourceWarning {
  category: string;
  tag: SourceTag;
  message: string;
}

/** One warning per police-initiated (or mixed) category in the selection; empty when all are victim-reported. */
export function warnIfPoliceInitiated(categories: string[], table: SourceTable = DEFAULT_TABLE): SourceWarning[] {
  const out: SourceWarning[] = [];
  for (const c of categories) {
    const tag = table.tag(c);
    if (tag === 'police-initiated') {
      out.push({ category: c, tag, message: `"${c}" is mostly recorded through police activity: its counts track where officers were sent, so forecasting it risks a feedback loop that concentrates enforcement (use --victim-reported-only to exclude it)` });
    } else if (tag === 'mixed') {
      out.push({ category: c, tag, message: `"${c}" is partly police-initiated: its counts depend on patrol presence as well as offending` });
    }
  }
  return out;
}

/** Only the categories tagged victim-reported (unknown and mixed ones are dropped, listed in `dropped`). */
export function victimReportedOnly(categories: string[], table: SourceTable = DEFAULT_TABLE): { kept: string[]; dropped: { category: string; tag: SourceTag }[] } {
  const kept: string[] = [], dropped: { category: string; tag: SourceTag }[] = [];
  for (const c of categories) {
    const tag = table.tag(c);
    if (tag === 'victim-reported') kept.push(c); else dropped.push({ category: c, tag });
  }
  return { kept, dropped };
}

/** Tag of every category, for model cards and reports. */
export function sourceSummary(categories: string[], table: SourceTable = DEFAULT_TABLE): Record<SourceTag, string[]> {
  const out: Record<SourceTag, string[]> = { 'victim-reported': [], 'police-initiated': [], mixed: [], unknown: [] };
  for (const c of categories) out[table.tag(c)].push(c);
  return out;
}
