package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/tests/httpbody"
	"github.com/hearth-dev/hearth/web/serve"
)

func TestBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm engine")
	}
	out := t.TempDir()
	report, err := Build(out, Options{BrotliLevel: 5})
	require.NoError(t, err)
	require.Equal(t, filepath.Join(out, serve.Dir), report.Dir)
	require.Len(t, report.Files, 5)
	require.Empty(t, report.Kept)
	require.FileExists(t, filepath.Join(report.Dir, "catalogue.json"))
	require.FileExists(t, filepath.Join(report.Dir, serve.SiblingIndex))
	for _, f := range report.Files {
		t.Run(f.Name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(report.Dir, f.Name))
			require.NoError(t, err)
			require.Equal(t, len(raw), f.Raw)
			require.NotZero(t, f.Raw)

			br, err := os.ReadFile(filepath.Join(report.Dir, f.Name+".br"))
			require.NoError(t, err)
			require.Equal(t, len(br), f.Brotli)
			unbr, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
			require.NoError(t, err)
			require.Equal(t, raw, unbr, "the .br sibling must hold the same bytes")

			gz, err := os.ReadFile(filepath.Join(report.Dir, f.Name+".gz"))
			require.NoError(t, err)
			require.Equal(t, len(gz), f.Gzip)
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			require.NoError(t, err)
			ungz, err := io.ReadAll(zr)
			require.NoError(t, err)
			require.Equal(t, raw, ungz, "the .gz sibling must hold the same bytes")

			// What web/serve sends a browser: the sibling, checked
			// against the index the build wrote.
			r := httptest.NewRequest(http.MethodGet, "/"+f.Name, nil)
			r.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
			w := httptest.NewRecorder()
			serve.New(os.DirFS(report.Dir), serve.Options{}).ServeHTTP(w, r)
			require.Equal(t, "br", w.Header().Get("Content-Encoding"))
			require.Equal(t, br, w.Body.Bytes())

			switch f.Name {
			case serve.Wasm:
				require.Equal(t, []byte("\x00asm"), raw[:4])
			case serve.Catalogue:
				cat, err := catalog.Decode(raw)
				require.NoError(t, err)
				require.Len(t, cat.Items, 274)
			case serve.Loader:
				require.NotContains(t, string(raw), "innerHTML", "catalogue text must reach the page as text only")
				require.Contains(t, string(raw), "hearth-worker.js")
			case serve.Worker:
				require.Contains(t, string(raw), "importScripts")
				require.Contains(t, string(raw), `credentials:"omit"`)
			}
		})
	}
}

func TestDemoCatalogue(t *testing.T) {
	a, err := DemoCatalogue(time.Time{})
	require.NoError(t, err)
	b, err := DemoCatalogue(time.Time{})
	require.NoError(t, err)
	require.Equal(t, a, b, "the same content must give the same catalogue")
	cat, err := catalog.Decode(a)
	require.NoError(t, err)
	require.Len(t, cat.Items, 274)
	i, ok := cat.Find(cat.Items[0].ID)
	require.True(t, ok)
	require.Equal(t, "/blog/go1.27", cat.Items[i].URL)
	for _, it := range cat.Items {
		require.Regexp(t, `^/blog/[a-z0-9._-]+$`, it.URL)
	}
	when := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	c, err := DemoCatalogue(when)
	require.NoError(t, err)
	later, err := catalog.Decode(c)
	require.NoError(t, err)
	require.Equal(t, when.Unix(), later.Generated)
}

