"""The first load of the overview: the partial plotly.js bundle draws the map, Dash's full plotly.min.js is never
asked for, and the map's files come preloaded with the page, once."""

from __future__ import annotations

from plotly.offline import get_plotlyjs_version

from pages import ids

MAP_DRAWN = f"#{ids.MAP} .js-plotly-plot .choroplethlayer path"
USED = {"scatter", "bar", "heatmap", "choropleth", "scattergeo"}  # every trace type figures/ draws


def test_the_overview_draws_with_the_partial_bundle(visit):
    page = visit.page
    asked: list[str] = []
    warnings: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(visit.base_url + "/")
    page.wait_for_selector(MAP_DRAWN, timeout=30_000)
    page.wait_for_load_state("networkidle")

    assert any("/assets/vendor/plotly-healthgaps.min.js" in url for url in asked)
    assert not [url for url in asked if "plotly.min.js" in url or "/plotly/package_data/" in url]
    traces = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    assert USED <= traces
    assert not traces & {"scatter3d", "scattermap", "pie", "sankey", "scattergl"}
    assert page.evaluate("Plotly.version") == get_plotlyjs_version()
    assert page.evaluate("typeof Plotly.downloadImage") == "function"  # the modebar's PNG export

    # the geometry and topojson, preloaded with the page, are fetched once (the preload is what plotly uses)
    for part in ("/geometry/adm2.", "/geometry/adm1.", "/assets/topojson/world_110m.json"):
        assert len([url for url in asked if part in url]) == 1, part
    assert not [text for text in warnings if "preload" in text]
    visit.assert_clean()



def test_a_graph_placed_without_the_app_config_stays_offline(visit):
    """plotly's defaults are the app's (assets/graph-defaults.js): a geo graph drawn with no config at all
    takes its base map from the app and has no "send to cloud" button."""
    page = visit.page
    page.goto(visit.base_url + "/")
    page.wait_for_selector(MAP_DRAWN, timeout=30_000)
    context = page.evaluate("""async () => {
        const div = document.createElement('div'); document.body.appendChild(div);
        await Plotly.newPlot(div, [{type: 'scattergeo', lon: [65], lat: [33]}]);
        return [div._context.topojsonURL, div._context.showSendToCloud]; }""")
    assert context == ["/assets/topojson/", False]
    visit.assert_clean()  # fails on any request that tried to leave loopback
