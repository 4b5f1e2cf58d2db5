package privacy

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/tests/shipped"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/stretchr/testify/require"
)

var (
	chrome *browser.Browser
	// built is the folder the asset pipeline wrote (…/hearth).
	built string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, remove, err := shipped.Build("hearth-privacy-", 1)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer remove()
	built = dir
	// Every tab gets its own proxy (see newTab); this one takes whatever
	// the browser sends outside them, so that nothing reaches the network.
	background, err := NewProxy()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer background.Close()
	return browser.Main(m, &chrome, browser.Options{Proxy: background.URL(), TabTimeout: 3 * time.Minute})
}

// readerOptions make a read count after 0.3 s of dwell instead of 15 s.
var readerOptions = demo.Options{ReadDwell: 300 * time.Millisecond}

// server is one demo site under test.
type server struct {
	URL string
	// reports counts the CSP violation reports the site received.
	reports atomic.Int32
}

// serve serves the demo from the files in dir with opts. Every response
// carries the demo's strict CSP with a report-uri, so that a violation in a
// page or a Worker reaches the server (and the proxy) as a report.
func startSite(t *testing.T, dir string, opts demo.Options) *server {
	t.Helper()
	if opts.Fallback == nil {
		opts.Fallback = demo.NonPersonal(catalogueIn(t, dir), time.Now)
	}
	h, err := demo.NewServer(os.DirFS(dir), opts)
	require.NoError(t, err)
	s := &server{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/csp-report":
			s.reports.Add(1)
			w.WriteHeader(http.StatusNoContent)
			return
		case "/csp-probe":
			// A page that breaks the policy, to show that reports arrive.
			w.Header().Set("Content-Security-Policy", demo.CSP+"; report-uri /csp-report")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(`<!doctype html><title>probe</title><script>window.inline = true</script>`))
			return
		}
		h.ServeHTTP(reportCSP{w}, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// reportCSP adds a report-uri to the Content-Security-Policy of a response.
type reportCSP struct{ http.ResponseWriter }

func (w reportCSP) WriteHeader(code int) {
	if csp := w.Header().Get("Content-Security-Policy"); csp != "" {
		w.Header().Set("Content-Security-Policy", csp+"; report-uri /csp-report")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w reportCSP) Write(b []byte) (int, error) {
	if w.Header().Get("Content-Security-Policy") != "" && !strings.Contains(w.Header().Get("Content-Security-Policy"), "report-uri") {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// variant is the built site with the files in change replaced, added or
// (nil) left out (shipped.Variant).
func variant(t *testing.T, change map[string][]byte) string {
	return shipped.Variant(t, built, change)
}

// builtFile returns one of the built files.
func builtFile(t *testing.T, name string) []byte { return shipped.File(t, built, name) }

func catalogueIn(t *testing.T, dir string) *catalog.Catalogue {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, serve.Catalogue))
	if dir != built && err != nil {
		// A deliberately missing catalogue: the server renders its
		// lists from the real one.
		return catalogueIn(t, built)
	}
	require.NoError(t, err)
	cat, err := catalog.Decode(b)
	if dir != built && err != nil {
		// A deliberately broken one, likewise.
		return catalogueIn(t, built)
	}
	require.NoError(t, err)
	return cat
}

// site is what the audit knows about a demo server.
func site(base string) Site {
	return Site{
		Origin: base,
		Loader: "/hearth/" + serve.Loader,
		Engine: []string{"/hearth/" + serve.Worker, "/hearth/" + serve.WasmExec, "/hearth/" + serve.Wasm, "/hearth/" + serve.Catalogue},
		Page:   []string{"/static/style.css", "/static/demo.js"},
		Icon:   []string{"/favicon.ico"},
	}
}
