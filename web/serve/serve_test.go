package serve_test

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/web/serve"
)

// files is a small dist directory: a loader, a hashed worker and wasm with
// precompressed siblings, a catalogue with only a gzip sibling, and things
// that must never be served.
func files() fstest.MapFS {
	return fstest.MapFS{
		"hearth.js":                      {Data: []byte("export const hearth = 1;\n")},
		"hearth.js.br":                   {Data: []byte("BR(hearth.js)")},
		"hearth.js.gz":                   {Data: []byte("GZ(hearth.js)")},
		"hearth-worker.0123abcd.js":      {Data: []byte("self.onmessage = () => {};\n")},
		"hearth.89abcdef01.wasm":         {Data: []byte("\x00asm\x01\x00\x00\x00")},
		"hearth.89abcdef01.wasm.br":      {Data: []byte("BR(wasm)")},
		"hearth.89abcdef01.wasm.gz":      {Data: []byte("GZ(wasm)")},
		"catalogue.msgpack":              {Data: []byte("\x81\xa1v\x01")},
		"catalogue.msgpack.gz":           {Data: []byte("GZ(catalogue)")},
		"manifest.json":                  {Data: []byte(`{"v":1}`)},
		"wasm_exec.js":                   {Data: []byte("globalThis.Go = class {};\n")},
		"notes.xyz":                      {Data: []byte("?")},
		"sub/deep.json":                  {Data: []byte("[]")},
		"only.gz":                        {Data: []byte("a gzip download")},
		".env":                           {Data: []byte("SECRET=1")},
		"sub/.hidden.json":               {Data: []byte("{}")},
		".git/config":                    {Data: []byte("[core]")},
		"hearth.9999.js":                 {Data: []byte("short hex is not a hash")},
		"hearth.0123456789ABCDEF.js":     {Data: []byte("upper-case hex is not a hash")},
		"name.0123abcd":                  {Data: []byte("a hash as extension is not a hash")},
		"catalogue.0123abcd4567.msgpack": {Data: []byte("\x80")},
	}
}

// do runs one request through h and returns the recorded response.
func do(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// requireCommon checks the headers every response must carry.
func requireCommon(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	h := w.Header()
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	require.Equal(t, "no-referrer", h.Get("Referrer-Policy"))
	require.Equal(t, "cross-origin", h.Get("Cross-Origin-Resource-Policy"))
	require.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
	require.Empty(t, h.Values("Access-Control-Allow-Credentials"))
	require.Empty(t, h.Values("Set-Cookie"))
}

func TestHandler_ContentType(t *testing.T) {
	h := serve.New(files(), serve.Options{})
	tests := []struct {
		path, want string
	}{
		{"/hearth.js", "text/javascript; charset=utf-8"},
		{"/hearth-worker.0123abcd.js", "text/javascript; charset=utf-8"},
		{"/wasm_exec.js", "text/javascript; charset=utf-8"},
		{"/hearth.89abcdef01.wasm", "application/wasm"},
		{"/catalogue.msgpack", "application/vnd.msgpack"},
		{"/manifest.json", "application/json"},
		{"/sub/deep.json", "application/json"},
		{"/notes.xyz", "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := do(h, http.MethodGet, tt.path, nil)
			require.Equal(t, http.StatusOK, w.Code)
			require.Equal(t, tt.want, w.Header().Get("Content-Type"))
			requireCommon(t, w)
		})
	}
}

func TestHandler_CacheControl(t *testing.T) {
	const immutable = "public, max-age=31536000, immutable"
	tests := []struct {
		name string
		opts serve.Options
		path string
		want string
	}{
		{"loader", serve.Options{}, "/hearth.js", "public, max-age=300, must-revalidate"},
		{"catalogue", serve.Options{}, "/catalogue.msgpack", "public, max-age=300, must-revalidate"},
		{"hashed worker", serve.Options{}, "/hearth-worker.0123abcd.js", immutable},
		{"hashed wasm", serve.Options{}, "/hearth.89abcdef01.wasm", immutable},
		{"hashed catalogue", serve.Options{}, "/catalogue.0123abcd4567.msgpack", immutable},
		{"short hex", serve.Options{}, "/hearth.9999.js", "public, max-age=300, must-revalidate"},
		{"upper-case hex", serve.Options{}, "/hearth.0123456789ABCDEF.js", "public, max-age=300, must-revalidate"},
		{"hash as extension", serve.Options{}, "/name.0123abcd", "public, max-age=300, must-revalidate"},
		{"custom max-age", serve.Options{MaxAge: time.Minute}, "/hearth.js", "public, max-age=60, must-revalidate"},
		{"custom max-age keeps immutable", serve.Options{MaxAge: time.Minute}, "/hearth.89abcdef01.wasm", immutable},
		{"always revalidate", serve.Options{MaxAge: -1}, "/catalogue.msgpack", "no-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(serve.New(files(), tt.opts), http.MethodGet, tt.path, nil)
			require.Equal(t, http.StatusOK, w.Code)
			require.Equal(t, tt.want, w.Header().Get("Cache-Control"))
		})
	}
}

