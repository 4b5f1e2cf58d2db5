package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
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
