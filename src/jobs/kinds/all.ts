/** Imports every job kind so it registers (the worker thread and the submitting client both import this). */
import './backtest.js';
import './forecast.js';
import './trial.js';
