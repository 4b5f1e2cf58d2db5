package worker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/web/serve"
)

func TestEmbedOverlay_SiblingIndex(t *testing.T) {
	assets, root := t.TempDir(), t.TempDir()
	for name, data := range map[string]string{
		"hearth/catalogue.msgpack":     "cat",
		"hearth/catalogue.msgpack.br":  "br",
		"hearth/" + serve.SiblingIndex: "",
		"hearth/.env":                  "SECRET=1",
		"hearth/hearth.wasm":           "wasm",
	} {
		p := filepath.Join(assets, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	dest := filepath.Join(root, "web", "worker", "files")
	for _, include := range [][]string{nil, {"catalogue.msgpack*"}} {
		files, overlay, err := embedOverlay(root, assets, t.TempDir(), include)
		require.NoError(t, err)
		require.Contains(t, overlay, filepath.Join(dest, "hearth", serve.SiblingIndex), "the handler checks siblings in the Worker too")
		require.NotContains(t, overlay, filepath.Join(dest, "hearth", ".env"))
		require.NotContains(t, files, "hearth/"+serve.SiblingIndex, "embedded, not a served file")
		require.Contains(t, files, "hearth/catalogue.msgpack.br")
		require.Equal(t, include == nil, len(files) == 3, files)
	}
}
