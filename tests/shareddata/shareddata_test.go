package shareddata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoot(t *testing.T) {
	root, err := Root()
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(root, "go.mod"))
	require.DirExists(t, filepath.Join(root, "core"))
}

func TestPath(t *testing.T) {
	root, err := Root()
	require.NoError(t, err)
	p, err := Path("feeds/rss-parser")
	require.NoError(t, err)
	require.Equal(t, filepath.Join(filepath.Dir(root), "shared", "data", "feeds", "rss-parser"), p)
}

func TestRoot_OutsideModule(t *testing.T) {
	t.Chdir(os.TempDir())
	_, err := Root()
	require.ErrorIs(t, err, ErrNoModule)
}
