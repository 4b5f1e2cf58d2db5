//go:build unix

// Package worker_test runs Hearth's Cloudflare Worker locally under wrangler
// (workerd, the Workers runtime) and checks that it answers exactly like the
// local handler: the same status, bytes and caching and security headers for
// every file, encoding, method and conditional request.
//
// It needs Node.js and the npm packages pinned in tests/package-lock.json
// (`make test-deps` or `cd tests && npm ci`). Without them the tests skip,
// except in CI (CI=true), where they fail.
package worker_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/stretchr/testify/require"

	hearthassets "github.com/hearth-dev/hearth/build/assets"
	"github.com/hearth-dev/hearth/build/worker"
	"github.com/hearth-dev/hearth/tests/httpbody"
	"github.com/hearth-dev/hearth/tests/serve/fixture"
	"github.com/hearth-dev/hearth/tests/statichost"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/hearth-dev/hearth/web/worker/manifest"
)

// Bounds on the slow steps, so a hung tool fails the test instead of
// stalling the run.
const (
	buildTimeout = 6 * time.Minute
	readyTimeout = 90 * time.Second
)

// headers are compared between the Worker and the local handler.
var headers = []string{
	"Content-Type", "Content-Encoding", "Content-Length", "ETag", "Cache-Control", "Vary",
	"Access-Control-Allow-Origin", "X-Content-Type-Options", "Referrer-Policy",
	"Cross-Origin-Resource-Policy", "Allow", "Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers",
}

// site is a built Worker running under wrangler beside the local handler
// serving the same files.
type site struct {
	files []string // names a client may request
	// reencoded are files the handler sends uncompressed and the edge
	// compresses (see TestWorker_EdgeReencoding).
	reencoded []string
	built     *worker.Result
	// What it takes to start another wrangler on the same Worker: its
	// configuration, the repository's wrangler.toml copied beside the
	// build so that its relative paths find it.
	wrangler, config, tmp string
	worker                string // base URL of the Worker
	local                 string // base URL of the local handler
	client                *http.Client
}

func TestWorker_MatchesLocalHandler(t *testing.T) {
	s := start(t)

	// Equal q-values are left out here: see TestWorker_EdgeReencoding.
	encodings := []string{"", "identity", "gzip", "br", "br, gzip", "br;q=0.5, gzip", "gzip;q=0.2, br;q=0.1"}
	for _, name := range s.files {
		for _, ae := range encodings {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				t.Run(fmt.Sprintf("%s %s %q", method, name, ae), func(t *testing.T) {
					h := map[string]string{}
					if ae != "" {
						h["Accept-Encoding"] = ae
					}
					w, l := s.both(t, method, urlPath(name), h)
					require.Equal(t, http.StatusOK, l.status)
					s.requireSame(t, w, l, headers)
				})
			}
		}
	}
}

// TestWorker_EdgeReencoding covers what local wrangler does between the
// Worker and the client, emulating Cloudflare's edge, which compresses
// responses of common text and wasm types into the first of the client's
// most-preferred encodings, gzip or br:
//   - when a client lists several encodings at equal weight, the edge
//     re-encodes the response into the first one listed (gzip for Chrome's
//     "gzip, deflate, br, zstd"), while the handler, free to choose among
//     equals, sends the smaller brotli;
//   - a file the handler sends uncompressed (it has no sibling, or a stale
//     one) is compressed by the edge if its type is one of those.
//
// The content must still be the same file, in an encoding the client
// accepts, with the handler's other headers.
func TestWorker_EdgeReencoding(t *testing.T) {
	s := start(t)
	const browser = "gzip, deflate, br, zstd"
	for _, name := range append(slices.Clone(s.files), s.reencoded...) {
		for _, ae := range []string{browser, "gzip"} {
			t.Run(fmt.Sprintf("%s %q", name, ae), func(t *testing.T) {
				h := map[string]string{"Accept-Encoding": ae}
				w, l := s.both(t, http.MethodGet, urlPath(name), h)
				require.Equal(t, http.StatusOK, w.status)
				require.NotEmpty(t, w.body)
				enc := w.header.Get("Content-Encoding")
				require.Contains(t, []string{l.header.Get("Content-Encoding"), "br", "gzip"}, enc)
				require.Contains(t, ae, enc, "an encoding the client accepts")
				if slices.Contains(s.reencoded, name) {
					require.Empty(t, l.header.Get("Content-Encoding"))
					require.NotEmpty(t, enc, "the edge compresses what the handler sends uncompressed")
				}
				require.Equal(t, httpbody.Decode(t, l.header, l.body), httpbody.Decode(t, w.header, w.body))
				s.requireSameHeaders(t, w, l, []string{"Content-Type", "Cache-Control", "Vary", "Access-Control-Allow-Origin",
					"X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Resource-Policy"}, "Content-Encoding")
			})
		}
	}
}

