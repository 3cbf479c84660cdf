/* plotly.js's own defaults point at the internet (its CDN for the base map's topojson, its cloud for the
   "send data" button). Every graph of the app is placed with a config that overrides both (pages/graph.py);
   this makes them the defaults too, so a graph placed without that config still loads nothing from outside.
   Assets load before the vendored bundle (assets/vendor/), so it runs once the page's scripts have run. */
document.addEventListener("DOMContentLoaded", function () {
    if (window.Plotly) {
        window.Plotly.setPlotConfig({topojsonURL: "/assets/topojson/", showSendToCloud: false});
    }
});