func TestHandler_ETag(t *testing.T) {
	h := serve.New(files(), serve.Options{})
	first := do(h, http.MethodGet, "/catalogue.msgpack", nil)
	etag := first.Header().Get("ETag")
	require.Regexp(t, `^"[A-Za-z0-9_-]{22}"$`, etag, "a strong, quoted tag")
	require.Equal(t, etag, do(h, http.MethodGet, "/catalogue.msgpack", nil).Header().Get("ETag"), "stable")
	require.NotEqual(t, etag, do(h, http.MethodGet, "/manifest.json", nil).Header().Get("ETag"), "per file")

	tests := []struct {
		name        string
		ifNoneMatch string
		want        int
	}{
		{"same tag", etag, http.StatusNotModified},
		{"weak form of the tag", "W/" + etag, http.StatusNotModified},
		{"in a list", `"other", ` + etag, http.StatusNotModified},
		{"star", "*", http.StatusNotModified},
		{"other tag", `"other"`, http.StatusOK},
		{"unquoted", strings.Trim(etag, `"`), http.StatusOK},
		{"empty", "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, http.MethodGet, "/catalogue.msgpack", map[string]string{"If-None-Match": tt.ifNoneMatch})
			require.Equal(t, tt.want, w.Code)
			require.Equal(t, etag, w.Header().Get("ETag"))
			require.Equal(t, "public, max-age=300, must-revalidate", w.Header().Get("Cache-Control"))
			require.Equal(t, "Accept-Encoding", w.Header().Get("Vary"))
			requireCommon(t, w)
			if tt.want == http.StatusNotModified {
				require.Empty(t, w.Body.Bytes())
				require.Empty(t, w.Header().Get("Content-Length"))
			} else {
				require.Equal(t, files()["catalogue.msgpack"].Data, w.Body.Bytes())
			}
		})
	}
}

func TestHandler_ETagChangesWithFile(t *testing.T) {
	fsys := files()
	h := serve.New(fsys, serve.Options{})
	before := do(h, http.MethodGet, "/manifest.json", nil).Header().Get("ETag")
	fsys["manifest.json"] = &fstest.MapFile{Data: []byte(`{"v":2}`), ModTime: time.Unix(1, 0)}
	w := do(h, http.MethodGet, "/manifest.json", map[string]string{"If-None-Match": before})
	require.Equal(t, http.StatusOK, w.Code, "a rebuilt file must not be answered with 304")
	require.NotEqual(t, before, w.Header().Get("ETag"))
	require.Equal(t, `{"v":2}`, w.Body.String())
}

func TestHandler_PrecomputedETags(t *testing.T) {
	fsys := files()
	tags, err := serve.ComputeETags(fsys)
	require.NoError(t, err)
	require.NotContains(t, tags, ".env")
	require.NotContains(t, tags, ".git/config")
	require.NotContains(t, tags, "sub/.hidden.json")
	require.Contains(t, tags, "hearth.js.br")

	computed := serve.New(fsys, serve.Options{})
	for name, tag := range tags {
		if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
			continue
		}
		require.Equal(t, tag, do(computed, http.MethodGet, "/"+name, nil).Header().Get("ETag"), name)
	}
	w := do(computed, http.MethodGet, "/hearth.js", map[string]string{"Accept-Encoding": "br"})
	require.Equal(t, tags["hearth.js.br"], w.Header().Get("ETag"))

	// A precomputed tag is trusted as given: that is what saves hashing.
	tags["hearth.js"] = `"precomputed"`
	w = do(serve.New(fsys, serve.Options{ETags: tags}), http.MethodGet, "/hearth.js", map[string]string{"If-None-Match": `"precomputed"`})
	require.Equal(t, http.StatusNotModified, w.Code)
}