func TestWorker_NotModified(t *testing.T) {
	s := start(t)
	for _, name := range s.files {
		for _, ae := range []string{"identity", "gzip", "br"} {
			t.Run(name+" "+ae, func(t *testing.T) {
				_, l := s.both(t, http.MethodGet, urlPath(name), map[string]string{"Accept-Encoding": ae})
				etag := l.header.Get("ETag")
				require.NotEmpty(t, etag)
				w, l := s.both(t, http.MethodGet, urlPath(name), map[string]string{"Accept-Encoding": ae, "If-None-Match": etag})
				require.Equal(t, http.StatusNotModified, l.status)
				// A 304 has no Content-Type; the local runtime's emulation of
				// Cloudflare's compression then labels it with the client's
				// encoding, so only the validators and caching headers count.
				s.requireSame(t, w, l, []string{"ETag", "Cache-Control", "Vary", "Access-Control-Allow-Origin",
					"X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Resource-Policy"}, "Content-Encoding")
				require.Empty(t, w.body)
			})
		}
	}
}

func TestWorker_Errors(t *testing.T) {
	s := start(t)
	tests := []struct {
		name, method, path string
		header             map[string]string
		want               int
	}{
		{"POST", http.MethodPost, "/hearth/catalogue.msgpack", nil, http.StatusMethodNotAllowed},
		{"PUT", http.MethodPut, "/hearth/hearth.js", nil, http.StatusMethodNotAllowed},
		{"DELETE", http.MethodDelete, "/hearth/hearth.wasm", nil, http.StatusMethodNotAllowed},
		{"PATCH", http.MethodPatch, "/hearth/catalogue.msgpack", nil, http.StatusMethodNotAllowed},
		{"preflight", http.MethodOptions, "/hearth/catalogue.msgpack", map[string]string{
			"Origin": "https://publisher.example", "Access-Control-Request-Method": "GET",
		}, http.StatusNoContent},
		{"missing", http.MethodGet, "/hearth/missing.js", nil, http.StatusNotFound},
		{"root", http.MethodGet, "/", nil, http.StatusNotFound},
		{"directory", http.MethodGet, "/hearth/", nil, http.StatusNotFound},
		{"asset manifest", http.MethodGet, "/" + manifest.Name, nil, http.StatusNotFound},
		{"sibling index", http.MethodGet, "/hearth/" + serve.SiblingIndex, nil, http.StatusNotFound},
		{"traversal to a hidden file", http.MethodGet, "/x/../" + manifest.Name, nil, http.StatusNotFound},
		{"sibling", http.MethodGet, "/hearth/hearth.wasm.br", nil, http.StatusNotFound},
		{"HEAD missing", http.MethodHead, "/hearth/missing.js", nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, l := s.both(t, tt.method, tt.path, tt.header)
			require.Equal(t, tt.want, l.status)
			s.requireSame(t, w, l, headers)
		})
	}
}

// TestWorker_DotSegments covers the one path difference: the Workers
// runtime parses the request URL, resolving "." and ".." segments, before
// the handler sees it, so the Worker serves the file such a path resolves
// to where the local handler answers 404 (it accepts only clean paths, which
// are all a Hearth page ever requests). "//" is left alone, so still 404.
func TestWorker_DotSegments(t *testing.T) {
	s := start(t)
	for _, p := range []string{"/x/../hearth/hearth.js", "/hearth/./hearth.js"} {
		t.Run(p, func(t *testing.T) {
			w, l := s.both(t, http.MethodGet, p, nil)
			require.Equal(t, http.StatusNotFound, l.status)
			require.Equal(t, http.StatusOK, w.status)
			clean := s.do(t, s.local, http.MethodGet, "/hearth/hearth.js", nil)
			s.requireSame(t, w, clean, headers)
		})
	}
	w, l := s.both(t, http.MethodGet, "/hearth//hearth.js", nil)
	require.Equal(t, http.StatusNotFound, l.status)
	s.requireSame(t, w, l, headers)
}

