/** Registers every baseline forecaster. */
import './historical-average.js';
import './moving-average.js';
import './persistence.js';
import './seasonal-naive.js';
import './constant.js';
import './any-in-window.js';
import './occurrence-rate.js';
