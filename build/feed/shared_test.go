package feed

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/stretchr/testify/require"
)

// TestReadFile_RealFeeds reads every saved real-world feed: each must
// either give clean items or be refused with a message that names the
// file, the item and the problem.
func TestReadFile_RealFeeds(t *testing.T) {
	dir := shareddata.Dir(t, "feeds/rss-parser")
	files, err := filepath.Glob(filepath.Join(dir, "*.*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	built := 0
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			items, err := ReadFile(f)
			if err != nil {
				var ie *ItemError
				require.True(t, errors.As(err, &ie), "refusal must name an item: %v", err)
				require.Equal(t, name, ie.Input)
				require.Positive(t, ie.Index)
				require.True(t, strings.HasPrefix(err.Error(), name+": item "), err.Error())
				t.Logf("refused: %v", err)
				return
			}
			built++
			require.NotEmpty(t, items)
			for _, it := range items {
				require.NotEmpty(t, it.Title, it.Source)
				require.True(t, isWebURL(it.URL) || strings.HasPrefix(it.URL, "/"), "%s: %q", it.Source, it.URL)
				for _, s := range append([]string{it.ID, it.URL, it.Title, it.Summary, it.Text}, it.Topics...) {
					require.True(t, utf8.ValidString(s), it.Source)
					require.NotContains(t, s, "\uFFFD", "%s: undecoded bytes", it.Source)
				}
				require.NotContains(t, it.Summary, "<p>", it.Source)
			}
		})
	}
	t.Logf("%d of %d feeds built", built, len(files))
}

func TestReadFile_GoBlog(t *testing.T) {
	items, err := ReadFile(filepath.Join(shareddata.Dir(t, "goblog"), "goblog.json"))
	require.NoError(t, err)
	require.Len(t, items, 274)
	for _, it := range items {
		require.True(t, strings.HasPrefix(it.URL, "https://go.dev/blog/"), it.URL)
		require.NotEmpty(t, it.Title)
		require.False(t, it.Published.IsZero(), it.URL)
	}
}
