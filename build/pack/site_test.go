package pack

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/catalog"
)

func TestCheckSite(t *testing.T) {
	items := func(urls ...string) []catalog.Item {
		var its []catalog.Item
		for _, u := range urls {
			its = append(its, catalog.Item{URL: u})
		}
		return its
	}
	tests := []struct {
		name  string
		site  string
		items []catalog.Item
		want  []OffSite
	}{
		{"all on the site", "https://example.com", items("https://example.com/a", "https://EXAMPLE.com/b", "/c"), nil},
		{"feed proxy", "https://example.com",
			items("https://feedproxy.example.net/blog/a", "https://example.com/x", "https://feedproxy.example.net/blog/b?utm=rss"),
			[]OffSite{{Count: 2, Prefix: "https://feedproxy.example.net/blog/", Replace: "https://example.com/blog/", Example: "https://feedproxy.example.net/blog/a"}}},
		{"http on an https site", "https://example.com/", items("http://example.com/2024/a", "http://example.com/2025/b"),
			[]OffSite{{Count: 2, Prefix: "http://example.com/", Replace: "https://example.com/", Example: "http://example.com/2024/a"}}},
		{"one URL: its folder", "https://example.com", items("https://other.example/news/item-1"),
			[]OffSite{{Count: 1, Prefix: "https://other.example/news/", Replace: "https://example.com/news/", Example: "https://other.example/news/item-1"}}},
		{"prefix cut at a slash", "https://example.com", items("https://cdn.example/post-1", "https://cdn.example/post-2"),
			[]OffSite{{Count: 2, Prefix: "https://cdn.example/", Replace: "https://example.com/", Example: "https://cdn.example/post-1"}}},
		{"site under a path", "https://example.com/blog",
			items("https://example.com/blog/a", "/blog/b", "https://example.com/news/c", "/news/d"),
			[]OffSite{
				{Count: 1, Prefix: "https://example.com/news/", Replace: "https://example.com/blog/", Example: "https://example.com/news/c"},
				{Count: 1, Prefix: "/news/", Replace: "https://example.com/blog/", Example: "/news/d"},
			}},
		{"largest group first", "https://example.com",
			items("http://a.example/1", "http://b.example/x/1", "http://b.example/x/2"),
			[]OffSite{
				{Count: 2, Prefix: "http://b.example/x/", Replace: "https://example.com/x/", Example: "http://b.example/x/1"},
				{Count: 1, Prefix: "http://a.example/", Replace: "https://example.com/", Example: "http://a.example/1"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckSite(tt.items, tt.site)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	for _, bad := range []string{"example.com", "ftp://example.com", "/blog", ""} {
		_, err := CheckSite(nil, bad)
		require.ErrorIs(t, err, ErrSite, bad)
	}
}
