package demo

import (
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/serve"
)

// AssetsPath is the URL path prefix of Hearth's files.
const AssetsPath = "/" + serve.Dir + "/"

// NewServer returns the whole demo: the site at / and Hearth's files from
// assets (the folder the asset pipeline wrote, holding hearth.js,
// hearth.wasm, catalogue.msgpack, ...) at /hearth/. Unless opts sets a
// Fallback, the slots are server-rendered in the non-personal order of that
// catalogue.
func NewServer(assets fs.FS, opts Options) (http.Handler, error) {
	if opts.Fallback == nil {
		b, err := fs.ReadFile(assets, serve.Catalogue)
		if err != nil {
			return nil, fmt.Errorf("demo server: %w", err)
		}
		cat, err := catalog.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("demo server: %w", err)
		}
		opts.Fallback = NonPersonal(cat, time.Now)
	}
	site, err := New(opts)
	if err != nil {
		return nil, err
	}
	files := http.StripPrefix(AssetsPath[:len(AssetsPath)-1], serve.New(assets, serve.Options{}))
	mux := http.NewServeMux()
	mux.Handle("/", site)
	mux.Handle(AssetsPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A Worker gets its policy from its own script's response, so
		// Hearth's files carry the pages' policy too (frame-ancestors,
		// base-uri and form-action do nothing in a Worker, and keep any of
		// these files opened as a page from being framed).
		w.Header().Set("Content-Security-Policy", CSP)
		files.ServeHTTP(w, r)
	}))
	return mux, nil
}
