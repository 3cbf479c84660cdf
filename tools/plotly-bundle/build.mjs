// Builds ../../assets/vendor/plotly-healthgaps.min.js from index.js with esbuild, with the options of
// plotly.js's own esbuild-config.js (an IIFE defining window.Plotly), minified.
import { build } from 'esbuild';
import { copyFileSync, readFileSync } from 'node:fs';

const version = JSON.parse(readFileSync('node_modules/plotly.js/package.json', 'utf8')).version;
const out = '../../assets/vendor';

await build({
    entryPoints: ['index.js'],
    outfile: `${out}/plotly-healthgaps.min.js`,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    // The map subplot's stylesheet is required by plotly's registry, but only used for map traces (not here).
    loader: { '.css': 'empty' },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    target: 'es2016',
    banner: { js: `/* plotly.js v${version} (scatter, bar, heatmap, choropleth, scattergeo) | MIT licence: LICENSE-plotly */` },
    logLevel: 'info',
});
copyFileSync('node_modules/plotly.js/LICENSE', `${out}/LICENSE-plotly`);
