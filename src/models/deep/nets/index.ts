/** The architecture of each registered deep model, from its parameters. */
import type { ArchFactory } from '../deep-model.js';
import type { DeepParams } from '../params.js';
import { MlpNet, RecurrentNet } from './region-nets.js';
import { CnnNet, ConvLstmNet } from './grid-nets.js';
import { StResNet, type StResNetShape } from './st-resnet.js';
import { GraphNet } from './graph-net.js';

export function archFactory(name: string, p: DeepParams & Record<string, unknown>): ArchFactory {
  switch (name) {
    case 'mlp': return (d) => new MlpNet(d);
    case 'lstm': return (d) => new RecurrentNet(d, 'lstm');
    case 'gru': return (d) => new RecurrentNet(d, 'gru');
    case 'cnn': return (d) => new CnnNet(d, p.depth as number);
    case 'convlstm': return (d) => new ConvLstmNet(d);
    case 'st-resnet': return (d, unit) => new StResNet(d, unit, p as unknown as StResNetShape);
    case 'gnn': return (d) => new GraphNet(d);
    default: throw new Error(`no deep architecture named "${name}"`);
  }
}
