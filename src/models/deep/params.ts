/** Hyper-parameters shared by every deep forecaster (zod only: registering the models does not load TensorFlow.js). */
import { z } from 'zod';
import type { DeepLoss } from './losses.js';
import type { QuantMode } from './quantise.js';

/** Defaults a model may change (region models sample more and batch larger; grid models look back less). */
export interface DeepDefaults { lookback?: number; batchSize?: number; samplesPerEpoch?: number }

export const deepParams = (d: DeepDefaults = {}) => ({
  lookback: z.coerce.number().int().positive().default(d.lookback ?? 14),
  hidden: z.coerce.number().int().positive().default(16),
  epochs: z.coerce.number().int().positive().default(30),
  batchSize: z.coerce.number().int().positive().default(d.batchSize ?? 32),
  learningRate: z.coerce.number().positive().default(0.003),
  patience: z.coerce.number().int().positive().default(4),
  /** Periods held out at the end of the history for early stopping and the NB size. */
  validation: z.coerce.number().int().nonnegative().default(28),
  /** Train on at most this many periods before the validation tail. */
  trainPeriods: z.coerce.number().int().positive().default(365),
  /** Per-epoch cap on training samples (a fresh seeded draw each epoch; 0 = all). */
  samplesPerEpoch: z.coerce.number().int().nonnegative().default(d.samplesPerEpoch ?? 0),
  loss: z.enum(['poisson', 'bce']).default('poisson'),
  /** Weight of positive cells in the bce loss. */
  posWeight: z.coerce.number().positive().default(1),
  dist: z.enum(['poisson', 'negbin']).default('negbin'),
  seed: z.coerce.number().int().default(1),
  /** Start from this checkpoint's weights (transfer learning / fine-tuning); '' = fresh seeded weights. */
  init: z.string().default(''),
  /** Save the fitted model to this folder; '' = do not save. */
  checkpoint: z.string().default(''),
  /** Post-training weight quantisation applied after fit (before the NB size is fitted). */
  quantise: z.enum(['none', 'int8', 'ternary']).default('none'),
});

export interface DeepParams {
  lookback: number; hidden: number; epochs: number; batchSize: number; learningRate: number; patience: number;
  validation: number; trainPeriods: number; samplesPerEpoch: number; loss: DeepLoss; posWeight: number;
  dist: 'poisson' | 'negbin'; seed: number; init: string; checkpoint: string; quantise: 'none' | QuantMode;
}
