package catalog

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// testCatalogue returns a small valid catalogue of n items with 4-dim
// vectors over a three-topic vocabulary.
func testCatalogue(n int) *Catalogue {
	c := &Catalogue{
		Version: FormatVersion, ID: "test", Generated: 1_700_000_000,
		Topics: []string{"go", "wasm", "health"}, Dim: 4,
		Policy: Policy{Sensitive: []string{"health"}, Pinned: []string{"i0"}},
	}
	for i := range n {
		c.Items = append(c.Items, Item{
			ID: fmt.Sprintf("i%d", i), URL: fmt.Sprintf("https://example.org/p/%d", i),
			Title: fmt.Sprintf("Post %d", i), Section: []string{"news", "blog"}[i%2],
			Topics: []TopicWeight{{Topic: uint16(i % 3), Weight: 1}},
			Vector: []byte{byte(i), 2, 3, 4}, Scale: 0.01,
			Published: 1_700_000_000 - int64(i)*3600, Popularity: float32(i%10) / 10,
		})
	}
	return c
}

func TestCatalogue_Validate(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(c *Catalogue)
		want   string // substring of the error; "" for valid
	}{
		{"valid", func(c *Catalogue) {}, ""},
		{"root-relative url", func(c *Catalogue) { c.Items[1].URL = "/blog/x" }, ""},
		{"item without vector", func(c *Catalogue) { c.Items[1].Vector, c.Items[1].Scale = nil, 0 }, ""},
		{"duplicate id", func(c *Catalogue) { c.Items[2].ID = "i1" }, `item 2 "i1": id: duplicate of item 1`},
		{"empty id", func(c *Catalogue) { c.Items[1].ID = "" }, `item 1 "": id: empty`},
		{"javascript url", func(c *Catalogue) { c.Items[1].URL = "javascript:alert(1)" }, `item 1 "i1": url:`},
		{"scheme-relative url", func(c *Catalogue) { c.Items[1].URL = "//evil.example/x" }, `item 1 "i1": url: scheme-relative`},
		{"url without host", func(c *Catalogue) { c.Items[1].URL = "https:///x" }, `item 1 "i1": url: no host`},
		{"url with space", func(c *Catalogue) { c.Items[1].URL = "/a b" }, `item 1 "i1": url:`},
		{"empty url", func(c *Catalogue) { c.Items[1].URL = "" }, `item 1 "i1": url: empty`},
		{"empty title", func(c *Catalogue) { c.Items[1].Title = " " }, `item 1 "i1": title: empty`},
		{"short vector", func(c *Catalogue) { c.Items[2].Vector = []byte{1, 2, 3} }, `item 2 "i2": vec: 3 values, want dim 4`},
		{"vector without scale", func(c *Catalogue) { c.Items[2].Scale = 0 }, `item 2 "i2": scale: 0 with a vector`},
		{"NaN scale", func(c *Catalogue) { c.Items[2].Scale = float32(math.NaN()) }, `item 2 "i2": scale: NaN`},
		{"topic out of range", func(c *Catalogue) { c.Items[1].Topics[0].Topic = 3 }, `item 1 "i1": topics: entry 0: topic index 3, vocabulary has 3`},
		{"topic weight zero", func(c *Catalogue) { c.Items[1].Topics[0].Weight = 0 }, `item 1 "i1": topics: entry 0: weight 0 out of (0, 1]`},
		{"topic weight Inf", func(c *Catalogue) { c.Items[1].Topics[0].Weight = float32(math.Inf(1)) }, `weight +Inf`},
		{"repeated topic", func(c *Catalogue) {
			c.Items[1].Topics = append(c.Items[1].Topics, TopicWeight{Topic: 1, Weight: 0.5})
		}, `item 1 "i1": topics: entry 1: topic 1 repeated`},
		{"popularity above 1", func(c *Catalogue) { c.Items[3].Popularity = 1.5 }, `item 3 "i3": pop: 1.5 out of [0, 1]`},
		{"popularity NaN", func(c *Catalogue) { c.Items[3].Popularity = float32(math.NaN()) }, `item 3 "i3": pop: NaN`},
		{"empty topic name", func(c *Catalogue) { c.Topics[1] = "" }, "topic 1 is empty"},
		{"duplicate topic name", func(c *Catalogue) { c.Topics[2] = "go" }, `topic 2 "go" appears twice`},
		{"dim too large", func(c *Catalogue) { c.Dim = 257 }, "dim 257"},
		{"gram of wrong size", func(c *Catalogue) { c.Gram, c.Lambda = make([]float32, 15), 1 }, "gram has 15 values, want dim² = 16"},
		{"gram without lambda", func(c *Catalogue) { c.Gram = make([]float32, 16) }, "lambda must be > 0"},
		{"gram NaN", func(c *Catalogue) {
			c.Gram, c.Lambda = make([]float32, 16), 1
			c.Gram[5] = float32(math.NaN())
		}, "gram[5] is NaN"},
		{"bad policy", func(c *Catalogue) { c.Policy.Diversity = 2 }, "policy: diversity: 2 out of [0, 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCatalogue(5)
			tt.break_(c)
			err := c.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCatalogue_Find(t *testing.T) {
	c := testCatalogue(5)
	_, ok := c.Find("i3")
	require.True(t, ok, "Find works before Validate, by scanning")
	require.NoError(t, c.Validate())
	i, ok := c.Find("i3")
	require.True(t, ok)
	require.Equal(t, 3, i)
	_, ok = c.Find("nope")
	require.False(t, ok)

	// Items changed after Validate: the stale index is not trusted.
	c.Items = append(c.Items[:1], c.Items[2:]...)
	i, ok = c.Find("i3")
	require.True(t, ok)
	require.Equal(t, 2, i)
	_, ok = c.Find("i1")
	require.False(t, ok)
}

func TestCatalogue_Sensitive(t *testing.T) {
	c := testCatalogue(6)
	c.Items[1].Section = "Religion"
	c.Policy.Sensitive = []string{"health", "religion"}
	tests := []struct {
		item int
		want bool
	}{
		{0, false}, // topic go
		{1, true},  // section Religion, case-insensitive
		{2, true},  // topic health
		{3, false},
		{5, true},
	}
	for _, tt := range tests {
		t.Run(c.Items[tt.item].ID, func(t *testing.T) {
			require.Equal(t, tt.want, c.Sensitive(tt.item))
		})
	}
}

func TestCatalogue_TopicIndex(t *testing.T) {
	c := testCatalogue(1)
	i, ok := c.TopicIndex("wasm")
	require.True(t, ok)
	require.Equal(t, 1, i)
	_, ok = c.TopicIndex("rust")
	require.False(t, ok)
}
