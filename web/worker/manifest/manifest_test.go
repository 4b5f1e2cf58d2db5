package manifest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/web/serve"
)

// site writes files with precompressed siblings and a sibling index (one
// sibling stale) and returns the folder and the hidden files a Worker
// embeds beside the manifest.
func site(t *testing.T) (string, fs.FS) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, b []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	js := []byte(strings.Repeat("export const hearth = 1;\n", 200))
	cat := []byte(strings.Repeat("\x93catalogue item\x01", 300))
	oldCat := []byte("an older catalogue")
	wasm := []byte(strings.Repeat("\x00asm\x01\x00\x00\x00", 500))
	index := map[string]serve.Sibling{}
	for name, b := range map[string][]byte{"hearth.js": js, "catalogue.msgpack": cat, "hearth.0123abcd.wasm": wasm} {
		write("hearth/"+name, b)
		br, gz := compress(t, b)
		from := b
		if name == "catalogue.msgpack" {
			// Stale: compressed from the catalogue this one replaced.
			br, _ = compress(t, oldCat)
			from = oldCat
		}
		write("hearth/"+name+".br", br)
		write("hearth/"+name+".gz", gz)
		index[name+".br"] = serve.Sibling{SHA256: sum(br), Original: sum(from)}
		index[name+".gz"] = serve.Sibling{SHA256: sum(gz), Original: sum(b)}
	}
	idx, err := serve.MarshalSiblings(index)
	require.NoError(t, err)
	write("hearth/"+serve.SiblingIndex, idx)
	write("hearth/.env", []byte("SECRET=1"))
	write("other/notes.txt", []byte("no siblings, no index\n"))
	write("other/notes.txt.gz", func() []byte { _, gz := compress(t, []byte("no siblings, no index\n")); return gz }())
	hidden := fstest.MapFS{"hearth/" + serve.SiblingIndex: {Data: idx}}
	return dir, hidden
}

func compress(t *testing.T, b []byte) (br, gz []byte) {
	t.Helper()
	var bb, gb bytes.Buffer
	bw := brotli.NewWriterLevel(&bb, brotli.BestCompression)
	_, err := bw.Write(b)
	require.NoError(t, err)
	require.NoError(t, bw.Close())
	zw := gzip.NewWriter(&gb)
	_, err = zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return bb.Bytes(), gb.Bytes()
}

func TestRecord_MatchesHandler(t *testing.T) {
	dir, hidden := site(t)
	local := serve.New(os.DirFS(dir), serve.Options{})
	files, err := Scan(os.DirFS(dir))
	require.NoError(t, err)
	require.NotContains(t, files, "hearth/.env")
	// Only the sibling index is real: the handler must decide without any
	// file's bytes.
	h := serve.New(NewFS(files, hidden), serve.Options{ETags: ETags(files)})

	jsTag := files["hearth/hearth.js.br"].ETag
	tests := []struct {
		name, method, path string
		header             map[string]string
		want               int
		asset              string
	}{
		{"identity", http.MethodGet, "/hearth/hearth.js", nil, 200, "hearth/hearth.js"},
		{"br", http.MethodGet, "/hearth/hearth.js", map[string]string{"Accept-Encoding": "br"}, 200, "hearth/hearth.js.br"},
		{"q-values", http.MethodGet, "/hearth/hearth.js", map[string]string{"Accept-Encoding": "br;q=0.5, gzip"}, 200, "hearth/hearth.js.gz"},
		{"malformed q", http.MethodGet, "/hearth/hearth.js", map[string]string{"Accept-Encoding": "br;q=nan"}, 200, "hearth/hearth.js"},
		{"hashed name", http.MethodGet, "/hearth/hearth.0123abcd.wasm", map[string]string{"Accept-Encoding": "gzip, br"}, 200, "hearth/hearth.0123abcd.wasm.br"},
		{"stale br refused", http.MethodGet, "/hearth/catalogue.msgpack", map[string]string{"Accept-Encoding": "br"}, 200, "hearth/catalogue.msgpack"},
		{"fresh gz of the same file", http.MethodGet, "/hearth/catalogue.msgpack", map[string]string{"Accept-Encoding": "br, gzip"}, 200, "hearth/catalogue.msgpack.gz"},
		{"no index", http.MethodGet, "/other/notes.txt", map[string]string{"Accept-Encoding": "gzip"}, 200, "other/notes.txt.gz"},
		{"HEAD", http.MethodHead, "/hearth/hearth.js", map[string]string{"Accept-Encoding": "br"}, 200, ""},
		{"304", http.MethodGet, "/hearth/hearth.js", map[string]string{"Accept-Encoding": "br", "If-None-Match": "W/" + jsTag}, 304, ""},
		{"preflight", http.MethodOptions, "/hearth/hearth.js", map[string]string{"Access-Control-Request-Method": "GET"}, 204, ""},
		{"POST", http.MethodPost, "/hearth/hearth.js", nil, 405, ""},
		{"missing", http.MethodGet, "/hearth/missing.js", nil, 404, ""},
		{"sibling", http.MethodGet, "/hearth/hearth.js.br", nil, 404, ""},
		{"hidden", http.MethodGet, "/hearth/.env", nil, 404, ""},
		{"manifest", http.MethodGet, "/" + Name, nil, 404, ""},
		{"folder", http.MethodGet, "/hearth", nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			want := httptest.NewRecorder()
			local.ServeHTTP(want, req)
			require.Equal(t, tt.want, want.Code)

			got := Record(h, req)
			require.Equal(t, want.Code, got.Status)
			require.Equal(t, want.Header(), got.Header)
			require.Equal(t, tt.asset, got.Asset)
			body := got.Body
			if got.Asset != "" {
				require.Empty(t, got.Body)
				body, err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(got.Asset)))
				require.NoError(t, err)
			}
			require.Equal(t, want.Body.Bytes(), body)
		})
	}
}

