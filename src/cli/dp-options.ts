/**
 * `--dp-epsilon` and friends for the commands that publish maps (forecast, hotspots): calibrated noise from
 * src/responsible/privacy before anything is written, and the release stated where the user looks.
 */
import type { Command } from 'commander';
import type { MechanismKind } from '../responsible/privacy/mechanisms.js';
import type { DpRelease } from '../responsible/privacy/publish-forecast.js';
import { UserError } from '../util/errors.js';

export interface DpCliOptions { dpEpsilon?: string; dpSensitivity?: string; dpMechanism?: string; dpSeed?: string }
export interface DpSettings { epsilon: number; sensitivity: number; mechanism: MechanismKind; seed: number }

export function addDpOptions(cmd: Command, defaultMechanism: MechanismKind, sensitivityHelp: string): Command {
  return cmd
    .option('--dp-epsilon <ε>', 'publish under ε-differential privacy: calibrated noise on every published value before writing (e.g. 1; smaller = more private, noisier)')
    .option('--dp-sensitivity <Δ>', `most one incident changes the published values in total (L1); ${sensitivityHelp}`, '1')
    .option('--dp-mechanism <laplace|geometric>', `noise distribution (default ${defaultMechanism})`)
    .option('--dp-seed <n>', 'seed of the noise (keep it secret in a real release: it reproduces the noise)', '1');
}

/** Validated settings, or undefined without --dp-epsilon; nonsense values are refused with the fix. */
export function parseDpOptions(o: DpCliOptions, defaultMechanism: MechanismKind): DpSettings | undefined {
  if (o.dpEpsilon === undefined) {
    const stray = ([['--dp-mechanism', o.dpMechanism]] as const).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (stray.length) throw new UserError(`${stray.join(', ')} needs --dp-epsilon`, 'e.g. --dp-epsilon 1');
    return undefined;
  }
  const text = o.dpEpsilon.trim();
  const epsilon = text === '' ? NaN : Number(text);
  if (!Number.isFinite(epsilon) || epsilon <= 0) {
    throw new UserError(`--dp-epsilon must be a positive finite number, got "${o.dpEpsilon}"`, 'typical releases use ε between 0.1 (strong privacy, much noise) and 2; leave --dp-epsilon out to publish without noise');
  }
  if (epsilon > 20) {
    throw new UserError(`--dp-epsilon ${epsilon} promises nothing: an output may be e^${epsilon} ≈ ${Math.exp(epsilon).toExponential(1)} times likelier with one incident than without it`, 'use ε ≤ 20 (≤ 2 for a meaningful guarantee), or leave --dp-epsilon out to publish without noise');
  }
  const sensitivity = Number(o.dpSensitivity ?? '1');
  if (!Number.isFinite(sensitivity) || sensitivity <= 0) throw new UserError(`--dp-sensitivity must be a positive finite number, got "${o.dpSensitivity}"`);
  const mechanism = (o.dpMechanism ?? defaultMechanism) as MechanismKind;
  if (mechanism !== 'laplace' && mechanism !== 'geometric') throw new UserError(`--dp-mechanism must be laplace or geometric, got "${o.dpMechanism}"`);
  const seed = Number(o.dpSeed ?? '1');
  if (!Number.isInteger(seed)) throw new UserError(`--dp-seed must be an integer, got "${o.dpSeed}"`);
  return { epsilon, sensitivity, mechanism, seed };
}

/** The release in plain words: ε, mechanism, Δ assumed and E|noise| per cell. */
export function describeRelease(r: DpRelease, sensitivityNote: string): string[] {
  return [
    `differential privacy: ε = ${r.epsilon}, ${r.mechanism} mechanism (${r.mechanism === 'laplace' ? `scale b = Δ/ε = ${r.scale.toPrecision(3)}` : `α = e^(−ε/Δ) = ${r.scale.toPrecision(3)}`}), sensitivity Δ = ${r.sensitivity} assumed (${sensitivityNote})`,
    `  noise added to ${r.cellCount} values (${r.cells}): expected absolute noise ${r.expectedAbsNoise.toPrecision(3)} per value; ${r.clamped} pushed below 0 and published as 0; noise seed ${r.seed}`,
    `  guarantee: ${r.guarantee}`,
  ];
}

/**
 * A grid or H3 set drawn around the incidents (their bounding box, or only cells holding one) is itself derived from
 * the true data and is published with the map: the noise does not cover it. Polygons or a fixed --bbox do not leak.
 */
export function geometryLeakNote(unitSpec: string, bboxGiven: boolean): string | undefined {
  const kind = unitSpec.split(':')[0];
  const fromData = (kind === 'grid' && (!bboxGiven || /mask=incidents/.test(unitSpec))) || (kind === 'h3' && !/polygon=/.test(unitSpec));
  return fromData
    ? `the ${kind} regions are drawn around the incidents themselves (their extent${/mask=incidents/.test(unitSpec) ? ' and which cells hold one' : ''}), which the noise does not cover: use polygons:FILE.geojson units${kind === 'grid' ? ', a mask=FILE.geojson or a fixed --bbox' : ' or h3:res=R,polygon=FILE.geojson'} for a release whose geometry does not depend on the data`
    : undefined;
}
