package worker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/web/serve"
	"github.com/hearth-dev/hearth/web/worker/manifest"
)

func TestEmbedOverlay_SiblingIndex(t *testing.T) {
	assets, root := t.TempDir(), t.TempDir()
	for name, data := range map[string]string{
		"hearth/catalogue.msgpack":     "cat",
		"hearth/catalogue.msgpack.br":  "br",
		"hearth/" + serve.SiblingIndex: "",
		"hearth/.env":                  "SECRET=1",
		"hearth/hearth.wasm":           "wasm",
		".git/config":                  "[core]",
	} {
		p := filepath.Join(assets, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	dest := filepath.Join(root, "web", "worker", "files")
	for _, include := range [][]string{nil, {"catalogue.msgpack*"}} {
		out := t.TempDir()
		static, err := copyAssets(assets, out, include)
		require.NoError(t, err)
		require.Equal(t, filepath.Join(out, AssetsDir), static)
		files, overlay, err := embedOverlay(root, assets, static, t.TempDir())
		require.NoError(t, err)
		require.Contains(t, overlay, filepath.Join(dest, "hearth", serve.SiblingIndex), "the handler checks siblings in the Worker too")
		require.NotContains(t, overlay, filepath.Join(dest, "hearth", ".env"))
		require.NotContains(t, files, "hearth/"+serve.SiblingIndex, "embedded, not a served file")
		require.Contains(t, files, "hearth/catalogue.msgpack.br")
		require.Equal(t, include == nil, len(files) == 3, files)

		// The static assets are exactly the served files, and the
		// manifest describes them.
		var uploaded []string
		require.NoError(t, filepath.WalkDir(static, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(static, p)
				uploaded = append(uploaded, filepath.ToSlash(rel))
			}
			return err
		}))
		require.ElementsMatch(t, files, uploaded)
		b, err := os.ReadFile(overlay[filepath.Join(dest, manifest.Name)])
		require.NoError(t, err)
		m, err := manifest.Unmarshal(b)
		require.NoError(t, err)
		require.Len(t, m, len(files))
		require.Equal(t, int64(len("cat")), m["hearth/catalogue.msgpack"].Size)
	}
}

func TestCopyAssets_Replaces(t *testing.T) {
	assets, out := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(assets, "a.js"), []byte("a"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(out, AssetsDir), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(out, AssetsDir, "old.js"), []byte("old"), 0o644))
	static, err := copyAssets(assets, out, nil)
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(static, "old.js"))
	require.ErrorIs(t, err, os.ErrNotExist, "a file removed from the assets is no longer uploaded")
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary folder left behind")

	_, err = copyAssets(t.TempDir(), out, nil)
	require.Error(t, err, "no files")
}

func TestResult_FreePlan(t *testing.T) {
	fits := Result{Bundle: Size{Gzip: FreeLimit}, Assets: Assets{Files: AssetFilesLimit, LargestSize: AssetSizeLimit}}
	tests := []struct {
		name string
		edit func(*Result)
		fits bool
	}{
		{"at every limit", func(*Result) {}, true},
		{"Worker over", func(r *Result) { r.Bundle.Gzip++ }, false},
		{"too many files", func(r *Result) { r.Assets.Files++ }, false},
		{"file too large", func(r *Result) { r.Assets.LargestSize++ }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fits
			tt.edit(&r)
			err := r.FreePlan()
			if tt.fits {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrTooLarge)
			}
		})
	}
}