func TestResponse_Write(t *testing.T) {
	res := &Response{Status: 200, Header: http.Header{"Etag": {`"x"`}}, Asset: "hearth/a b%.js"}
	w := httptest.NewRecorder()
	res.Write(w)
	require.Equal(t, "/hearth/a%20b%25.js", w.Header().Get(AssetHeader))
	require.Equal(t, `"x"`, w.Header().Get("ETag"))
	require.Empty(t, w.Body.Bytes())

	res = &Response{Status: 404, Header: http.Header{}, Body: []byte("404 Not Found\n")}
	w = httptest.NewRecorder()
	res.Write(w)
	require.Equal(t, 404, w.Code)
	require.Empty(t, w.Header().Get(AssetHeader))
	require.Equal(t, "404 Not Found\n", w.Body.String())
}

func TestAssetFS_Read(t *testing.T) {
	fsys := NewFS(map[string]File{"a.js": {Size: 3, ETag: `"t"`}}, fstest.MapFS{})
	f, err := fsys.Open("a.js")
	require.NoError(t, err)
	info, err := f.Stat()
	require.NoError(t, err)
	require.Equal(t, int64(3), info.Size())
	require.True(t, info.Mode().IsRegular())
	_, err = io.ReadAll(f)
	require.ErrorIs(t, err, ErrNoBytes)
	_, err = fsys.Open("b.js")
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestUnmarshal(t *testing.T) {
	files := map[string]File{"hearth/hearth.js": {Size: 22719, ETag: `"abc"`}, "x y/é.txt": {Size: 0, ETag: `"d"`}}
	b, err := Marshal(files)
	require.NoError(t, err)
	got, err := Unmarshal(b)
	require.NoError(t, err)
	require.Equal(t, files, got)

	for _, bad := range []string{
		"a.js\t3\n",
		"a.js\t-1\t\"t\"\n",
		"a.js\tx\t\"t\"\n",
		"a.js\t3\tt\n",
		"../a.js\t3\t\"t\"\n",
		"/a.js\t3\t\"t\"\n",
		"a.js\t3\t\"t\"\textra\n",
	} {
		_, err := Unmarshal([]byte(bad))
		require.ErrorIs(t, err, ErrManifest, "%q", bad)
	}
	for _, bad := range []map[string]File{
		{"a\tb": {Size: 1, ETag: `"t"`}},
		{"a.js": {Size: -1, ETag: `"t"`}},
		{"a.js": {Size: 1, ETag: "t"}},
		{"../a": {Size: 1, ETag: `"t"`}},
	} {
		_, err := Marshal(bad)
		require.ErrorIs(t, err, ErrManifest, "%v", bad)
	}
}
