// Builds the browser bundles into dist/, which the Go binary embeds (web/embed.go).
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: { graphiql: 'src/graphiql.jsx', explore: 'src/explore.js', dashboard: 'src/dashboard.js', 'layout.worker': 'src/layout.worker.js' },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['es2020'],
  outdir: 'dist',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
console.log('web: built dist/');
