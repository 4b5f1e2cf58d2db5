//go:build !js

// Package browserbench measures Hearth in headless Chromium: the time from
// the loader's start to the first recommendations on the page (cold and
// warm HTTP cache), recommend and track round trips through the Worker,
// main-thread long tasks, the engine's wasm memory, and the Go engine's
// ranking beside a straightforward JavaScript implementation of the same
// scoring (jsref/rank.js), for synthetic catalogues of 1k, 10k and 100k
// items with 64-dimensional vectors.
//
// # Running
//
// The full benchmark is a test gated by HEARTH_BENCH=1 (`make bench` runs
// it); it prints tables and writes them with the raw figures, as JSON, to
// HEARTH_BENCH_OUT:
//
//	HEARTH_BENCH=1 HEARTH_BENCH_OUT=$PWD/bench go test -run TestBrowser_Bench -v -timeout 30m ./tests/browserbench/
//
// HEARTH_BENCH_SIZES=1k,10k picks sizes; HEARTH_BENCH_WASM=<file> measures
// another build of the engine in place of the one build/assets makes (to
// weigh a size trade-off against its speed). HEARTH_BENCH_B=<folder> takes
// another build of all of Hearth's files (the hearth folder that `make
// assets` writes, from another checkout) and alternates warm loads of it
// with warm loads of this one in the same browser, reader and minute, which
// on a shared machine is the only fair comparison of two versions.
// HEARTH_BENCH_B_TEXT=1 gives that other side catalogues that keep their
// summaries and key terms (KeepText; this build's files, unless
// HEARTH_BENCH_B names others). Without HEARTH_BENCH only a smoke
// test at 1k items runs (the pages work, the engine and the reference
// agree), so `make test` stays quick.
//
// # The site
//
// [NewSite] serves what a publisher serves (the built assets under
// /hearth/ through web/serve, with its caching headers and precompressed
// siblings), each benchmark catalogue as /hearth/catalogue-<size>.msgpack,
// and the benchmark pages:
//
//	/bench/load/<size>  a page embedding the loader with one <hearth-recs>
//	                    slot, and page/probe.js, which records the timeline
//	/bench/side/<size>  a cross-origin isolated page whose Worker runs the
//	                    engine and jsref/rank.js side by side (page/side-worker.js)
package browserbench

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/hearth-dev/hearth/web/serve"
)

//go:embed page jsref
var files embed.FS

var pages = template.Must(template.ParseFS(files, "page/*.html"))

// Size is one benchmark catalogue size.
type Size struct {
	Label string // "1k", "10k", "100k"
	N     int
}

// Sizes are the catalogue sizes the benchmark measures.
var Sizes = []Size{{"1k", 1_000}, {"10k", 10_000}, {"100k", 100_000}}

// CataloguePath is the URL path of the benchmark catalogue of a size.
func CataloguePath(label string) string { return "/hearth/catalogue-" + label + ".msgpack" }

// WriteCatalogue writes the catalogue of a size into the assets folder
// beside the built files, with the .br and .gz siblings the server sends.
func WriteCatalogue(assetsDir, label string, b []byte) error {
	return WriteFile(filepath.Join(assetsDir, strings.TrimPrefix(CataloguePath(label), "/hearth/")), b)
}

