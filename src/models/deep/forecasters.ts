/**
 * Registers the deep spatio-temporal forecasters (TensorFlow.js on the Wasm backend). Nothing here loads
 * TensorFlow.js: the architectures (nets/index.ts) and the engine come in on a model's first fit.
 */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { DeepForecaster } from './deep-forecaster.js';
import { deepParams, type DeepDefaults, type DeepParams } from './params.js';

function register(
  name: string, description: string, extra: z.ZodRawShape, needs: { units?: boolean; lattice?: boolean }, defaults: DeepDefaults = {},
): void {
  registerForecaster({
    name, family: 'deep', description, needs, params: z.object({ ...deepParams(defaults), ...extra }),
    create: (p) => new DeepForecaster(name, p as unknown as DeepParams & Record<string, unknown>),
  });
}

// region models see ~R samples per period: cap the epoch and use larger batches
const REGION_DEFAULTS = { batchSize: 256, samplesPerEpoch: 16384 };

register('mlp', 'MLP shared across regions on lagged counts, neighbour-mean lags and calendar (TensorFlow.js)', {}, { units: true }, REGION_DEFAULTS);
register('lstm', 'LSTM over each region\'s lag sequence (own + neighbour mean), weights shared across regions', {}, { units: true }, REGION_DEFAULTS);
register('gru', 'GRU over each region\'s lag sequence (own + neighbour mean), weights shared across regions', {}, { units: true }, REGION_DEFAULTS);
register('cnn', 'Fully convolutional network over lag maps of a regular grid',
  { depth: z.coerce.number().int().positive().default(3) }, { lattice: true }, { lookback: 7 });
register('convlstm', 'ConvLSTM over the sequence of grid maps', {}, { lattice: true }, { lookback: 7 });
register('st-resnet', 'ST-ResNet: closeness / period / trend branches with residual units, parametric fusion and calendar', {
  closeness: z.coerce.number().int().nonnegative().default(3),
  period: z.coerce.number().int().nonnegative().default(2),
  trend: z.coerce.number().int().nonnegative().default(2),
  residualUnits: z.coerce.number().int().nonnegative().default(2),
}, { lattice: true });
register('gnn', 'Spatio-temporal graph network (graph convolution + temporal convolution) over the unit adjacency', {}, { units: true });
