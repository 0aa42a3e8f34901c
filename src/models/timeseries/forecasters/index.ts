/** Importing this file registers the time-series forecasters: arima, ets, stl, ingarch. */
import './arima-forecaster.js';
import './ets-forecaster.js';
import './stl-forecaster.js';
import './ingarch-forecaster.js';
