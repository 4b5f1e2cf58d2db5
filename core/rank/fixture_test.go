package rank

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// The fixture catalogue in testdata/catalogue.json is written for people:
// topics by name, vectors as int8 lists, times in RFC 3339.
type fixtureJSON struct {
	ID        string         `json:"id"`
	Generated time.Time      `json:"generated"`
	Topics    []string       `json:"topics"`
	Dim       int            `json:"dim"`
	Policy    catalog.Policy `json:"policy"`
	Items     []struct {
		ID        string             `json:"id"`
		URL       string             `json:"url"`
		Title     string             `json:"title"`
		Section   string             `json:"section"`
		Topics    map[string]float32 `json:"topics"`
		Vec       []int8             `json:"vec"`
		Scale     float32            `json:"scale"`
		Published time.Time          `json:"published"`
		Pop       float32            `json:"pop"`
	} `json:"items"`
}

// fixture loads testdata/catalogue.json as a validated catalogue.
func fixture(t testing.TB) *catalog.Catalogue {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "catalogue.json"))
	require.NoError(t, err)
	var f fixtureJSON
	require.NoError(t, json.Unmarshal(raw, &f))
	c := &catalog.Catalogue{
		Version: catalog.FormatVersion, ID: f.ID, Generated: f.Generated.Unix(),
		Topics: f.Topics, Dim: f.Dim, Policy: f.Policy,
	}
	for _, it := range f.Items {
		item := catalog.Item{
			ID: it.ID, URL: it.URL, Title: it.Title, Section: it.Section,
			Scale: it.Scale, Published: it.Published.Unix(), Popularity: it.Pop,
		}
		for _, v := range it.Vec {
			item.Vector = append(item.Vector, byte(v))
		}
		for name, w := range it.Topics {
			k := slices.Index(f.Topics, name)
			require.GreaterOrEqual(t, k, 0, "topic %q of %s", name, it.ID)
			item.Topics = append(item.Topics, catalog.TopicWeight{Topic: uint16(k), Weight: w})
		}
		slices.SortFunc(item.Topics, func(a, b catalog.TopicWeight) int { return int(a.Topic) - int(b.Topic) })
		c.Items = append(c.Items, item)
	}
	require.NoError(t, c.Validate())
	return c
}

// withGram returns a copy of c carrying the Gram matrix of its dequantised
// vectors, as a publisher shipping trained factors would.
func withGram(c *catalog.Catalogue, lambda float32) *catalog.Catalogue {
	g := *c
	d := c.Dim
	gram := make([]float64, d*d)
	for _, it := range c.Items {
		for r := range d {
			for k := range d {
				gram[r*d+k] += float64(float32(int8(it.Vector[r]))*it.Scale) * float64(float32(int8(it.Vector[k]))*it.Scale)
			}
		}
	}
	g.Gram = make([]float32, d*d)
	for k, v := range gram {
		g.Gram[k] = float32(v)
	}
	g.Lambda = lambda
	return &g
}

var now = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// reader is a profile that read Go and wasm posts, liked one, disliked a
// cooking post, hid a database post and muted travel.
func reader(t testing.TB, c *catalog.Catalogue) *profile.Profile {
	t.Helper()
	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	events := []profile.Event{
		{Item: "go-generics", Kind: profile.Read, Dwell: 90},
		{Item: "go-modules", Kind: profile.View},
		{Item: "go-wasm", Kind: profile.Read, Dwell: 45},
		{Item: "wasm-gc", Kind: profile.Like},
		{Item: "cook-bread", Kind: profile.Dislike},
		{Item: "db-indexeddb", Kind: profile.Hide},
		{Kind: profile.Mute, Topic: "travel"},
		{Item: "health-sleep", Kind: profile.Read, Dwell: 300}, // sensitive: not learned
	}
	for k, ev := range events {
		_, err := p.Track(c, ev, now.Add(time.Duration(k-len(events))*24*time.Hour).Unix())
		require.NoError(t, err)
	}
	return p
}

func ids(recs []Recommendation) []string {
	out := make([]string, len(recs))
	for k, r := range recs {
		out[k] = r.ID
	}
	return out
}

func idx(t testing.TB, c *catalog.Catalogue, id string) int {
	t.Helper()
	i, ok := c.Find(id)
	require.True(t, ok, id)
	return i
}
