package server

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// gzipper compresses answers of 1 KB and more for clients that accept gzip.
var gzipper = func() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024))
	if err != nil {
		panic(err)
	}
	return func(h http.Handler) http.Handler { return wrap(h) }
}()

// compressed serves h gzip-compressed when the client accepts it; websocket upgrades pass
// untouched.
func compressed(h http.Handler) http.Handler {
	gz := gzipper(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			h.ServeHTTP(w, r)
			return
		}
		gz.ServeHTTP(w, r)
	})
}
