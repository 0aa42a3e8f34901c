/** Imports every model file once so each registers itself in the forecaster registry. */
export {};
