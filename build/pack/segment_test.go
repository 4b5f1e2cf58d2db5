package pack_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/stretchr/testify/require"
)

func TestWriteSegments(t *testing.T) {
	site := newNewsSite(400, 24, 3)
	dir := t.TempDir()
	o := pack.SegmentOptions{RebuildShare: 0.15, BrotliLevel: 1}
	build := func(h int) pack.SegmentReport {
		t.Helper()
		now := site.start.Add(time.Duration(h) * time.Hour)
		bo := o
		bo.Build.Generated = now
		rep, err := pack.WriteSegments(site.at(now), catalog.Policy{}, dir, bo)
		require.NoError(t, err)
		// The catalogue of the files is the input's items.
		c, m, err := pack.ReadManifest(filepath.Join(dir, pack.ManifestName))
		require.NoError(t, err)
		var want, got []string
		for _, it := range site.at(now) {
			want = append(want, pack.StableID(it.ID))
		}
		for _, it := range c.Items {
			got = append(got, it.ID)
			if it.Published >= site.start.Unix() {
				require.NotEmpty(t, it.Vector, "%s: a new item has a vector in the base's space", it.ID)
			}
		}
		require.ElementsMatch(t, want, got)
		require.Equal(t, rep.Manifest.Segments, m.Segments)
		for _, p := range append([]pack.Part{{Name: m.Name}}, m.Segments...) {
			require.FileExists(t, filepath.Join(dir, p.Name))
			require.FileExists(t, filepath.Join(dir, p.Name+".br"))
		}
		return rep
	}
	rep := build(0)
	require.True(t, rep.Rebuilt)
	base := rep.Manifest.Name
	for h := 1; h <= 23; h++ {
		rep = build(h)
		require.False(t, rep.Rebuilt)
		require.Equal(t, base, rep.Manifest.Name, "the base stays")
		require.Equal(t, 1, rep.Added, "an item an hour")
		require.Len(t, rep.Manifest.Segments, h)
	}
	// The next day's first build merges the day's segments into one.
	rep = build(24)
	require.Equal(t, 23, rep.Merged)
	require.Len(t, rep.Manifest.Segments, 2)
	require.Equal(t, 23, rep.Manifest.Segments[0].Items)
	require.Empty(t, rep.Deleted, "the previous manifest's segments are kept one build more")
	rep = build(25)
	require.Len(t, rep.Deleted, 23)
	names, err := filepath.Glob(filepath.Join(dir, "segment.*.msgpack"))
	require.NoError(t, err)
	require.Len(t, names, 3)

	// 15% of 400 items: the base is rebuilt after 60 changes.
	for h := 26; !rep.Rebuilt; h++ {
		require.Less(t, h, 72)
		rep = build(h)
	}
	require.Empty(t, rep.Manifest.Segments)
	require.NotEqual(t, base, rep.Manifest.Name)
	_, err = os.Stat(filepath.Join(dir, base))
	require.NoError(t, err, "the previous manifest's base is kept one build more")
	rep = build(72)
	require.Contains(t, rep.Deleted, base)
	require.True(t, slices.ContainsFunc(rep.Manifest.Segments, func(p pack.Part) bool { return p.Items > 0 }))
}

// TestWriteSegments_siblings: the manifest is sent compressed as the files
// it lists are, and a deleted file leaves neither siblings nor lines of the
// sibling index behind; files of the folder that are not the builder's
// own stay.
func TestWriteSegments_siblings(t *testing.T) {
	site := newNewsSite(100, 4, 2)
	dir := t.TempDir()
	other := filepath.Join(dir, serve.Catalogue)
	require.NoError(t, os.WriteFile(other, []byte("the asset build's catalogue"), 0o644))
	h := serve.New(os.DirFS(dir), serve.Options{})
	build := func(hour int) pack.SegmentReport {
		t.Helper()
		now := site.start.Add(time.Duration(hour) * time.Hour)
		rep, err := pack.WriteSegments(site.at(now), catalog.Policy{}, dir, pack.SegmentOptions{Build: pack.Options{Generated: now}, BrotliLevel: 1})
		require.NoError(t, err)
		mb, err := os.ReadFile(filepath.Join(dir, pack.ManifestName))
		require.NoError(t, err)
		r := httptest.NewRequest(http.MethodGet, "/"+pack.ManifestName, nil)
		r.Header.Set("Accept-Encoding", "gzip, deflate, br")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, "br", w.Header().Get("Content-Encoding"), "the manifest's current sibling is sent")
		require.Less(t, w.Body.Len(), len(mb))
		return rep
	}
	build(0)
	build(6)
	build(12)
	rep := build(24) // merges the first day's two segments
	require.Equal(t, 2, rep.Merged)
	rep = build(30)
	require.Len(t, rep.Deleted, 2)
	idx, err := os.ReadFile(filepath.Join(dir, serve.SiblingIndex))
	require.NoError(t, err)
	for _, name := range rep.Deleted {
		require.True(t, strings.HasPrefix(name, "segment."), name)
		for _, f := range []string{name, name + ".br", name + ".gz"} {
			require.NoFileExists(t, filepath.Join(dir, f))
		}
		require.NotContains(t, string(idx), name, "the sibling index keeps no line of a deleted file")
	}
	for _, p := range rep.Manifest.Segments {
		require.Contains(t, string(idx), p.Name+".br\t")
	}
	require.FileExists(t, other, "a file the builder did not name is not deleted")
}
