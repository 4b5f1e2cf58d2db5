package precompress

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/web/serve"
)

func decode(t *testing.T, coding string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		require.NoError(t, err)
		r = zr
	}
	raw, err := io.ReadAll(r)
	require.NoError(t, err)
	return raw
}

func index(t *testing.T, dir string) map[string]serve.Sibling {
	t.Helper()
	idx, err := readIndex(dir)
	require.NoError(t, err)
	return idx
}

// get returns the body and Content-Encoding web/serve sends a browser.
func get(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/"+name, nil)
	r.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	w := httptest.NewRecorder()
	serve.New(os.DirFS(dir), serve.Options{}).ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code)
	enc := w.Header().Get("Content-Encoding")
	if enc == "" {
		return w.Body.String(), ""
	}
	return string(decode(t, enc, w.Body.Bytes())), enc
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	content := []byte(strings.Repeat("hearth catalogue ", 200))
	sibs, err := Write(dir, "catalogue.msgpack", content, 5)
	require.NoError(t, err)
	require.Len(t, sibs, 2)
	idx := index(t, dir)
	for _, s := range sibs {
		b, err := os.ReadFile(filepath.Join(dir, s.Name))
		require.NoError(t, err)
		require.Equal(t, content, decode(t, s.Encoding, b), s.Name)
		require.Equal(t, SHA256(b), s.SHA256)
		require.Equal(t, len(b), s.Bytes)
		require.Equal(t, serve.Sibling{SHA256: s.SHA256, Original: SHA256(content)}, idx[s.Name])
	}
	body, enc := get(t, dir, "catalogue.msgpack")
	require.Equal(t, "br", enc)
	require.Equal(t, string(content), body)

	t.Run("replaced", func(t *testing.T) {
		next := []byte(strings.Repeat("a publisher's catalogue ", 100))
		_, err := Write(dir, "catalogue.msgpack", next, 5)
		require.NoError(t, err)
		body, enc := get(t, dir, "catalogue.msgpack")
		require.Equal(t, "br", enc)
		require.Equal(t, string(next), body)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		require.Len(t, entries, 4, "original, two siblings and the index; no temporary file")
	})
	t.Run("other files keep their lines", func(t *testing.T) {
		_, err := Write(dir, "hearth.js", []byte("export {}"), 5)
		require.NoError(t, err)
		idx := index(t, dir)
		require.Contains(t, idx, "catalogue.msgpack.br")
		require.Contains(t, idx, "hearth.js.gz")
	})
	t.Run("not a file name", func(t *testing.T) {
		_, err := Write(dir, "sub/x", nil, 5)
		require.Error(t, err)
	})
}

// TestWrite_SiblingFails: a sibling that cannot be replaced is removed, or
// if it cannot be removed either, marked in the index so it is never sent.
func TestWrite_SiblingFails(t *testing.T) {
	dir := t.TempDir()
	_, err := Write(dir, "catalogue.msgpack", []byte("DEMO DEMO DEMO"), 5)
	require.NoError(t, err)

	// A rename cannot replace a directory: an empty one stands in for a
	// sibling that cannot be replaced but can be removed ...
	require.NoError(t, os.Remove(filepath.Join(dir, "catalogue.msgpack.br")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "catalogue.msgpack.br"), 0o755))
	// ... and a full one for one that cannot be removed either.
	require.NoError(t, os.Remove(filepath.Join(dir, "catalogue.msgpack.gz")))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "catalogue.msgpack.gz", "x"), 0o755))

	sibs, err := Write(dir, "catalogue.msgpack", []byte("PUBLISHER"), 5)
	require.Error(t, err)
	require.Contains(t, err.Error(), "catalogue.msgpack.br")
	require.Empty(t, sibs)
	require.NoDirExists(t, filepath.Join(dir, "catalogue.msgpack.br"), "removed")
	b, err := os.ReadFile(filepath.Join(dir, "catalogue.msgpack"))
	require.NoError(t, err)
	require.Equal(t, "PUBLISHER", string(b), "the original is written")
	idx := index(t, dir)
	require.NotContains(t, idx, "catalogue.msgpack.br")
	require.Equal(t, serve.Sibling{Original: SHA256([]byte("PUBLISHER"))}, idx["catalogue.msgpack.gz"], "marked: never sent")
}

func TestRefresh(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "catalogue.msgpack")
	_, err := Write(dir, "catalogue.msgpack", []byte("DEMO DEMO DEMO"), 5)
	require.NoError(t, err)

	// Consistent: nothing is rewritten.
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(path+".br", old, old))
	sibs, err := Refresh(dir, "catalogue.msgpack", 5)
	require.NoError(t, err)
	require.Len(t, sibs, 2)
	st, err := os.Stat(path + ".br")
	require.NoError(t, err)
	require.True(t, st.ModTime().Equal(old), "an up-to-date sibling is left alone")

	// A catalogue copied into place by hand: served uncompressed until
	// refreshed, then compressed from its bytes.
	require.NoError(t, os.WriteFile(path, []byte("COPIED BY HAND"), 0o644))
	body, enc := get(t, dir, "catalogue.msgpack")
	require.Equal(t, "", enc)
	require.Equal(t, "COPIED BY HAND", body)
	sibs, err = Refresh(dir, "catalogue.msgpack", 5)
	require.NoError(t, err)
	require.Len(t, sibs, 2)
	body, enc = get(t, dir, "catalogue.msgpack")
	require.Equal(t, "br", enc)
	require.Equal(t, "COPIED BY HAND", body)
}

func TestCompress(t *testing.T) {
	in := []byte(strings.Repeat("x", 1000))
	for _, coding := range []string{"br", "gzip"} {
		b, err := Compress(in, coding, 0)
		require.NoError(t, err)
		require.Less(t, len(b), len(in))
		require.Equal(t, in, decode(t, coding, b))
	}
	_, err := Compress(in, "zstd", 0)
	require.Error(t, err)
}

func TestRemove(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"segment.a.msgpack", "segment.b.msgpack"} {
		_, err := Write(dir, name, []byte(strings.Repeat(name, 50)), 1)
		require.NoError(t, err)
	}
	require.NoError(t, Remove(dir, "segment.a.msgpack"))
	for _, f := range []string{"segment.a.msgpack", "segment.a.msgpack.br", "segment.a.msgpack.gz"} {
		require.NoFileExists(t, filepath.Join(dir, f))
	}
	idx := index(t, dir)
	require.NotContains(t, idx, "segment.a.msgpack.br")
	require.NotContains(t, idx, "segment.a.msgpack.gz")
	require.Contains(t, idx, "segment.b.msgpack.br", "the other file's lines stay")
	require.Contains(t, idx, "segment.b.msgpack.gz")
	body, enc := get(t, dir, "segment.b.msgpack")
	require.Equal(t, "br", enc)
	require.Equal(t, strings.Repeat("segment.b.msgpack", 50), body)

	require.NoError(t, Remove(dir, "segment.a.msgpack"), "a file already gone")
	require.Error(t, Remove(dir, "../segment.b.msgpack"))
	require.NoError(t, Remove(dir, "segment.b.msgpack"))
	require.NoFileExists(t, filepath.Join(dir, serve.SiblingIndex), "an empty index is removed")
}
