// Package shipped gives browser tests the files Hearth ships: the asset
// pipeline's real engine and scripts, built once per test package, and
// variants of them that differ in a few files (a broken catalogue, a
// Worker with a probe added, a missing engine).
package shipped

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/build/assets"
	"github.com/stretchr/testify/require"
)

// Build runs the asset pipeline into a new temporary folder named after
// pattern (as os.MkdirTemp takes it), at the given brotli level: tests need
// the files, not the smallest files. It returns the folder of the built
// files (…/hearth) and a function that removes everything it wrote.
func Build(pattern string, brotliLevel int) (dir string, remove func(), err error) {
	root, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", nil, err
	}
	report, err := assets.Build(root, assets.Options{BrotliLevel: brotliLevel})
	if err != nil {
		os.RemoveAll(root)
		return "", nil, err
	}
	return report.Dir, func() { os.RemoveAll(root) }, nil
}

// Variant copies the files of dir into a new test folder, with the files
// in change (name → content) replaced or added, or left out where the
// content is nil. A changed file's precompressed siblings (.br, .gz) are
// left out too: a server would choose them over the change.
func Variant(t testing.TB, dir string, change map[string][]byte) string {
	t.Helper()
	out := t.TempDir()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		name := e.Name()
		if _, changed := change[strings.TrimSuffix(strings.TrimSuffix(name, ".br"), ".gz")]; changed {
			continue
		}
		require.NoError(t, os.WriteFile(filepath.Join(out, name), File(t, dir, name), 0o644))
	}
	for name, b := range change {
		if b != nil {
			require.NoError(t, os.WriteFile(filepath.Join(out, name), b, 0o644))
		}
	}
	return out
}

// File returns the file name of dir.
func File(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return b
}
