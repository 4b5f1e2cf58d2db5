package pack

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/stretchr/testify/require"
)

// TestBuild_GoBlog builds the demo publisher's catalogue the way the asset
// pipeline does and checks what the demo relies on.
func TestBuild_GoBlog(t *testing.T) {
	items, err := feed.ReadFile(filepath.Join(shareddata.Dir(t, "goblog"), "goblog.json"))
	require.NoError(t, err)
	c, err := Build(items, catalog.Policy{}, Options{URL: ReplacePrefix("https://go.dev/blog/", "/blog/")})
	require.NoError(t, err)
	b, m, err := Encode(c)
	require.NoError(t, err)
	_, err = catalog.Decode(b)
	require.NoError(t, err)
	t.Logf("%d items, %d topics, dim %d, %d bytes", m.Items, len(c.Topics), c.Dim, m.Bytes)

	require.Len(t, c.Items, 274)
	require.Equal(t, DefaultDim, c.Dim)
	for _, want := range []string{"release", "community", "technical", "generics", "concurrency", "tools", "testing", "survey"} {
		require.Contains(t, c.Topics, want)
	}
	byTitle := map[string]int{}
	withTopics := 0
	for i, it := range c.Items {
		byTitle[it.Title] = i
		require.True(t, strings.HasPrefix(it.URL, "/blog/") && !strings.Contains(it.URL[len("/blog/"):], "/"), it.URL)
		require.LessOrEqual(t, len(it.Topics), DefaultItemTopics, it.Title)
		if len(it.Topics) > 0 {
			withTopics++
		}
	}
	// Two posts share no word with any topic ("Qihoo 360 and Go"); every
	// other post gets at least one.
	require.GreaterOrEqual(t, withTopics, 270)

	for title, topic := range map[string]string{
		"Go 1.26 is released":                           "release", // untagged: derived from the title
		"Go 1.23 is released":                           "release",
		"Robust generic functions on slices":            "generics",
		"Code coverage for Go integration tests":        "testing",
		"Scaling gopls for the growing Go ecosystem":    "tools",
		"Fourteen Years of Go":                          "birthday",
		"Testing concurrent code with testing/synctest": "concurrency", // tagged
	} {
		i, ok := byTitle[title]
		require.True(t, ok, title)
		require.Contains(t, topicsOf(c, i), topic, title)
	}
	require.Equal(t, c.Items[0].Published, c.Generated, "generated at the newest post's date")

	t.Run("with the posts' full text", func(t *testing.T) {
		// The demo site builds its catalogue with each post's body: topics
		// must still follow titles and summaries, not words a long post
		// uses in passing.
		withText := slices.Clone(items)
		posts := filepath.Join(shareddata.Dir(t, "goblog"), "posts")
		for i := range withText {
			b, err := os.ReadFile(filepath.Join(posts, path.Base(withText[i].URL)+".md"))
			require.NoError(t, err)
			withText[i].Text = string(b)
		}
		c, err := Build(withText, catalog.Policy{}, Options{})
		require.NoError(t, err)
		byTitle := map[string]int{}
		withTopics := 0
		for i, it := range c.Items {
			byTitle[it.Title] = i
			if len(it.Topics) > 0 {
				withTopics++
			}
		}
		require.GreaterOrEqual(t, withTopics, 270)
		for title, topic := range map[string]string{
			"Go 1.26 is released":                        "release",
			"Go 1.22 is released!":                       "release",
			"Robust generic functions on slices":         "generics",
			"Code coverage for Go integration tests":     "testing",
			"Scaling gopls for the growing Go ecosystem": "tools",
			"Twelve Years of Go":                         "birthday",
		} {
			require.Contains(t, topicsOf(c, byTitle[title]), topic, title)
		}
	})

	again, err := Build(items, catalog.Policy{}, Options{URL: ReplacePrefix("https://go.dev/blog/", "/blog/")})
	require.NoError(t, err)
	b2, _, err := Encode(again)
	require.NoError(t, err)
	require.Equal(t, b, b2)
}
