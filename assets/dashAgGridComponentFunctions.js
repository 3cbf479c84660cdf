/* Cell renderers of the app's grids (dash-ag-grid reads window.dashAgGridComponentFunctions; a column
   names one with "cellRenderer"). Text from the data is put in the page as text: React escapes it, nothing
   is parsed as HTML or markdown, so a name like "<img src=x onerror=...>" or "![x](http://...)" is shown
   as written and fetches nothing. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

/* A link inside the app only: a path ("/district/AF2701?round=..."), never "//host", "javascript:" or a URL. */
function localPath(href) {
    return typeof href === "string" && /^\/(?![\/\\])/.test(href) ? href : null;
}

/* The cell's link: the row field cellRendererParams.hrefField ("profile", pages/grid.py PROFILE), or a
   formatted value of exactly "[<value>](<path>)" (the priorities and change grids' valueFormatter). Never
   name dash-ag-grid's "markdown" renderer for data: it parses the cell, so "![x](http://...)" fetches. */
function cellHref(props, text) {
    var href = localPath(props.data ? props.data[props.hrefField || "profile"] : null);
    var formatted = props.valueFormatted, prefix = "[" + text + "](";
    if (!href && typeof formatted === "string" && formatted.indexOf(prefix) === 0 && formatted.slice(-1) === ")") {
        href = localPath(formatted.slice(prefix.length, -1));
    }
    return href;
}

/* The district's name as plain text, linked to its profile. Sorting and filtering use the plain value. */
dagcomponentfuncs.DistrictLink = function (props) {
    var text = props.value == null ? "" : String(props.value);
    var href = cellHref(props, text);
    return href ? React.createElement("a", {href: href}, text) : React.createElement("span", null, text);
};
