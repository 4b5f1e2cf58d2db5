package pack

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/stretchr/testify/require"
)

func TestEncode(t *testing.T) {
	c, err := Build(pets(), catalog.Policy{}, Options{})
	require.NoError(t, err)
	b, m, err := Encode(c)
	require.NoError(t, err)
	require.Len(t, c.ID, 16)
	require.Equal(t, "catalogue."+c.ID+".msgpack", m.Name)
	require.Equal(t, c.ID, m.Hash)
	sum := sha256.Sum256(b)
	require.Equal(t, hex.EncodeToString(sum[:]), m.SHA256)
	require.Equal(t, len(b), m.Bytes)
	require.Equal(t, 8, m.Items)
	require.Equal(t, "2025-03-01T08:00:00Z", m.Generated)

	back, err := catalog.Decode(b)
	require.NoError(t, err, "the engine accepts what the builder writes")
	require.Equal(t, c.Items[0].ID, back.Items[0].ID)
	require.Equal(t, c.Topics, back.Topics)

	// Re-encoding the decoded catalogue gives the same id: it is a hash of
	// the content, not of the moment.
	_, m2, err := Encode(back)
	require.NoError(t, err)
	require.Equal(t, m, m2)

	t.Run("own id", func(t *testing.T) {
		c, err := Build(pets(), catalog.Policy{}, Options{})
		require.NoError(t, err)
		c.ID = "pets"
		b, own, err := Encode(c)
		require.NoError(t, err)
		require.Equal(t, "pets", c.ID)
		back, err := catalog.Decode(b)
		require.NoError(t, err)
		require.Equal(t, "pets", back.ID)
		sum := sha256.Sum256(b)
		require.Equal(t, hex.EncodeToString(sum[:8]), own.Hash)
		require.NotEqual(t, m.Hash, own.Hash)
	})
}

func TestWrite(t *testing.T) {
	c, err := Build(pets(), catalog.Policy{}, Options{})
	require.NoError(t, err)

	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		m, err := Write(c, dir)
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dir, m.Name))
		require.NoError(t, err)
		require.Len(t, b, m.Bytes)
		var got Manifest
		mb, err := os.ReadFile(filepath.Join(dir, "catalogue.json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(mb, &got))
		require.Equal(t, m, got)
		back, err := Read(filepath.Join(dir, m.Name))
		require.NoError(t, err)
		require.Len(t, back.Items, 8)
	})
	t.Run("fixed name", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "demo.msgpack")
		m, err := Write(c, out)
		require.NoError(t, err)
		require.Equal(t, "demo.msgpack", m.Name)
		require.FileExists(t, out)
		require.FileExists(t, filepath.Join(filepath.Dir(out), "demo.json"))
	})
	t.Run("new directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "public") + "/"
		m, err := Write(c, dir)
		require.NoError(t, err)
		require.FileExists(t, filepath.Join(dir, m.Name))
	})
	t.Run("corrupt previous", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "bad.msgpack")
		require.NoError(t, os.WriteFile(p, []byte{0x81, 0xa1}, 0o644))
		_, err := Read(p)
		require.ErrorIs(t, err, catalog.ErrCorrupt)
	})
}

// decoded returns the bytes a precompressed sibling decodes to.
func decoded(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var r io.Reader
	switch filepath.Ext(path) {
	case ".br":
		r = brotli.NewReader(bytes.NewReader(b))
	case ".gz":
		r, err = gzip.NewReader(bytes.NewReader(b))
		require.NoError(t, err)
	}
	raw, err := io.ReadAll(r)
	require.NoError(t, err)
	return raw
}

func TestWrite_Siblings(t *testing.T) {
	c, err := Build(pets(), catalog.Policy{}, Options{})
	require.NoError(t, err)
	dir := t.TempDir()
	m, err := WriteWith(c, dir, WriteOptions{BrotliLevel: 5})
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(dir, m.Name))
	require.NoError(t, err)
	require.Len(t, m.Siblings, 2)
	for _, s := range m.Siblings {
		path := filepath.Join(dir, s.Name)
		require.Equal(t, raw, decoded(t, path), s.Name)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		require.Equal(t, hex.EncodeToString(sum[:]), s.SHA256)
		require.Equal(t, len(b), s.Bytes)
	}
	require.Equal(t, []string{"br", "gzip"}, []string{m.Siblings[0].Encoding, m.Siblings[1].Encoding})
	var got Manifest
	mb, err := os.ReadFile(filepath.Join(dir, "catalogue.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(mb, &got))
	require.Equal(t, m, got, "the manifest lists the siblings")

	idx, err := os.ReadFile(filepath.Join(dir, serve.SiblingIndex))
	require.NoError(t, err)
	lines, err := serve.UnmarshalSiblings(idx)
	require.NoError(t, err)
	require.Equal(t, serve.Sibling{SHA256: m.Siblings[0].SHA256, Original: m.SHA256}, lines[m.Name+".br"])

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	require.ElementsMatch(t, []string{m.Name, m.Name + ".br", m.Name + ".gz", "catalogue.json", "catalogue.json.br", "catalogue.json.gz", serve.SiblingIndex}, names,
		"no temporary file is left behind")
}

// TestWrite_OverDemo replaces the demo catalogue that the asset pipeline
// left in dist/hearth/ (with the siblings it compressed, and no index, as
// a build before indexes did) by a publisher's: every file a server may send
// for catalogue.msgpack is the publisher's afterwards.
func TestWrite_OverDemo(t *testing.T) {
	dir := t.TempDir()
	demo, err := Build(pets()[:5], catalog.Policy{}, Options{})
	require.NoError(t, err)
	demo.ID = "goblog"
	b, _, err := Encode(demo)
	require.NoError(t, err)
	path := filepath.Join(dir, "catalogue.msgpack")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	var br, gz bytes.Buffer
	bw := brotli.NewWriter(&br)
	_, _ = bw.Write(b)
	require.NoError(t, bw.Close())
	gw := gzip.NewWriter(&gz)
	_, _ = gw.Write(b)
	require.NoError(t, gw.Close())
	require.NoError(t, os.WriteFile(path+".br", br.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(path+".gz", gz.Bytes(), 0o644))

	pub, err := Build(pets(), catalog.Policy{}, Options{})
	require.NoError(t, err)
	_, err = WriteWith(pub, path, WriteOptions{BrotliLevel: 1})
	require.NoError(t, err)
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NotEqual(t, b, want)
	for _, ext := range []string{".br", ".gz"} {
		require.Equal(t, want, decoded(t, path+ext), "catalogue.msgpack%s is the publisher's catalogue", ext)
	}

	// What a browser gets from Hearth's handler, and what curl gets.
	h := serve.New(os.DirFS(dir), serve.Options{})
	for _, ae := range []string{"gzip, deflate, br, zstd", "gzip", ""} {
		r := httptest.NewRequest(http.MethodGet, "/catalogue.msgpack", nil)
		if ae != "" {
			r.Header.Set("Accept-Encoding", ae)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code)
		body := w.Body.Bytes()
		switch w.Header().Get("Content-Encoding") {
		case "br":
			body, err = io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
			require.NoError(t, err)
		case "gzip":
			zr, err := gzip.NewReader(bytes.NewReader(body))
			require.NoError(t, err)
			body, err = io.ReadAll(zr)
			require.NoError(t, err)
		}
		require.Equal(t, want, body, "Accept-Encoding %q", ae)
	}
}