func TestHandler_AcceptEncoding(t *testing.T) {
	h := serve.New(files(), serve.Options{})
	tests := []struct {
		name           string
		path           string
		acceptEncoding []string
		wantEncoding   string
		wantBody       string
	}{
		{"none", "/hearth.js", nil, "", "export const hearth = 1;\n"},
		{"gzip", "/hearth.js", []string{"gzip"}, "gzip", "GZ(hearth.js)"},
		{"br", "/hearth.js", []string{"br"}, "br", "BR(hearth.js)"},
		{"browser default", "/hearth.js", []string{"gzip, deflate, br, zstd"}, "br", "BR(hearth.js)"},
		{"split values", "/hearth.js", []string{"gzip", " br"}, "br", "BR(hearth.js)"},
		{"q prefers gzip", "/hearth.js", []string{"br;q=0.5, gzip;q=0.9"}, "gzip", "GZ(hearth.js)"},
		{"q with spaces and case", "/hearth.js", []string{"BR ; Q=0.2 , GZIP ; q = 0.3"}, "gzip", "GZ(hearth.js)"},
		{"br refused", "/hearth.js", []string{"br;q=0, gzip"}, "gzip", "GZ(hearth.js)"},
		{"all refused", "/hearth.js", []string{"br;q=0, gzip;q=0"}, "", "export const hearth = 1;\n"},
		{"star", "/hearth.js", []string{"*"}, "br", "BR(hearth.js)"},
		{"star without br", "/hearth.js", []string{"br;q=0, *;q=0.5"}, "gzip", "GZ(hearth.js)"},
		{"identity preferred", "/hearth.js", []string{"gzip;q=0.5, identity"}, "", "export const hearth = 1;\n"},
		{"identity only", "/hearth.js", []string{"identity"}, "", "export const hearth = 1;\n"},
		{"malformed q", "/hearth.js", []string{"br;q=high, gzip"}, "gzip", "GZ(hearth.js)"},
		{"q out of range", "/hearth.js", []string{"br;q=2, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		// A q-value outside RFC 9110's grammar, ( "0" [ "." 0*3DIGIT ] ) /
		// ( "1" [ "." 0*3("0") ] ), counts as 0 even where a float parser
		// reads a number from it.
		{"q NaN alone", "/hearth.js", []string{"br;q=nan"}, "", "export const hearth = 1;\n"},
		{"q NaN, the other refused", "/hearth.js", []string{"gzip;q=0, br;q=nan"}, "", "export const hearth = 1;\n"},
		{"q NaN", "/hearth.js", []string{"br;q=NaN, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q inf", "/hearth.js", []string{"br;q=inf, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q +Inf", "/hearth.js", []string{"br;q=+Inf, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q exponent", "/hearth.js", []string{"br;q=1e3, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q exponent in range", "/hearth.js", []string{"br;q=5e-1, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q hexadecimal", "/hearth.js", []string{"br;q=0x1p-1, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q negative", "/hearth.js", []string{"br;q=-0.5, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q negative zero", "/hearth.js", []string{"br, gzip;q=-0"}, "br", "BR(hearth.js)"},
		{"q plus sign", "/hearth.js", []string{"br;q=+0.5, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q over 1", "/hearth.js", []string{"br;q=1.001, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q four decimals", "/hearth.js", []string{"br;q=0.1234, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q no leading digit", "/hearth.js", []string{"br;q=.5, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q leading zeros", "/hearth.js", []string{"br;q=00.5, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q empty", "/hearth.js", []string{"br;q=, gzip;q=0.1"}, "gzip", "GZ(hearth.js)"},
		{"q quoted", "/hearth.js", []string{`br;q="0.5", gzip;q=0.1`}, "gzip", "GZ(hearth.js)"},
		{"q three decimals", "/hearth.js", []string{"br;q=0.999, gzip;q=0.998"}, "br", "BR(hearth.js)"},
		{"q one with three zeros", "/hearth.js", []string{"br;q=0.9, gzip;q=1.000"}, "gzip", "GZ(hearth.js)"},
		{"q bare dot", "/hearth.js", []string{"br;q=1., gzip;q=0.9"}, "br", "BR(hearth.js)"},
		{"q smallest", "/hearth.js", []string{"br;q=0.001, gzip;q=0"}, "br", "BR(hearth.js)"},
		{"unknown coding", "/hearth.js", []string{"zstd"}, "", "export const hearth = 1;\n"},
		{"no siblings", "/manifest.json", []string{"br, gzip"}, "", `{"v":1}`},
		{"only gzip sibling", "/catalogue.msgpack", []string{"br, gzip"}, "gzip", "GZ(catalogue)"},
		{"only gzip sibling, gzip refused", "/catalogue.msgpack", []string{"br, gzip;q=0"}, "", "\x81\xa1v\x01"},
		{"hashed wasm", "/hearth.89abcdef01.wasm", []string{"gzip, br"}, "br", "BR(wasm)"},
	}
	identityTag := do(h, http.MethodGet, "/hearth.js", nil).Header().Get("ETag")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.path, nil)
			for _, v := range tt.acceptEncoding {
				r.Header.Add("Accept-Encoding", v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			require.Equal(t, http.StatusOK, w.Code)
			require.Equal(t, tt.wantEncoding, w.Header().Get("Content-Encoding"))
			require.Equal(t, tt.wantBody, w.Body.String())
			require.Equal(t, "Accept-Encoding", w.Header().Get("Vary"))
			if tt.path == "/hearth.js" {
				require.Equal(t, "text/javascript; charset=utf-8", w.Header().Get("Content-Type"), "the type of the file, not of the compression")
				if tt.wantEncoding == "" {
					require.Equal(t, identityTag, w.Header().Get("ETag"))
				} else {
					require.NotEqual(t, identityTag, w.Header().Get("ETag"), "each representation has its own strong tag")
				}
			}
		})
	}
}

func TestHandler_Methods(t *testing.T) {
	h := serve.New(files(), serve.Options{})
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodConnect, http.MethodTrace, "PROPFIND"} {
		t.Run(method, func(t *testing.T) {
			w := do(h, method, "/hearth.js", nil)
			require.Equal(t, http.StatusMethodNotAllowed, w.Code)
			require.Equal(t, "GET, HEAD, OPTIONS", w.Header().Get("Allow"))
			require.Empty(t, w.Header().Get("ETag"))
			requireCommon(t, w)
		})
	}
	t.Run("HEAD", func(t *testing.T) {
		get := do(h, http.MethodGet, "/hearth.js", map[string]string{"Accept-Encoding": "gzip"})
		head := do(h, http.MethodHead, "/hearth.js", map[string]string{"Accept-Encoding": "gzip"})
		require.Equal(t, http.StatusOK, head.Code)
		require.Empty(t, head.Body.Bytes())
		require.Equal(t, get.Header(), head.Header())
		require.Equal(t, "13", head.Header().Get("Content-Length"))
	})
	t.Run("OPTIONS preflight", func(t *testing.T) {
		w := do(h, http.MethodOptions, "/catalogue.msgpack", map[string]string{
			"Origin":                         "https://cdn.example",
			"Access-Control-Request-Method":  "GET",
			"Access-Control-Request-Headers": "if-none-match",
		})
		require.Equal(t, http.StatusNoContent, w.Code)
		require.Equal(t, "GET, HEAD", w.Header().Get("Access-Control-Allow-Methods"))
		require.Contains(t, w.Header().Get("Access-Control-Allow-Headers"), "If-None-Match")
		require.Empty(t, w.Body.Bytes())
		requireCommon(t, w)
	})
	t.Run("OPTIONS without preflight", func(t *testing.T) {
		w := do(h, http.MethodOptions, "/catalogue.msgpack", nil)
		require.Equal(t, http.StatusNoContent, w.Code)
		require.Equal(t, "GET, HEAD, OPTIONS", w.Header().Get("Allow"))
		require.Empty(t, w.Header().Get("Access-Control-Allow-Methods"))
	})
}

func TestHandler_Paths(t *testing.T) {
	h := serve.New(files(), serve.Options{})
	tests := []struct {
		name   string
		target string
		want   int
	}{
		{"file", "/hearth.js", http.StatusOK},
		{"nested file", "/sub/deep.json", http.StatusOK},
		{"query ignored", "/hearth.js?v=1", http.StatusOK},
		{"root is not listed", "/", http.StatusNotFound},
		{"directory is not listed", "/sub", http.StatusNotFound},
		{"directory with slash", "/sub/", http.StatusNotFound},
		{"missing", "/missing.js", http.StatusNotFound},
		{"traversal", "/../hearth.js", http.StatusNotFound},
		{"encoded traversal", "/%2e%2e/hearth.js", http.StatusNotFound},
		{"inner traversal", "/sub/../hearth.js", http.StatusNotFound},
		{"dot segment", "/./hearth.js", http.StatusNotFound},
		{"double slash", "//hearth.js", http.StatusNotFound},
		{"trailing slash on file", "/hearth.js/", http.StatusNotFound},
		{"backslash", "/sub%5cdeep.json", http.StatusNotFound},
		{"NUL", "/hearth.js%00", http.StatusNotFound},
		{"dotfile", "/.env", http.StatusNotFound},
		{"dot directory", "/.git/config", http.StatusNotFound},
		{"nested dotfile", "/sub/.hidden.json", http.StatusNotFound},
		{"brotli sibling", "/hearth.js.br", http.StatusNotFound},
		{"gzip sibling", "/catalogue.msgpack.gz", http.StatusNotFound},
		{"gzip file without base", "/only.gz", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, http.MethodGet, tt.target, nil)
			require.Equal(t, tt.want, w.Code)
			requireCommon(t, w)
			if tt.want != http.StatusOK {
				require.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
				require.Empty(t, w.Header().Get("ETag"))
				require.NotContains(t, w.Body.String(), "asm")
			}
		})
	}
}

func TestHandler_StripPrefix(t *testing.T) {
	for _, prefix := range []string{"/hearth", "/hearth/"} {
		t.Run(prefix, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.Handle("/hearth/", http.StripPrefix(prefix, serve.New(files(), serve.Options{})))
			w := do(mux, http.MethodGet, "/hearth/catalogue.msgpack", nil)
			require.Equal(t, http.StatusOK, w.Code)
			require.Equal(t, "application/vnd.msgpack", w.Header().Get("Content-Type"))
			require.Equal(t, http.StatusNotFound, do(mux, http.MethodGet, "/hearth/", nil).Code)
		})
	}
}

// TestHandler_NothingLogged runs requests of every kind, errors included,
// and checks that nothing reaches the standard logger.
func TestHandler_NothingLogged(t *testing.T) {
	var buf bytes.Buffer
	defer log.SetOutput(log.Writer())
	log.SetOutput(&buf)
	h := serve.New(files(), serve.Options{})
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions} {
		for _, target := range []string{"/hearth.js", "/missing", "/../x", "/.env"} {
			do(h, method, target, map[string]string{"Accept-Encoding": "br", "Cookie": "id=reader"})
		}
	}
	require.Empty(t, buf.String())
}

// TestHandler_OverHTTP checks what a client receives through a real server:
// no header added by net/http (sniffed types, cookies) and exact bytes.
func TestHandler_OverHTTP(t *testing.T) {
	srv := httptest.NewServer(serve.New(files(), serve.Options{}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	tests := []struct {
		name, path, acceptEncoding, wantType, wantEncoding, wantBody string
	}{
		{"wasm br", "/hearth.89abcdef01.wasm", "br", "application/wasm", "br", "BR(wasm)"},
		{"catalogue", "/catalogue.msgpack", "", "application/vnd.msgpack", "", "\x81\xa1v\x01"},
		{"unknown type", "/notes.xyz", "", "application/octet-stream", "", "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
			require.NoError(t, err)
			if tt.acceptEncoding != "" {
				req.Header.Set("Accept-Encoding", tt.acceptEncoding)
			}
			res, err := client.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, tt.wantType, res.Header.Get("Content-Type"))
			require.Equal(t, tt.wantEncoding, res.Header.Get("Content-Encoding"))
			require.Equal(t, tt.wantBody, string(body))
			require.Empty(t, res.Header.Values("Set-Cookie"))
			require.Empty(t, res.Cookies())
		})
	}
}

func TestMarshalETags_RoundTrip(t *testing.T) {
	tags, err := serve.ComputeETags(files())
	require.NoError(t, err)
	b, err := serve.MarshalETags(tags)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("catalogue.0123abcd4567.msgpack\t\"")), "sorted by name: %q", b[:40])
	got, err := serve.UnmarshalETags(b)
	require.NoError(t, err)
	require.Equal(t, tags, got)

	empty, err := serve.UnmarshalETags(nil)
	require.NoError(t, err)
	require.Empty(t, empty)
}

func TestMarshalETags_Errors(t *testing.T) {
	_, err := serve.MarshalETags(map[string]string{"a\tb": `"x"`})
	require.ErrorIs(t, err, serve.ErrManifest)
	_, err = serve.MarshalETags(map[string]string{"a": "\"x\n\""})
	require.ErrorIs(t, err, serve.ErrManifest)

	tests := []struct{ name, in string }{
		{"no tab", "hearth.js \"x\"\n"},
		{"unquoted tag", "hearth.js\tx\n"},
		{"half-quoted tag", "hearth.js\t\"x\n"},
		{"lone quote", "hearth.js\t\"\n"},
		{"empty name", "\t\"x\"\n"},
		{"blank line", "a\t\"x\"\n\nb\t\"y\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := serve.UnmarshalETags([]byte(tt.in))
			require.ErrorIs(t, err, serve.ErrManifest)
		})
	}
}
