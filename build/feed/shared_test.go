package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// sharedData returns ../shared/data next to the module root, or skips: a
// fresh clone has no shared data, CI has.
func sharedData(t testing.TB, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test data %s not present: %v", p, err)
	}
	return p
}

// TestReadFile_RealFeeds reads every saved real-world feed: each must
// either give clean items or be refused with a message that names the
// file, the item and the problem.
func TestReadFile_RealFeeds(t *testing.T) {
	dir := sharedData(t, "feeds/rss-parser")
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
	items, err := ReadFile(filepath.Join(sharedData(t, "goblog"), "goblog.json"))
	require.NoError(t, err)
	require.Len(t, items, 274)
	for _, it := range items {
		require.True(t, strings.HasPrefix(it.URL, "https://go.dev/blog/"), it.URL)
		require.NotEmpty(t, it.Title)
		require.False(t, it.Published.IsZero(), it.URL)
	}
}
