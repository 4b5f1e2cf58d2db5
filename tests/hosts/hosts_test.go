//go:build unix

// Package hosts_test serves Hearth's built files with real static servers,
// Caddy and nginx, each configured by the example shipped in build/hosts
// (changed only in its address and root), and checks every answer against
// web/serve's answer to the same request: status, type, the encoding chosen,
// caching, CORS and security headers, revalidation, and the bytes once
// decoded. It also serves them with Python's http.server, a plain static
// server that ignores the precompressed siblings, to show what readers
// download there.
//
// tests/statichost starts the servers, from Debian's packages caddy, nginx,
// libnginx-mod-http-brotli-static and python3 (`make test-deps`). Without
// them a test skips, except in CI (CI=true), where it fails.
package hosts_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/build/assets"
	"github.com/hearth-dev/hearth/build/assets/precompress"
	"github.com/hearth-dev/hearth/tests/httpbody"
	"github.com/hearth-dev/hearth/tests/serve/fixture"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/hearth-dev/hearth/tests/statichost"
	"github.com/hearth-dev/hearth/web/serve"
)

// brotliLevel keeps the build quick; the level changes the siblings' sizes,
// not what the servers do with them.
const brotliLevel = 5

// compared are the headers a static host must send as the handler does.
// ETag is not among them: each server computes its own (see
// TestStaticHost_NotModified); neither are Content-Length (Caddy sends
// compressed bodies chunked) and Last-Modified (the handler sends none).
var compared = []string{
	"Content-Type", "Content-Encoding", "Vary", "Cache-Control",
	"Access-Control-Allow-Origin", "X-Content-Type-Options", "Referrer-Policy",
	"Cross-Origin-Resource-Policy",
}

// host is a static server under test: its name and how to start it over a
// root folder (the one holding hearth/), returning its base URL.
type host struct {
	name  string
	start func(t testing.TB, root string) string
}

var hosts = []host{{"caddy", statichost.Caddy}, {"nginx", statichost.Nginx}}

func TestStaticHost_MatchesHandler(t *testing.T) {
	s := built(t)
	encodings := []string{"", "identity", "gzip", "br", "br, gzip", "gzip, deflate, br, zstd"}
	for _, h := range hosts {
		t.Run(h.name, func(t *testing.T) {
			base := h.start(t, s.root)
			for _, file := range s.files {
				for _, ae := range encodings {
					t.Run(fmt.Sprintf("%s %q", file, ae), func(t *testing.T) {
						got := get(t, http.MethodGet, base+file, acceptEncoding(ae))
						want := get(t, http.MethodGet, s.handler+file, acceptEncoding(ae))
						require.Equal(t, http.StatusOK, want.status)
						requireSame(t, want, got)
						require.True(t, bytes.Equal(s.raw[file], httpbody.Decode(t, got.header, got.body)), "decoded body differs from %s", file)
						require.NotEmpty(t, got.header.Get("ETag"))
					})
				}
			}
		})
	}
}

func TestStaticHost_NotModified(t *testing.T) {
	s := built(t)
	for _, h := range hosts {
		t.Run(h.name, func(t *testing.T) {
			base := h.start(t, s.root)
			for _, file := range s.files {
				t.Run(file, func(t *testing.T) {
					tags := map[string]string{}
					for _, ae := range []string{"identity", "gzip", "br"} {
						first := get(t, http.MethodGet, base+file, acceptEncoding(ae))
						etag := first.header.Get("ETag")
						require.NotEmpty(t, etag)
						require.False(t, strings.HasPrefix(etag, "W/"), "a precompressed file deserves a strong tag: %s", etag)
						tags[first.header.Get("Content-Encoding")] = etag

						h := map[string]string{"Accept-Encoding": ae, "If-None-Match": etag}
						got := get(t, http.MethodGet, base+file, h)
						require.Equal(t, http.StatusNotModified, got.status, ae)
						require.Empty(t, got.body)
						require.Equal(t, etag, got.header.Get("ETag"))
						want := get(t, http.MethodGet, s.handler+file, acceptEncoding(ae))
						for _, name := range []string{"Vary", "Cache-Control", "Access-Control-Allow-Origin"} {
							require.Equal(t, want.header.Values(name), got.header.Values(name), name)
						}
					}
					// Each representation has its own tag, so a cache never
					// takes brotli bytes for identity ones on revalidation.
					distinct := map[string]bool{}
					for _, tag := range tags {
						distinct[tag] = true
					}
					require.Len(t, distinct, len(tags), "tags by encoding: %v", tags)
				})
			}
		})
	}
}

