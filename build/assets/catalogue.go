package assets

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/demo"
)

// DemoCatalogue builds the demo publisher's catalogue from the embedded
// feed of The Go Blog, with item URLs at the demo's local paths
// (/blog/<slug>). A zero now means the newest post's date.
func DemoCatalogue(now time.Time) ([]byte, error) {
	var feed struct {
		Items []struct {
			ID        string    `json:"id"`
			URL       string    `json:"url"`
			Title     string    `json:"title"`
			Summary   string    `json:"summary"`
			Published time.Time `json:"date_published"`
			Tags      []string  `json:"tags"`
		} `json:"items"`
	}
	if err := json.Unmarshal(demo.Feed(), &feed); err != nil {
		return nil, fmt.Errorf("demo catalogue: %w", err)
	}
	c := &catalog.Catalogue{Version: catalog.FormatVersion, ID: "goblog"}
	topic := map[string]uint16{}
	for _, it := range feed.Items {
		item := catalog.Item{
			ID:        it.ID,
			URL:       demo.PostPath(it.URL[strings.LastIndexByte(it.URL, '/')+1:]),
			Title:     it.Title,
			Summary:   it.Summary,
			Published: it.Published.Unix(),
		}
		for _, tag := range it.Tags {
			tag = strings.ToLower(strings.TrimSpace(tag))
			t, ok := topic[tag]
			if !ok {
				t = uint16(len(c.Topics))
				topic[tag] = t
				c.Topics = append(c.Topics, tag)
			}
			if !slices.ContainsFunc(item.Topics, func(tw catalog.TopicWeight) bool { return tw.Topic == t }) {
				item.Topics = append(item.Topics, catalog.TopicWeight{Topic: t, Weight: 1})
			}
		}
		c.Items = append(c.Items, item)
		c.Generated = max(c.Generated, item.Published)
	}
	if !now.IsZero() {
		c.Generated = now.Unix()
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("demo catalogue: %w", err)
	}
	return c.Encode()
}