// TestWriteCatalogue holds the rule that lets the asset build and the
// catalogue build run in either order: Build writes the demo catalogue only
// where there is none or the demo's, and keeps a publisher's.
func TestWriteCatalogue(t *testing.T) {
	publisher, err := pack.Build([]feed.Item{
		{ID: "a", URL: "https://example.com/a", Title: "Cats purr", Topics: []string{"cats"}},
		{ID: "b", URL: "https://example.com/b", Title: "Dogs bark", Topics: []string{"dogs"}},
	}, catalog.Policy{}, pack.Options{NoVectors: true})
	require.NoError(t, err)
	pubBytes, _, err := pack.Encode(publisher)
	require.NoError(t, err)
	opts := Options{BrotliLevel: 1}

	// served returns what a browser gets for the catalogue from web/serve.
	served := func(t *testing.T, dir string) []byte {
		t.Helper()
		enc, b := httpbody.Get(t, serve.New(os.DirFS(dir), serve.Options{}), "/"+serve.Catalogue)
		require.Equal(t, "br", enc)
		return b
	}
	servedID := func(t *testing.T, dir string) string {
		t.Helper()
		c, err := catalog.Decode(served(t, dir))
		require.NoError(t, err)
		return c.ID
	}

	t.Run("absent: the demo's", func(t *testing.T) {
		dir := t.TempDir()
		f, kept, err := writeCatalogue(dir, opts)
		require.NoError(t, err)
		require.Empty(t, kept)
		require.Equal(t, DemoID, servedID(t, dir))
		require.NotZero(t, f.Brotli)
		require.FileExists(t, filepath.Join(dir, "catalogue.json"))
	})
	t.Run("the demo's: rebuilt", func(t *testing.T) {
		dir := t.TempDir()
		_, _, err := writeCatalogue(dir, opts)
		require.NoError(t, err)
		later := opts
		later.Now = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		_, kept, err := writeCatalogue(dir, later)
		require.NoError(t, err)
		require.Empty(t, kept)
		c, err := catalog.Decode(served(t, dir))
		require.NoError(t, err)
		require.Equal(t, later.Now.Unix(), c.Generated)
	})
	t.Run("a publisher's, written by the catalogue builder: kept", func(t *testing.T) {
		dir := t.TempDir()
		_, _, err := writeCatalogue(dir, opts)
		require.NoError(t, err)
		_, err = pack.Write(publisher, filepath.Join(dir, serve.Catalogue))
		require.NoError(t, err)
		_, kept, err := writeCatalogue(dir, opts)
		require.NoError(t, err)
		require.Equal(t, publisher.ID, kept)
		require.Equal(t, pubBytes, served(t, dir))
	})
	t.Run("a publisher's, copied over the demo's by hand: kept, siblings rebuilt", func(t *testing.T) {
		dir := t.TempDir()
		_, _, err := writeCatalogue(dir, opts)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, serve.Catalogue), pubBytes, 0o644))
		f, kept, err := writeCatalogue(dir, opts)
		require.NoError(t, err)
		require.Equal(t, publisher.ID, kept)
		require.Equal(t, len(pubBytes), f.Raw)
		require.Equal(t, pubBytes, served(t, dir))
	})
	t.Run("a publisher's in segments: kept", func(t *testing.T) {
		dir := t.TempDir()
		items := []feed.Item{
			{ID: "a", URL: "https://example.com/a", Title: "Cats purr", Topics: []string{"cats"}},
			{ID: "b", URL: "https://example.com/b", Title: "Dogs bark", Topics: []string{"dogs"}},
		}
		rep, err := pack.WriteSegments(items, catalog.Policy{}, dir, pack.SegmentOptions{Build: pack.Options{NoVectors: true}, BrotliLevel: 1})
		require.NoError(t, err)
		manifest, err := os.ReadFile(filepath.Join(dir, pack.ManifestName))
		require.NoError(t, err)
		f, kept, err := writeCatalogue(dir, opts)
		require.NoError(t, err)
		require.Equal(t, pack.ManifestName, f.Name)
		c, m, err := pack.ReadManifest(filepath.Join(dir, pack.ManifestName))
		require.NoError(t, err)
		require.Equal(t, c.ID, kept)
		require.Equal(t, rep.Manifest, m)
		after, err := os.ReadFile(filepath.Join(dir, pack.ManifestName))
		require.NoError(t, err)
		require.Equal(t, manifest, after, "the manifest is the publisher's, unchanged")
		require.NoFileExists(t, filepath.Join(dir, serve.Catalogue), "no demo catalogue beside it")
	})
	t.Run("Options.Catalogue: replaces any", func(t *testing.T) {
		dir := t.TempDir()
		_, err = pack.Write(publisher, filepath.Join(dir, serve.Catalogue))
		require.NoError(t, err)
		demo, err := DemoCatalogue(time.Time{})
		require.NoError(t, err)
		given := opts
		given.Catalogue = demo
		_, kept, err := writeCatalogue(dir, given)
		require.NoError(t, err)
		require.Empty(t, kept)
		require.Equal(t, demo, served(t, dir), "shipped byte for byte")
	})
	t.Run("not a catalogue: refused, not overwritten", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, serve.Catalogue), []byte("<html>"), 0o644))
		_, _, err := writeCatalogue(dir, opts)
		require.ErrorContains(t, err, "delete it")
		b, err := os.ReadFile(filepath.Join(dir, serve.Catalogue))
		require.NoError(t, err)
		require.Equal(t, "<html>", string(b))
	})
}