// TestWorker_Size checks that the deployable Worker fits Cloudflare's free
// plan, and that Build measures it as wrangler does: wrangler's own count
// (`deploy --dry-run`, offline) of the same build is within 1%.
func TestWorker_Size(t *testing.T) {
	s := start(t)
	b := s.built.Bundle
	t.Logf("Worker: app.wasm %d raw; upload %d raw, %d gzip (free plan limit %d); static assets: %d files, %d bytes, largest %s (%d)",
		s.built.Wasm.Raw, b.Raw, b.Gzip, worker.FreeLimit, s.built.Assets.Files, s.built.Assets.Bytes,
		s.built.Assets.Largest, s.built.Assets.LargestSize)
	require.NoError(t, s.built.FreePlan())
	require.Equal(t, len(s.built.Files), s.built.Assets.Files)

	dir, err := os.MkdirTemp(s.tmp, "dry-run-")
	require.NoError(t, err)
	cmd := exec.Command("node", s.wrangler, "deploy", "--dry-run", "--outdir", filepath.Join(dir, "out"), "-c", s.config)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "XDG_CONFIG_HOME="+filepath.Join(s.tmp, "xdg"), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	m := regexp.MustCompile(`Total Upload: ([0-9.]+) KiB / gzip: ([0-9.]+) KiB`).FindSubmatch(out)
	require.NotNil(t, m, "wrangler printed no upload size:\n%s", out)
	kib, err := strconv.ParseFloat(string(m[2]), 64)
	require.NoError(t, err)
	counted := int64(kib * 1024)
	t.Logf("wrangler counts %d bytes gzip", counted)
	require.InEpsilon(t, counted, b.Gzip, 0.01)
	require.Less(t, counted, int64(worker.FreeLimit))
}

// writeExtra writes what neither the asset pipeline nor the fixture has: a
// precompressed sibling that is stale by its folder's sibling index (the
// Worker must refuse it as the local handler does), a name that needs
// escaping in a URL, and a text file without siblings. It returns the names
// a client may request: those answered exactly as the local handler does,
// and those the edge re-encodes.
func writeExtra(dir string) (exact, reencoded []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	cat := bytes.Repeat([]byte("a new catalogue\n"), 400)
	old := bytes.Repeat([]byte("the catalogue it replaced\n"), 400)
	var br, gz bytes.Buffer
	bw := brotli.NewWriter(&br)
	zw := gzip.NewWriter(&gz)
	for _, c := range []struct {
		w io.WriteCloser
		b []byte
	}{{bw, old}, {zw, cat}} {
		if _, err := c.w.Write(c.b); err != nil {
			return nil, nil, err
		}
		if err := c.w.Close(); err != nil {
			return nil, nil, err
		}
	}
	index, err := serve.MarshalSiblings(map[string]serve.Sibling{
		"catalogue.msgpack.br": {SHA256: sum(br.Bytes()), Original: sum(old)},
		"catalogue.msgpack.gz": {SHA256: sum(gz.Bytes()), Original: sum(cat)},
	})
	if err != nil {
		return nil, nil, err
	}
	// Types the edge leaves alone (application/vnd.msgpack), except the
	// text file, which it compresses.
	const odd, text = "odd name+%.msgpack", "notes.txt"
	for name, b := range map[string][]byte{
		"catalogue.msgpack":    cat,
		"catalogue.msgpack.br": br.Bytes(),
		"catalogue.msgpack.gz": gz.Bytes(),
		serve.SiblingIndex:     index,
		odd:                    []byte("a name with a space, a plus and a percent sign\n"),
		text:                   bytes.Repeat([]byte("plain text, no siblings\n"), 50),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return nil, nil, err
		}
	}
	return []string{"extra/catalogue.msgpack", "extra/" + odd}, []string{"extra/" + text}, nil
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// urlPath is the escaped URL path of a served file's name.
func urlPath(name string) string {
	return (&url.URL{Path: "/" + name}).EscapedPath()
}

