//go:build !js && !hearthlean

package catalog

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMsgpackJS_reencodes runs the pinned @msgpack/msgpack on the
// catalogue under Node and requires the bytes of interopFile, which
// TestDecode_reencodedByMsgpackJS decodes in every build (the engine's
// too, under GOOS=js). HEARTH_UPDATE_GOLDEN=1 rewrites the file.
func TestMsgpackJS_reencodes(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	lib, err := filepath.Abs(filepath.Join("..", "..", "tests", "node_modules", "@msgpack", "msgpack"))
	require.NoError(t, err)
	_, err = os.Stat(lib)
	require.NoError(t, err, "@msgpack/msgpack is missing: run make test-deps (npm ci in tests/)")
	ours, err := interopCatalogue().Encode()
	require.NoError(t, err)
	in := filepath.Join(t.TempDir(), "in.msgpack")
	out := filepath.Join(t.TempDir(), "out.msgpack")
	require.NoError(t, os.WriteFile(in, ours, 0o644))
	cmd := exec.Command(node, filepath.Join("testdata", "interop", "reencode.cjs"), lib, in, out)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	theirs, err := os.ReadFile(out)
	require.NoError(t, err)
	if os.Getenv("HEARTH_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile(interopFile, theirs, 0o644))
	}
	golden, err := os.ReadFile(interopFile)
	require.NoError(t, err)
	require.True(t, bytes.Equal(golden, theirs), "%s is not what the library writes: HEARTH_UPDATE_GOLDEN=1 go test -run TestMsgpackJS_reencodes", interopFile)
	// The reason: msgp's generated decoder, the reference, takes a float32
	// field's number only as a float32.
	var d document
	_, err = d.UnmarshalMsg(theirs)
	require.ErrorContains(t, err, `with method for "float32" at Policy/FreshnessHalfLifeDays`)
}
