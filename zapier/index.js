'use strict';
// The CommonJS entry the Zapier CLI and the zip's zapierwrapper.js load. `npm run build` bundles
// src/*.cts and ../core into dist/app.js (zapier-platform-core stays external).
if (!require('fs').existsSync(require('path').join(__dirname, 'dist', 'app.js'))) {
	throw new Error('zapier/dist/app.js is missing: run `npm run build` in zapier/ first.');
}
// A literal path, so the CLI's build tracer (esbuild) puts dist/app.js into build.zip.
const app = require('./dist/app.js');
module.exports = app.default || app;