// TestStaticHost_QValues covers Accept-Encoding values whose q-values rank
// the encodings. Browsers send none of these (they list br and gzip
// unweighted), so the hosts' differences from the handler, listed here and
// in docs/serving.md, never change what a browser receives; every answer is
// still an encoding the client accepts, and the same file once decoded.
func TestStaticHost_QValues(t *testing.T) {
	s := built(t)
	tests := []struct {
		ae string
		// want is the encoding chosen by the handler and by each host.
		want map[string]string
	}{
		{"br;q=0", map[string]string{"handler": "", "caddy": "", "nginx": ""}},
		{"br;q=0, gzip", map[string]string{"handler": "gzip", "caddy": "gzip", "nginx": "gzip"}},
		{"gzip;q=0, br;q=0", map[string]string{"handler": "", "caddy": "", "nginx": ""}},
		{"gzip;q=0.8, br;q=0.9", map[string]string{"handler": "br", "caddy": "br", "nginx": "br"}},
		{"br;q=0.5, gzip", map[string]string{"handler": "gzip", "caddy": "gzip", "nginx": "br"}},
		{"identity, br;q=0.5", map[string]string{"handler": "", "caddy": "br", "nginx": "br"}},
		{"*", map[string]string{"handler": "br", "caddy": "", "nginx": ""}},
	}
	const file = "/" + serve.Dir + "/" + serve.Loader
	for _, tt := range tests {
		want := get(t, http.MethodGet, s.handler+file, acceptEncoding(tt.ae))
		require.Equal(t, tt.want["handler"], want.header.Get("Content-Encoding"), "handler, %q", tt.ae)
	}
	for _, h := range hosts {
		t.Run(h.name, func(t *testing.T) {
			base := h.start(t, s.root)
			for _, tt := range tests {
				t.Run(tt.ae, func(t *testing.T) {
					got := get(t, http.MethodGet, base+file, acceptEncoding(tt.ae))
					require.Equal(t, http.StatusOK, got.status)
					require.Equal(t, tt.want[h.name], got.header.Get("Content-Encoding"))
					require.True(t, bytes.Equal(s.raw[file], httpbody.Decode(t, got.header, got.body)))
				})
			}
		})
	}
}

// TestStaticHost_ThroughProxy sends the request a CDN forwards, with a Via
// header: nginx's gzip_static declines those unless gzip_proxied allows them.
func TestStaticHost_ThroughProxy(t *testing.T) {
	s := built(t)
	file := "/" + serve.Dir + "/" + serve.Wasm
	for _, h := range hosts {
		t.Run(h.name, func(t *testing.T) {
			base := h.start(t, s.root)
			for _, ae := range []string{"gzip", "br"} {
				got := get(t, http.MethodGet, base+file, map[string]string{"Accept-Encoding": ae, "Via": "1.1 cdn.example"})
				require.Equal(t, ae, got.header.Get("Content-Encoding"))
				require.True(t, bytes.Equal(s.raw[file], httpbody.Decode(t, got.header, got.body)))
			}
		})
	}
}

func TestStaticHost_Errors(t *testing.T) {
	s := built(t)
	dir := "/" + serve.Dir + "/"
	tests := []struct {
		name, method, path string
		want               int
		// host is the hosts' status where it differs from the handler's.
		host int
	}{
		{"missing", http.MethodGet, dir + "missing.js", http.StatusNotFound, 0},
		{"sibling index", http.MethodGet, dir + serve.SiblingIndex, http.StatusNotFound, 0},
		{"sibling by name", http.MethodGet, dir + serve.Wasm + ".br", http.StatusNotFound, 0},
		{"folder", http.MethodGet, dir, http.StatusNotFound, 0},
		{"POST", http.MethodPost, dir + serve.Catalogue, http.StatusMethodNotAllowed, 0},
		{"DELETE", http.MethodDelete, dir + serve.Wasm, http.StatusMethodNotAllowed, 0},
		// The examples answer no CORS preflight, which Hearth's own
		// requests never need (docs/serving.md).
		{"OPTIONS", http.MethodOptions, dir + serve.Catalogue, http.StatusNoContent, http.StatusMethodNotAllowed},
	}
	for _, h := range hosts {
		t.Run(h.name, func(t *testing.T) {
			base := h.start(t, s.root)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					want := get(t, tt.method, s.handler+tt.path, nil)
					require.Equal(t, tt.want, want.status)
					got := get(t, tt.method, base+tt.path, nil)
					if tt.host != 0 {
						require.Equal(t, tt.host, got.status)
						return
					}
					require.Equal(t, want.status, got.status)
					for _, name := range []string{"Cache-Control", "Vary", "Access-Control-Allow-Origin", "X-Content-Type-Options"} {
						require.Equal(t, want.header.Values(name), got.header.Values(name), name)
					}
					require.NotContains(t, string(got.body), "hearth.wasm", "an error must not list the folder")
				})
			}
		})
	}
}

