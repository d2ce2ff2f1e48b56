// Package web serves the browser assets that the binary carries: GraphiQL, the network
// explorer and the statistics dashboard, bundled from npm packages by esbuild (web/build.mjs)
// and embedded here, so that nothing is loaded from a CDN.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"regexp"
	"sync"
)

//go:embed all:dist static
var files embed.FS

// fingerprints are the bundles' content hashes, by file name: the pages ask for
// /assets/NAME?v=HASH, which may be cached for good.
var fingerprints = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	entries, _ := fs.ReadDir(files, "dist")
	for _, e := range entries {
		if b, err := files.ReadFile("dist/" + e.Name()); err == nil && !e.IsDir() {
			sum := sha256.Sum256(b)
			out[e.Name()] = hex.EncodeToString(sum[:6])
		}
	}
	return out
})

// Fingerprint is the content hash of a bundle in dist/ ("" for none).
func Fingerprint(name string) string { return fingerprints()[name] }

// Assets serves the bundles in dist/ (mount it under /assets/). A request that names the
// bundle's current fingerprint (?v=…) may be cached for a year, unchanged; any other must be
// revalidated (the fingerprint is its ETag).
func Assets() http.Handler {
	dist, _ := fs.Sub(files, "dist")
	fileServer := http.FileServerFS(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := Fingerprint(r.URL.Path)
		if v != "" && r.URL.Query().Get("v") == v {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		if v != "" {
			w.Header().Set("ETag", `"`+v+`"`)
		}
		fileServer.ServeHTTP(w, r)
	})
}

// ServeFavicon serves the icon (an SVG, at /favicon.ico and /favicon.svg).
func ServeFavicon(w http.ResponseWriter, _ *http.Request) {
	icon, _ := files.ReadFile("static/favicon.svg")
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(icon)
}

var assetRef = regexp.MustCompile(`/assets/([A-Za-z0-9._-]+)`)

// fingerprinted rewrites a page's /assets/NAME references to /assets/NAME?v=HASH.
func fingerprinted(page []byte) []byte {
	return assetRef.ReplaceAllFunc(page, func(ref []byte) []byte {
		name := string(bytes.TrimPrefix(ref, []byte("/assets/")))
		if v := Fingerprint(name); v != "" {
			return []byte("/assets/" + name + "?v=" + v)
		}
		return ref
	})
}

// Built reports whether the bundles were built before the binary was compiled.
func Built() bool {
	for _, f := range []string{"dist/graphiql.js", "dist/explore.js", "dist/layout.worker.js", "dist/dashboard.js"} {
		if _, err := fs.Stat(files, f); err != nil {
			return false
		}
	}
	return true
}

// ServeGraphiQL serves the GraphiQL page.
func ServeGraphiQL(w http.ResponseWriter, r *http.Request) { servePage(w, "static/graphiql.html") }

// ServeDashboard serves the statistics dashboard page.
func ServeDashboard(w http.ResponseWriter, r *http.Request) { servePage(w, "static/dashboard.html") }

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
	_, _ = w.Write(fingerprinted(page))
}