// runtimeHeaders are set by the HTTP servers, not by the handler.
var runtimeHeaders = []string{"Date"}

// response is what a client received.
type response struct {
	status int
	header http.Header
	body   []byte
}

// both sends the same request to the Worker and to the local handler.
func (s *site) both(t *testing.T, method, path string, header map[string]string) (worker, local response) {
	t.Helper()
	return s.do(t, s.worker, method, path, header), s.do(t, s.local, method, path, header)
}

func (s *site) do(t *testing.T, base, method, path string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := s.client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// requireSame checks status, body and the named headers, and that neither
// side sets a cookie or allows credentials.
func (s *site) requireSame(t *testing.T, worker, local response, names []string, extra ...string) {
	t.Helper()
	require.True(t, bytes.Equal(local.body, worker.body), "body: local %d bytes, Worker %d bytes", len(local.body), len(worker.body))
	s.requireSameHeaders(t, worker, local, names, extra...)
}

// requireSameHeaders is requireSame without the body; the Worker may also
// send the headers named in extra.
func (s *site) requireSameHeaders(t *testing.T, worker, local response, names []string, extra ...string) {
	t.Helper()
	require.Equal(t, local.status, worker.status, "status")
	for _, name := range names {
		require.Equal(t, local.header.Values(name), worker.header.Values(name), name)
	}
	// Nothing else reaches the client: no header of the Worker's own (the
	// Hearth-Asset reference to its static asset included) and none of
	// the static-asset server's (its ETag, CF-Cache-Status).
	for name := range worker.header {
		if !slices.Contains(runtimeHeaders, name) && !slices.Contains(extra, name) {
			require.Contains(t, local.header, name, "a header the local handler does not send")
		}
	}
	for _, r := range []response{worker, local} {
		require.Empty(t, r.header.Values("Set-Cookie"))
		require.Empty(t, r.header.Values("Access-Control-Allow-Credentials"))
	}
}

// sites caches one running Worker per test binary: building and starting it
// takes most of the time, and every test reads the same files.
var sites struct {
	sync.Mutex
	s   *site
	err error
}

// start returns the running site, building and starting it on first use.
func start(t testing.TB) *site {
	t.Helper()
	wrangler := requireTools(t)
	sites.Lock()
	defer sites.Unlock()
	if sites.s == nil && sites.err == nil {
		sites.s, sites.err = launch(wrangler)
	}
	require.NoError(t, sites.err)
	return sites.s
}

// stop ends the Worker started by launch; set by launch.
var stop = func() {}

func TestMain(m *testing.M) {
	code := m.Run()
	stop()
	os.Exit(code)
}

// requireTools returns the path of wrangler's entry script, skipping the
// test when Node.js or the npm packages are missing outside CI.
func requireTools(t testing.TB) string {
	t.Helper()
	root, err := shareddata.ModuleRoot(".")
	require.NoError(t, err)
	wrangler := filepath.Join(root, "tests", "node_modules", "wrangler", "bin", "wrangler.js")
	_, statErr := os.Stat(wrangler)
	_, nodeErr := exec.LookPath("node")
	if statErr == nil && nodeErr == nil {
		return wrangler
	}
	msg := "the Worker tests need Node.js and wrangler: run `make test-deps` (npm ci in tests/)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// launch writes the fixture files, builds the Worker over them, starts it
// under wrangler and the local handler over the same directory.
func launch(wrangler string) (*site, error) {
	root, err := shareddata.ModuleRoot(".")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "hearth-worker-test-")
	if err != nil {
		return nil, err
	}
	cleanups := []func(){func() { os.RemoveAll(tmp) }}
	stop = func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}

	// The real assets (engine, scripts, demo catalogue) under /hearth/, as
	// sites serve them, and the fixture under /fixture/ for what the real
	// names lack: content-hashed names and a second catalogue.
	assets := filepath.Join(tmp, "site")
	var buildLog bytes.Buffer
	report, err := hearthassets.Build(assets, hearthassets.Options{Root: root, Log: func(step string) {
		fmt.Fprintln(&buildLog, "assets:", step)
	}})
	if err != nil {
		return nil, fmt.Errorf("build assets: %w\n%s", err, buildLog.String())
	}
	var files []string
	for _, f := range report.Files {
		files = append(files, serve.Dir+"/"+f.Name)
	}
	fixed, err := fixture.Write(filepath.Join(assets, "fixture"))
	if err != nil {
		return nil, err
	}
	for _, name := range fixed {
		files = append(files, "fixture/"+name)
	}
	extra, reencoded, err := writeExtra(filepath.Join(assets, "extra"))
	if err != nil {
		return nil, err
	}
	files = append(files, extra...)

	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	// The repository's layout in miniature: wrangler.toml's paths
	// (../web/worker/build/...) are relative to it, so the configuration
	// is tested as it is, without flags overriding its main or assets.
	out := filepath.Join(tmp, "web", "worker", "build")
	built, err := worker.Build(ctx, worker.Options{Assets: assets, Out: out, Root: root, Stderr: &buildLog})
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, buildLog.String())
	}
	config := filepath.Join(tmp, "build", "wrangler.toml")
	if err := os.MkdirAll(filepath.Dir(config), 0o755); err != nil {
		return nil, err
	}
	toml, err := os.ReadFile(filepath.Join(root, "build", "wrangler.toml"))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(config, toml, 0o644); err != nil {
		return nil, err
	}

	w, err := runWrangler(wrangler, config, tmp, "/")
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, w.Stop)

	local := httptest.NewServer(serve.New(os.DirFS(assets), serve.Options{}))
	cleanups = append(cleanups, local.Close)
	return &site{
		files:     files,
		reencoded: reencoded,
		built:     built,
		wrangler:  wrangler,
		config:    config,
		tmp:       tmp,
		worker:    w.url,
		local:     local.URL,
		// Compression is left to the test: the transport would otherwise
		// ask for gzip and decode it, hiding what the server sent.
		client: &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second},
	}, nil
}

