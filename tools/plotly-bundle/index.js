// plotly.js with only the trace types HealthGaps draws (grep figures/ for go.<Trace> and add_<trace>).
// lib/core already registers scatter; it also holds Plotly.downloadImage (the modebar's PNG export).
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);

module.exports = Plotly;
