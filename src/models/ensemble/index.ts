/** Registers the ensembles (members are any other registered forecasters). */
import './ensemble-mean.js';
import './stacking.js';
import './select-best.js';
