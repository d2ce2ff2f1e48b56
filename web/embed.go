// Package web serves the browser assets that the binary carries: GraphiQL and the network
// explorer, bundled from npm packages by esbuild (web/build.mjs) and embedded here, so
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
	for _, f := range []string{"dist/graphiql.js", "dist/explore.js", "dist/layout.worker.js"} {
		if _, err := fs.Stat(files, f); err != nil {
			return false
		}
	}
	return true
}

// ServeGraphiQL serves the GraphiQL page.
func ServeGraphiQL(w http.ResponseWriter, r *http.Request) { servePage(w, "static/graphiql.html") }

// ServeExplorer serves the network explorer page.
func ServeExplorer(w http.ResponseWriter, r *http.Request) { servePage(w, "static/explore.html") }

func servePage(w http.ResponseWriter, name string) {
	if !Built() {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("the web pages were not built into this binary: run `make build` (it runs `npm ci && npm run build` in web/).\n"))
		return
	}
	page, err := files.ReadFile(name)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(page)
}
