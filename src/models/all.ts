/** Imports every model file once so each registers itself in the forecaster registry. */
import './baselines/index.js';
import './linear/glm-forecasters.js';
import './linear/panel-forecaster.js';
import './bayes/forecasters.js';
import './neighbors/forecasters.js';
import './svm/forecasters.js';
import './kernel/kde-forecaster.js';
import './kernel/prospective-forecaster.js';
import './timeseries/forecasters/index.js';
import './pointprocess/etas-grid.js';
import './hotspot/hotspot-forecaster.js';
import './pointprocess/sepp.js';
import './trees/forecasters.js';
import './ensemble/index.js';
import './deep/forecasters.js';
