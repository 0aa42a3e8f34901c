/** Hot-spot statistics: Getis-Ord Gi*, global and local Moran's I, emerging hot-spot analysis. */
export * from './weights.js';
export { twoSidedP, normalUpperTail } from '../../util/special-functions.js';
export * from './fdr.js';
export * from './confidence.js';
export * from './gi-star.js';
export * from './moran-global.js';
export * from './moran-local.js';
export * from './mann-kendall.js';
export * from './emerging-patterns.js';
export * from './emerging.js';
export * from './geojson.js';
