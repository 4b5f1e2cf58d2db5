package bridge

import (
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// resolveRef is resolve as it was written with strings.Cut, the reference.
func (x *urlIndex) resolveRef(s string) (int, bool) {
	s, _, _ = strings.Cut(s, "#")
	if i, ok := x.lookup(s); ok {
		return i, true
	}
	if _, rest, ok := strings.Cut(s, "://"); ok {
		path := "/"
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			path = rest[j:]
		}
		path, _, _ = strings.Cut(path, "?")
		if i, ok := x.lookup(path); ok {
			return i, true
		}
	}
	return 0, false
}

func urlItems() []catalog.Item {
	return []catalog.Item{{URL: "/a"}, {URL: "https://example.com/b?x=1"}, {URL: "/"}, {URL: "/c/d"}, {URL: ""}}
}

// FuzzURLIndex_resolve: resolve finds what resolveRef finds, for the page
// URLs a reader's browser sends and anything else.
func FuzzURLIndex_resolve(f *testing.F) {
	for _, s := range []string{"/a", "/a#top", "https://example.com/a?ref=1#x", "https://example.com", "http://x/c/d?",
		"://", "a://b://c/a", "https://example.com/b?x=1", "https://h/?q#/a", "", "#", "/c/d#://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := &urlIndex{items: urlItems()}
		want := &urlIndex{items: urlItems()}
		i, ok := got.resolve(s)
		j, okRef := want.resolveRef(s)
		require.Equal(t, okRef, ok, s)
		require.Equal(t, j, i, s)
	})
}

func TestURLIndex_find(t *testing.T) {
	x := &urlIndex{items: urlItems()}
	for _, tt := range []struct {
		url  string
		want int
		ok   bool
	}{
		{"/a", 0, true}, {"https://example.com/a#top", 0, true}, {"https://example.com/b?x=1", 1, true},
		{"https://example.com", 2, true}, {"https://example.com/c/d?utm=x", 3, true}, {"/missing", 0, false},
	} {
		i, ok := x.find(tt.url)
		require.Equal(t, tt.ok, ok, tt.url)
		require.Equal(t, tt.want, i, tt.url)
	}
}
