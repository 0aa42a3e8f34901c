/** Registers every published protocol. */
import './st-hsl.js';
import './st-shn.js';
import './crimeforecaster.js';
import './nij-portland.js';
import { registerShippedSpecs } from '../spec/shipped.js';

export { runProtocol, listProtocols, getProtocol, registerProtocol } from './registry.js';
export type { ProtocolResult, ProtocolOptions, ModelReport, MetricResult } from './types.js';
import './chicago-fine.js';
import './chicago-areas.js';
// any other spec shipped in protocols/ (a new published protocol needs only its file)
registerShippedSpecs();
