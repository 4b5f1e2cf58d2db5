package pack_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// TestEncode_RefusesWhatEnginesRefuse: an item whose URL is over the
// engine's limit on strings would make every reader's engine refuse the
// whole catalogue, so the builder refuses it first, names the item and the
// limit, and writes nothing.
func TestEncode_RefusesWhatEnginesRefuse(t *testing.T) {
	c := &catalog.Catalogue{Version: catalog.FormatVersion, Generated: 1700000000, Items: []catalog.Item{
		{ID: "ok", URL: "https://example.org/ok", Title: "Fine", Published: 1700000000},
		{ID: "long", URL: "https://example.org/?" + strings.Repeat("q", catalog.DefaultMaxString), Title: "Too long", Published: 1700000000},
	}}
	_, _, err := pack.Encode(c)
	require.ErrorIs(t, err, pack.ErrRefused)
	require.ErrorIs(t, err, catalog.ErrTooLarge)
	require.ErrorContains(t, err, `item 1 "long": url is`)

	dir := t.TempDir()
	_, err = pack.Write(c, dir+"/")
	require.ErrorIs(t, err, pack.ErrRefused)
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, files, "nothing written")

	c.Items = c.Items[:1]
	_, _, err = pack.Encode(c)
	require.NoError(t, err, "the same catalogue without it")
}

// TestWriteSegments_RefusesWhatEnginesRefuse: a segment whose item readers'
// engines would refuse leaves the published manifest as it was, so
// browsers keep loading the catalogue they loaded before.
func TestWriteSegments_RefusesWhatEnginesRefuse(t *testing.T) {
	site := newNewsSite(100, 4, 2)
	dir := t.TempDir()
	o := pack.SegmentOptions{BrotliLevel: 1}
	o.Build.Generated = site.start
	_, err := pack.WriteSegments(site.at(site.start), catalog.Policy{}, dir, o)
	require.NoError(t, err)
	manifest := filepath.Join(dir, pack.ManifestName)
	before, err := os.ReadFile(manifest)
	require.NoError(t, err)

	now := site.start.Add(time.Hour)
	items := site.at(now)
	items[len(items)-1].URL += "?" + strings.Repeat("q", catalog.DefaultMaxString)
	o.Build.Generated = now
	_, err = pack.WriteSegments(items, catalog.Policy{}, dir, o)
	require.ErrorIs(t, err, pack.ErrRefused)
	after, err := os.ReadFile(manifest)
	require.NoError(t, err)
	require.Equal(t, string(before), string(after), "the manifest browsers follow is unchanged")
}
