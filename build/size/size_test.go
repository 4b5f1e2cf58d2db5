package size

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// writeFiles creates the named files under a temporary folder.
func writeFiles(t *testing.T, files map[string][]byte) string {
	dir := t.TempDir()
	for name, b := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, b, 0o644))
	}
	return dir
}

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestMeasure(t *testing.T) {
	text := bytes.Repeat([]byte("hearth "), 1000)
	noise := random(5000)
	dir := writeFiles(t, map[string][]byte{
		"hearth/hearth.js":    text,
		"hearth/hearth.js.br": make([]byte, 123),
		"hearth/hearth.js.gz": make([]byte, 456),
		"hearth/engine.wasm":  noise,
		"orphan.gz":           make([]byte, 7),
	})
	files, err := Measure(dir)
	require.NoError(t, err)
	require.Len(t, files, 3, "siblings are not listed, an orphan .gz is")
	require.Equal(t, "hearth/engine.wasm", files[0].Name)
	require.Equal(t, "hearth/hearth.js", files[1].Name)
	require.Equal(t, "orphan.gz", files[2].Name)

	js := files[1]
	require.Equal(t, File{Name: "hearth/hearth.js", Raw: len(text), Gzip: 456, Brotli: 123, Sibling: true}, js)

	wasm := files[0]
	require.False(t, wasm.Sibling)
	require.Equal(t, len(noise), wasm.Raw)
	// Random bytes do not compress: both formats add a little framing.
	require.InDelta(t, len(noise), wasm.Brotli, 50)
	require.InDelta(t, len(noise), wasm.Gzip, 50)
	require.Greater(t, wasm.Gzip, wasm.Raw)
}

func TestMeasure_compresses(t *testing.T) {
	dir := writeFiles(t, map[string][]byte{"a.txt": bytes.Repeat([]byte("abc"), 10000)})
	files, err := Measure(dir)
	require.NoError(t, err)
	require.Less(t, files[0].Brotli, 100)
	require.Less(t, files[0].Gzip, 200)
	require.Less(t, files[0].Brotli, files[0].Gzip)
}

func TestMeasure_missingDir(t *testing.T) {
	_, err := Measure(filepath.Join(t.TempDir(), "nope"))
	require.Error(t, err)
}

func TestApply(t *testing.T) {
	files := []File{
		{Name: "hearth/hearth.js", Brotli: 3 * KB},
		{Name: "hearth/hearth.wasm", Brotli: 500 * KB},
		{Name: "other/x.wasm", Brotli: 200 * KB},
		{Name: "hearth/hearth.js.map", Brotli: 50 * KB},
	}
	checks := Apply(files, Budgets)
	require.Len(t, checks, 3)
	tests := []struct {
		name    string
		matched []string
		brotli  int
		over    bool
	}{
		{"loader", []string{"hearth/hearth.js"}, 3 * KB, false},
		{"engine", []string{"hearth/hearth.wasm", "other/x.wasm"}, 700 * KB, true},
		{"without consent", []string{"hearth/hearth.js"}, 3 * KB, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.name, checks[i].Name)
			require.Equal(t, tt.matched, checks[i].Matched)
			require.Equal(t, tt.brotli, checks[i].Brotli)
			require.Equal(t, tt.over, checks[i].Over())
		})
	}
}

func TestReport(t *testing.T) {
	budgets := []Budget{
		{Name: "loader", Files: []string{"hearth.js"}, Max: 10 * KB},
		{Name: "engine", Suffix: ".wasm", Max: 600 * KB, Goal: 450 * KB},
		{Name: "catalogue", Files: []string{"catalogue.msgpack"}, Max: KB},
	}
	tests := []struct {
		name   string
		files  []File
		ok     bool
		expect []string
	}{
		{"within", []File{{Name: "hearth.js", Brotli: 4 * KB}, {Name: "hearth.wasm", Brotli: 400 * KB}}, true,
			[]string{"ok, 6.0 KB to spare", "within the 450.0 KB goal", "catalogue", "no such file here"}},
		{"over the goal", []File{{Name: "hearth.wasm", Brotli: 500 * KB}}, true,
			[]string{"ok, 100.0 KB to spare; goal 450.0 KB, 50.0 KB to go"}},
		{"over the limit", []File{{Name: "hearth.js", Brotli: 11 * KB}, {Name: "hearth.wasm", Brotli: 700 * KB}}, false,
			[]string{"loader (hearth.js)", "OVER by 1.0 KB", "OVER by 100.0 KB; goal 450.0 KB, 250.0 KB to go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			require.Equal(t, tt.ok, Report(&out, tt.files, budgets))
			for _, s := range tt.expect {
				require.Contains(t, out.String(), s)
			}
		})
	}
}
