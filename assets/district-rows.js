/* The overview's district table rows, made in the browser: the districts' names come with the page (and again
   only when a view changes which districts are shown), the values with every view (pages/overview/model.py
   table_names, table_values), so a filter change sends numbers, not names. Each row links to its district's
   profile with the view's filters ("profile": pages/grid.py PROFILE). */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.healthgaps = Object.assign(window.dash_clientside.healthgaps || {}, {
    districtRows: function (values, names) {
        if (!values || !names || values.set !== names.set) {
            return window.dash_clientside.no_update;  // the other half is on its way
        }
        return names.adm2_pcode.map(function (code, i) {
            return {
                adm2_name: names.adm2_name[i], adm1_name: names.adm1_name[i], adm2_pcode: code,
                value: values.value[i], suppressed: values.suppressed[i],
                profile: "/district/" + code + values.search
            };
        });
    }
});
