/** Public KDE API (pure functions; importing it registers no forecaster). */
export { kdeGrid, kdeGridDetailed, type KdeOptions, type KdeResult, type EdgeCorrection } from './grid-kde.js';
export type { GridSpec, PlanarPoints } from './binning.js';
export { kdeAtRegions, type GeoPoints, type RegionKdeOptions, type RegionKdeResult } from './region-kde.js';
export { kernelValue, gaussianToKernelBandwidth, KERNEL_NAMES, type KernelName } from './kernels.js';
export { ruleOfThumbBandwidth, lcvBandwidth, resolveBandwidth, type BandwidthRule } from './bandwidth.js';
export { timeDecayWeights, type TimeDecay } from './time-decay.js';
export { prospectiveRisk, type ProspectiveOptions } from './prospective-risk.js';
