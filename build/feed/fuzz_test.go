package feed

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to every format: parsing must not panic,
// and whatever it accepts must keep the promises of Item.
func FuzzParse(f *testing.F) {
	for _, s := range []string{rssFeed, atomFeed, jsonFeed, jsonLines, csvFile, `[{"url": "/a", "title": "t"}]`, "\xff\xfe<rss>"} {
		f.Add([]byte(s), "x")
	}
	f.Fuzz(func(t *testing.T, b []byte, ext string) {
		for _, name := range []string{"in." + ext, "in.rss", "in.jsonl", "in.csv", "in.json"} {
			items, err := Parse(strings.NewReader(string(b)), name)
			if err != nil {
				continue
			}
			for _, it := range items {
				if it.Title == "" {
					t.Fatalf("%s: accepted an item without a title", name)
				}
				if !isWebURL(it.URL) && !(strings.HasPrefix(it.URL, "/") && !strings.HasPrefix(it.URL, "//")) {
					t.Fatalf("%s: accepted url %q", name, it.URL)
				}
				for _, s := range append([]string{it.ID, it.URL, it.Title, it.Summary, it.Text, it.Section}, it.Topics...) {
					if !utf8.ValidString(s) {
						t.Fatalf("%s: invalid UTF-8 %q", name, s)
					}
				}
				if it.Popularity < 0 {
					t.Fatalf("%s: negative popularity", name)
				}
			}
		}
	})
}
