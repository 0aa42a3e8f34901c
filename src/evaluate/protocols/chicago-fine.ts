/**
 * Fine-scale hot-spot protocols on the raw Chicago 2016–17 incidents (issue #12): at 3 km every method looks
 * alike (static concentration dominates), so methods are compared at the scale patrols work at — square cells of
 * 150 m, 250 m and 500 m and H3 resolutions 9 and 10, daily and weekly. Cells are those of a grid clipped to the
 * city's community areas (the study area), never "cells that ever had a crime" (that would leak the test period).
 * Test span: 2017-10-01 … 2017-12-31, as in ST-HSL. Each is a spec file, protocols/chicago-{grid,h3}-….json.
 */
import { registerShippedSpec } from '../spec/shipped.js';

for (const cell of [150, 250, 500]) for (const period of ['day', 'week']) registerShippedSpec(`chicago-grid${cell}-${period}`);
for (const res of [9, 10]) for (const period of ['day', 'week']) registerShippedSpec(`chicago-h3-${res}-${period}`);