// WriteFile writes b to name with the .br and .gz siblings the server
// sends, compressed at moderate levels (brotli 5, gzip 6) to keep a 50 MB
// catalogue's build short; the browser's decompression costs about the
// same at every level.
func WriteFile(name string, b []byte) error {
	var br, gz bytes.Buffer
	bw := brotli.NewWriterLevel(&br, 5)
	gw, err := gzip.NewWriterLevel(&gz, 6)
	if err != nil {
		return err
	}
	for _, w := range []interface {
		Write([]byte) (int, error)
		Close() error
	}{bw, gw} {
		if _, err := w.Write(b); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	for suffix, data := range map[string][]byte{"": b, ".br": br.Bytes(), ".gz": gz.Bytes()} {
		if err := os.WriteFile(name+suffix, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Site is the benchmark's web site. It counts requests per path, so a
// benchmark can tell what a page load fetched from the network and what
// came from the browser's cache.
type Site struct {
	assets http.Handler
	js     http.Handler
	b      http.Handler // another build's files, under /hearth-b/, or nil
	bCat   string       // what the other build's pages add to catalogue names

	mu       sync.Mutex
	requests map[string]int
}

// NewSite serves the assets folder (what assets.Build wrote, …/hearth) and
// the loader's sources in jsDir (for js/protocol.js, which the
// side-by-side Worker imports).
func NewSite(assetsDir, jsDir string) *Site {
	return &Site{
		assets:   serve.New(os.DirFS(assetsDir), serve.Options{}),
		js:       http.FileServerFS(os.DirFS(jsDir)),
		requests: map[string]int{},
	}
}

// ServeB serves another build of Hearth's files (an assets folder) under
// /hearth-b/, which load pages use with ?b=1; those pages name the
// catalogue of their size with suffix added (CataloguePath(size+suffix)).
func (s *Site) ServeB(assetsDir, suffix string) {
	s.b, s.bCat = serve.New(os.DirFS(assetsDir), serve.Options{}), suffix
}

// Requests returns the number of requests per path since the last call,
// and resets the counts.
func (s *Site) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.requests
	s.requests = map[string]int{}
	return r
}

// The page's policy: the strict policy Hearth promises to work under.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'"

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	s.mu.Unlock()
	h := w.Header()
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/hearth/"):
		http.StripPrefix("/hearth", s.assets).ServeHTTP(w, r)
	case strings.HasPrefix(path, "/hearth-b/") && s.b != nil:
		http.StripPrefix("/hearth-b", s.b).ServeHTTP(w, r)
	case strings.HasPrefix(path, "/bench/load/"):
		h.Set("Content-Security-Policy", csp)
		h.Set("Cache-Control", "no-store")
		label, loader, cat := strings.TrimPrefix(path, "/bench/load/"), "/hearth/hearth.js", ""
		if r.URL.Query().Get("b") == "1" {
			loader, cat = "/hearth-b/hearth.js", s.bCat
		}
		s.page(w, "load.html", label, loader, CataloguePath(label+cat))
	case strings.HasPrefix(path, "/bench/side/"):
		isolate(h)
		h.Set("Cache-Control", "no-store")
		label := strings.TrimPrefix(path, "/bench/side/")
		s.page(w, "side.html", label, "", CataloguePath(label))
	case strings.HasPrefix(path, "/bench/static/"), strings.HasPrefix(path, "/bench/js/"):
		// The side-by-side Worker's scripts need the same isolation
		// headers as its page.
		isolate(h)
		h.Set("Cache-Control", "no-store")
		if strings.HasPrefix(path, "/bench/js/") {
			http.StripPrefix("/bench/js", s.js).ServeHTTP(w, r)
			return
		}
		sub, _ := fs.Sub(files, ".")
		name := strings.TrimPrefix(path, "/bench/static/")
		if !strings.HasPrefix(name, "jsref/") {
			name = "page/" + name
		}
		http.ServeFileFS(w, r, sub, name)
	default:
		http.NotFound(w, r)
	}
}

// isolate makes a response cross-origin isolated, which gives
// performance.now() its fine resolution (5 µs instead of 100 µs).
func isolate(h http.Header) {
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Embedder-Policy", "require-corp")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

func (s *Site) page(w http.ResponseWriter, file, label, loader, catalogue string) {
	data := struct{ Label, Catalogue, Loader string }{label, catalogue, loader}
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, file, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// PagePath is the URL path of the load page of a size; visit makes each
// navigation's URL distinct (the page itself is never cached, its
// subresources are).
func PagePath(label string, visit int) string {
	return fmt.Sprintf("/bench/load/%s?visit=%d", label, visit)
}