// TestStaticHost_StaleSibling shows the one guarantee of the handler no
// static host gives: when a file is replaced without its siblings, the
// handler sees from the sibling index that hearth.js.br was compressed from
// other bytes and sends the new file, while Caddy and nginx, which do not
// read the index, keep sending the old sibling. docs/serving.md therefore
// says to replace files only through the builders, which rewrite siblings.
func TestStaticHost_StaleSibling(t *testing.T) {
	s := built(t)
	root := t.TempDir()
	dir := filepath.Join(root, serve.Dir)
	require.NoError(t, os.Mkdir(dir, 0o755))
	for _, name := range []string{serve.Loader, serve.Loader + ".br", serve.Loader + ".gz", serve.SiblingIndex} {
		b, err := os.ReadFile(filepath.Join(s.root, serve.Dir, name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	file := "/" + serve.Dir + "/" + serve.Loader
	old := s.raw[file]
	replaced := append(slices.Clone(old), []byte("\n// replaced\n")...)
	require.NoError(t, os.WriteFile(filepath.Join(dir, serve.Loader), replaced, 0o644))

	ref := httptest.NewServer(serve.New(os.DirFS(root), serve.Options{Warn: func(error) {}}))
	t.Cleanup(ref.Close)
	want := get(t, http.MethodGet, ref.URL+file, acceptEncoding("br"))
	require.Empty(t, want.header.Get("Content-Encoding"))
	require.Equal(t, replaced, want.body)

	for _, h := range hosts {
		t.Run(h.name, func(t *testing.T) {
			got := get(t, http.MethodGet, h.start(t, root)+file, acceptEncoding("br"))
			require.Equal(t, "br", got.header.Get("Content-Encoding"))
			require.Equal(t, old, httpbody.Decode(t, got.header, got.body), "the host sends the sibling of the old file")
		})
	}
}

// TestPythonHTTPServer_NoPrecompressed serves the files with
// `python3 -m http.server`: every reader gets the uncompressed files, with no
// caching headers or validators beyond Last-Modified. The engine still gets
// application/wasm, so the browser compiles it while it downloads.
func TestPythonHTTPServer_NoPrecompressed(t *testing.T) {
	s := built(t)
	base := statichost.Python(t, s.root)
	var raw, handlerBytes int
	for _, file := range s.files {
		if s.hashed[file] {
			continue
		}
		t.Run(file, func(t *testing.T) {
			got := get(t, http.MethodGet, base+file, acceptEncoding("br, gzip"))
			require.Equal(t, http.StatusOK, got.status)
			require.Empty(t, got.header.Get("Content-Encoding"), "http.server never sends a sibling")
			require.True(t, bytes.Equal(s.raw[file], got.body))
			for _, name := range []string{"Cache-Control", "ETag", "Vary", "Access-Control-Allow-Origin"} {
				require.Empty(t, got.header.Values(name), name)
			}
			typ := got.header.Get("Content-Type")
			switch filepath.Ext(file) {
			case ".wasm":
				require.Equal(t, "application/wasm", typ)
			case ".js":
				// Python's table says application/javascript, Debian's
				// mime.types text/javascript; browsers run both.
				require.Contains(t, []string{"text/javascript", "application/javascript"}, typ)
			case ".msgpack":
				require.Equal(t, "application/octet-stream", typ)
			}
			raw += len(got.body)
			handlerBytes += len(get(t, http.MethodGet, s.handler+file, acceptEncoding("br, gzip")).body)
		})
	}
	t.Logf("a reader accepting br downloads %d bytes from http.server, %d from the handler (brotli level %d)", raw, handlerBytes, brotliLevel)

	// It also serves what the handler keeps private: the folder's listing,
	// the hidden sibling index, and a sibling by name, labelled with its
	// original's type and no Content-Encoding, so a browser reads brotli
	// bytes as wasm.
	listing := get(t, http.MethodGet, base+"/"+serve.Dir+"/", nil)
	require.Equal(t, http.StatusOK, listing.status)
	require.Contains(t, string(listing.body), serve.Wasm)
	require.Equal(t, http.StatusOK, get(t, http.MethodGet, base+"/"+serve.Dir+"/"+serve.SiblingIndex, nil).status)
	sib := get(t, http.MethodGet, base+"/"+serve.Dir+"/"+serve.Wasm+".br", nil)
	require.Equal(t, http.StatusOK, sib.status)
	require.Equal(t, "application/wasm", sib.header.Get("Content-Type"))
	require.Empty(t, sib.header.Get("Content-Encoding"))
}

// site is the built files, shared by every test of the binary: building the
// engine takes most of the time.
type site struct {
	root    string            // the folder holding hearth/
	files   []string          // URL paths of the files a client may request
	raw     map[string][]byte // each file's bytes by URL path
	hashed  map[string]bool   // the content-hashed copies among files
	handler string            // base URL of web/serve over root
}

var sites struct {
	once sync.Once
	s    *site
	err  error
	// done removes the build and stops the handler; set by build.
	done func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sites.done != nil {
		sites.done()
	}
	os.Exit(code)
}

// built returns the built site, building it on first use.
func built(t *testing.T) *site {
	t.Helper()
	sites.once.Do(func() { sites.s, sites.err = build() })
	require.NoError(t, sites.err)
	return sites.s
}

// build runs the asset pipeline into a temporary folder, adds a
// content-hashed copy of each file (with its siblings, as a publisher who
// hashes names writes them) and starts the handler over it.
func build() (*site, error) {
	root, err := shareddata.ModuleRoot(".")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "hearth-hosts-test-")
	if err != nil {
		return nil, err
	}
	sites.done = func() { os.RemoveAll(tmp) }
	report, err := assets.Build(tmp, assets.Options{Root: root, BrotliLevel: brotliLevel})
	if err != nil {
		return nil, fmt.Errorf("build assets: %w", err)
	}
	s := &site{root: tmp, raw: map[string][]byte{}, hashed: map[string]bool{}}
	for _, f := range report.Files {
		b, err := os.ReadFile(filepath.Join(report.Dir, f.Name))
		if err != nil {
			return nil, err
		}
		hashed := fixture.Hashed(f.Name, b)
		if _, err := precompress.Write(report.Dir, hashed, b, brotliLevel); err != nil {
			return nil, fmt.Errorf("hashed copy of %s: %w", f.Name, err)
		}
		s.hashed["/"+serve.Dir+"/"+hashed] = true
	}

	entries, err := os.ReadDir(report.Dir)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(strings.TrimSuffix(name, ".br"), ".gz")
		if strings.HasPrefix(name, ".") || !e.Type().IsRegular() || (base != name && names[base]) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(report.Dir, name))
		if err != nil {
			return nil, err
		}
		file := "/" + serve.Dir + "/" + name
		s.files = append(s.files, file)
		s.raw[file] = b
	}
	if len(s.files) < 2*len(report.Files) {
		return nil, fmt.Errorf("built %d files, want the %d built and their hashed copies: %v", len(s.files), len(report.Files), s.files)
	}

	ref := httptest.NewServer(serve.New(os.DirFS(tmp), serve.Options{}))
	s.handler = ref.URL
	sites.done = func() {
		ref.Close()
		os.RemoveAll(tmp)
	}
	return s, nil
}

// answer is what a client received.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// client leaves compression to the test: the transport would otherwise ask
// for gzip itself and decode it, hiding what the server sent.
var client = &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}

func get(t *testing.T, method, url string, header map[string]string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return answer{status: res.StatusCode, header: res.Header, body: body}
}

// acceptEncoding is the request header for ae; none when ae is empty.
func acceptEncoding(ae string) map[string]string {
	if ae == "" {
		return nil
	}
	return map[string]string{"Accept-Encoding": ae}
}

// requireSame checks the status and the compared headers, and that the host
// sets no cookie and allows no credentials.
func requireSame(t *testing.T, want, got answer) {
	t.Helper()
	require.Equal(t, want.status, got.status, "status")
	for _, name := range compared {
		require.Equal(t, want.header.Values(name), got.header.Values(name), name)
	}
	require.Empty(t, got.header.Values("Set-Cookie"))
	require.Empty(t, got.header.Values("Access-Control-Allow-Credentials"))
}
