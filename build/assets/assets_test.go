package assets

import (
	"bytes"
	"compress/gzip"
	"github.com/hearth-dev/hearth/web/serve"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// loaderBudget is the loader's brotli size limit: it runs on the main thread
// of every page, for every reader, consent or not.
const loaderBudget = 10 << 10

func TestBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm engine")
	}
	out := t.TempDir()
	report, err := Build(out, Options{BrotliLevel: 5})
	require.NoError(t, err)
	require.Equal(t, filepath.Join(out, serve.Dir), report.Dir)
	require.Len(t, report.Files, 5)
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

			switch f.Name {
			case serve.Wasm:
				require.Equal(t, []byte("\x00asm"), raw[:4])
			case serve.Catalogue:
				cat, err := catalog.Decode(raw)
				require.NoError(t, err)
				require.Len(t, cat.Items, 274)
			case serve.Loader:
				require.LessOrEqual(t, f.Brotli, loaderBudget, "loader over its brotli budget")
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
