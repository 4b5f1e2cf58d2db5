package serve_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/web/serve"
)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// indexLine is one line of a sibling index, written out by hand so that the
// test holds the documented format, not only the package's own codec.
func indexLine(sibling, siblingBytes, original string) string {
	return sibling + "\t" + sum(siblingBytes) + "\t" + sum(original) + "\n"
}

// published is a folder as a builder leaves it: a catalogue, its siblings,
// and the index that says which bytes each sibling was compressed from.
func published() fstest.MapFS {
	return fstest.MapFS{
		"catalogue.msgpack":    {Data: []byte("DEMO")},
		"catalogue.msgpack.br": {Data: []byte("BR(DEMO)")},
		"catalogue.msgpack.gz": {Data: []byte("GZ(DEMO)")},
		"hearth.js":            {Data: []byte("loader")},
		"hearth.js.br":         {Data: []byte("BR(loader)")},
		"sub/deep.js":          {Data: []byte("deep")},
		"sub/deep.js.br":       {Data: []byte("BR(deep)")},
		".hearth-siblings": {Data: []byte(
			indexLine("catalogue.msgpack.br", "BR(DEMO)", "DEMO") +
				indexLine("catalogue.msgpack.gz", "GZ(DEMO)", "DEMO") +
				indexLine("hearth.js.br", "BR(loader)", "loader"))},
		"sub/.hearth-siblings": {Data: []byte(indexLine("deep.js.br", "BR(deep)", "deep"))},
	}
}

func TestHandler_StaleSibling(t *testing.T) {
	const browser = "gzip, deflate, br, zstd"
	tests := []struct {
		name         string
		change       func(fstest.MapFS)
		path         string
		wantEncoding string
		wantBody     string
	}{
		{"consistent", nil, "/catalogue.msgpack", "br", "BR(DEMO)"},
		{"nested folder", nil, "/sub/deep.js", "br", "BR(deep)"},
		{"original replaced by a publisher's", func(f fstest.MapFS) {
			f["catalogue.msgpack"] = &fstest.MapFile{Data: []byte("PUBLISHER")}
		}, "/catalogue.msgpack", "", "PUBLISHER"},
		{"br replaced, gzip still matches", func(f fstest.MapFS) {
			f["catalogue.msgpack.br"] = &fstest.MapFile{Data: []byte("BR(OTHER)")}
		}, "/catalogue.msgpack", "gzip", "GZ(DEMO)"},
		{"sibling the index does not list", func(f fstest.MapFS) {
			f["catalogue.msgpack"] = &fstest.MapFile{Data: []byte("PUBLISHER")}
			f[".hearth-siblings"] = &fstest.MapFile{Data: []byte(indexLine("hearth.js.br", "BR(loader)", "loader"))}
		}, "/catalogue.msgpack", "br", "BR(DEMO)"},
		{"other files unaffected", func(f fstest.MapFS) {
			f["catalogue.msgpack"] = &fstest.MapFile{Data: []byte("PUBLISHER")}
		}, "/hearth.js", "br", "BR(loader)"},
		{"corrupt index: no sibling is trusted", func(f fstest.MapFS) {
			f[".hearth-siblings"] = &fstest.MapFile{Data: []byte("not an index\n")}
		}, "/hearth.js", "", "loader"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := published()
			if tt.change != nil {
				tt.change(fsys)
			}
			h := serve.New(fsys, serve.Options{})
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				w := do(h, method, tt.path, map[string]string{"Accept-Encoding": browser})
				require.Equal(t, http.StatusOK, w.Code)
				require.Equal(t, tt.wantEncoding, w.Header().Get("Content-Encoding"), method)
				if method == http.MethodGet {
					require.Equal(t, tt.wantBody, w.Body.String())
				}
			}
		})
	}
}

func TestHandler_StaleSiblingWarnsOnce(t *testing.T) {
	fsys := published()
	fsys["catalogue.msgpack"] = &fstest.MapFile{Data: []byte("PUBLISHER")}
	var (
		mu    sync.Mutex
		warns []error
	)
	h := serve.New(fsys, serve.Options{Warn: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		warns = append(warns, err)
	}})
	for range 5 {
		w := do(h, http.MethodGet, "/catalogue.msgpack", map[string]string{"Accept-Encoding": "br"})
		require.Equal(t, "PUBLISHER", w.Body.String())
	}
	require.Len(t, warns, 1, "one warning per stale sibling, not one per request")
	require.ErrorIs(t, warns[0], serve.ErrStaleSibling)
	require.Contains(t, warns[0].Error(), "catalogue.msgpack.br")

	// The warning names a file, never anything about the request.
	for _, err := range warns {
		require.NotContains(t, err.Error(), "Accept-Encoding")
	}
}

func TestHandler_StaleSiblingRebuilt(t *testing.T) {
	// A handler that has seen a stale sibling serves the new one once the
	// builder has rewritten the sibling and its index line.
	fsys := published()
	fsys["catalogue.msgpack"] = &fstest.MapFile{Data: []byte("PUBLISHER")}
	h := serve.New(fsys, serve.Options{})
	w := do(h, http.MethodGet, "/catalogue.msgpack", map[string]string{"Accept-Encoding": "br"})
	require.Equal(t, "", w.Header().Get("Content-Encoding"))

	fsys["catalogue.msgpack.br"] = &fstest.MapFile{Data: []byte("BR(PUBLISHER)")}
	fsys[".hearth-siblings"] = &fstest.MapFile{Data: []byte(indexLine("catalogue.msgpack.br", "BR(PUBLISHER)", "PUBLISHER"))}
	w = do(h, http.MethodGet, "/catalogue.msgpack", map[string]string{"Accept-Encoding": "br"})
	require.Equal(t, "br", w.Header().Get("Content-Encoding"))
	require.Equal(t, "BR(PUBLISHER)", w.Body.String())
}

func TestMarshalSiblings_RoundTrip(t *testing.T) {
	idx := map[string]serve.Sibling{
		"catalogue.msgpack.br": {SHA256: sum("b"), Original: sum("o")},
		"catalogue.msgpack.gz": {SHA256: "", Original: sum("o")},
	}
	b, err := serve.MarshalSiblings(idx)
	require.NoError(t, err)
	back, err := serve.UnmarshalSiblings(b)
	require.NoError(t, err)
	require.Equal(t, idx, back)

	for _, bad := range []string{"x\ty\n", "a.br\tnothex\t" + sum("o") + "\n", "\t" + sum("b") + "\t" + sum("o") + "\n"} {
		_, err := serve.UnmarshalSiblings([]byte(bad))
		require.ErrorIs(t, err, serve.ErrSiblingIndex, bad)
	}
	_, err = serve.MarshalSiblings(map[string]serve.Sibling{"a\tb": {SHA256: sum("b"), Original: sum("o")}})
	require.ErrorIs(t, err, serve.ErrSiblingIndex)
}
