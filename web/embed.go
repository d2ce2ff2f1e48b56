// Package web serves the browser assets that the binary carries: GraphiQL (and later the
// network explorer), bundled from npm packages by esbuild (web/build.mjs) and embedded here, so
// that nothing is loaded from a CDN.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed all:dist static
var files embed.FS

// Assets serves the bundles in dist/ (mount it under /assets/).
func Assets() http.Handler {
	dist, _ := fs.Sub(files, "dist")
	fileServer := http.FileServerFS(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})
}

// Built reports whether the bundles were built before the binary was compiled.
func Built() bool {
	_, err := fs.Stat(files, "dist/graphiql.js")
	return err == nil
}

// ServeGraphiQL serves the GraphiQL page.
func ServeGraphiQL(w http.ResponseWriter, r *http.Request) {
	if !Built() {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("GraphiQL was not built into this binary: run `make build` (it runs `npm ci && npm run build` in web/).\n"))
		return
	}
	page, err := files.ReadFile("static/graphiql.html")
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(page)
}
