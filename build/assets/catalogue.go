package assets

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/demo"
)

// feedPrefix is where the posts of the feed live; the demo serves them at
// /blog/<slug>.
const feedPrefix = "https://go.dev/blog/"

// DemoCatalogue builds the demo publisher's catalogue from the embedded
// feed of The Go Blog, with each post's full text for the text features and
// item URLs at the demo's local paths (/blog/<slug>), and returns its
// encoding. A zero now means the newest post's date, so the same content
// gives the same bytes.
func DemoCatalogue(now time.Time) ([]byte, error) {
	cat, err := demoCatalogue(now)
	if err != nil {
		return nil, err
	}
	b, _, err := pack.Encode(cat)
	if err != nil {
		return nil, fmt.Errorf("demo catalogue: %w", err)
	}
	return b, nil
}

func demoCatalogue(now time.Time) (*catalog.Catalogue, error) {
	items, err := feed.Parse(bytes.NewReader(demo.Feed()), "goblog.json")
	if err != nil {
		return nil, fmt.Errorf("demo catalogue: %w", err)
	}
	for i := range items {
		slug, ok := strings.CutPrefix(items[i].URL, feedPrefix)
		if !ok {
			return nil, fmt.Errorf("demo catalogue: item %q is not under %s", items[i].URL, feedPrefix)
		}
		if items[i].Text, err = demo.PostText(slug); err != nil {
			return nil, fmt.Errorf("demo catalogue: %w", err)
		}
	}
	cat, err := pack.Build(items, demoPolicy, pack.Options{
		URL:       pack.ReplacePrefix(feedPrefix, demo.PostPath("")),
		Generated: now,
	})
	if err != nil {
		return nil, fmt.Errorf("demo catalogue: %w", err)
	}
	cat.ID = DemoID
	return cat, nil
}

// demoPolicy is the demo publisher's policy. The Go Blog has no page-view
// counts, so the default weights (led by the popularity prior) would leave
// the non-personal order flat; a blog's readers value recent posts, so the
// demo weights similarity, followed topics and freshness instead.
var demoPolicy = catalog.Policy{
	Weights:   catalog.Weights{Similarity: 1, Topic: 0.6, Freshness: 0.25, Popularity: 0.15},
	Diversity: 0.3,
}