// wranglerDev is a running `wrangler dev`.
type wranglerDev struct {
	url string
	// ready is how long wrangler took from start to its first answer, and
	// first how long that answer took: the Worker's cold start.
	ready, first time.Duration
	*statichost.Process
}

// runWrangler starts `wrangler dev` on a free loopback port in its own
// process group, so that Stop ends workerd too, and waits until it answers
// a GET of readyPath.
func runWrangler(wrangler, config, tmp, readyPath string) (*wranglerDev, error) {
	port, err := statichost.FreePort()
	if err != nil {
		return nil, err
	}
	inspector, err := statichost.FreePort()
	if err != nil {
		return nil, err
	}
	// Offline: no metrics, no user config, and the Request.cf object wrangler
	// would otherwise download, in a scratch directory that also receives
	// its .wrangler/ folder.
	dir, err := os.MkdirTemp(tmp, "wrangler-")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "node_modules", ".mf"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "node_modules", ".mf", "cf.json"), []byte(`{"colo":"LOCAL","country":"XX"}`), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("node", wrangler, "dev",
		"-c", config,
		"--ip", "127.0.0.1", "--port", strconv.Itoa(port), "--inspector-port", strconv.Itoa(inspector),
		"--show-interactive-dev-session=false", "--log-level", "warn")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"WRANGLER_SEND_METRICS=false",
		"XDG_CONFIG_HOME="+filepath.Join(tmp, "xdg"),
		"NO_COLOR=1",
	)
	proc, err := statichost.Start(cmd)
	if err != nil {
		return nil, err
	}
	w := &wranglerDev{url: "http://127.0.0.1:" + strconv.Itoa(port), Process: proc}
	if err := w.waitReady(readyPath); err != nil {
		w.Stop()
		return nil, fmt.Errorf("%w\nwrangler output:\n%s", err, w.Output())
	}
	return w, nil
}

// waitReady polls until the Worker answers a GET of path, and records how
// long that took.
func (w *wranglerDev) waitReady(path string) error {
	start := time.Now()
	deadline := start.Add(readyTimeout)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	for time.Now().Before(deadline) {
		select {
		case <-w.Done():
			return fmt.Errorf("wrangler exited before it was ready")
		default:
		}
		req, err := http.NewRequest(http.MethodGet, w.url+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept-Encoding", "br")
		t0 := time.Now()
		if res, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			w.first = time.Since(t0)
			w.ready = time.Since(start)
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("wrangler not ready after %s", readyTimeout)
}
