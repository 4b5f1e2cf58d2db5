package rank

import (
	"math"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// tiny builds a catalogue of two-dimensional items for hand-checked scores.
func tiny(items ...catalog.Item) *catalog.Catalogue {
	c := &catalog.Catalogue{Version: catalog.FormatVersion, Topics: []string{"a", "b"}, Dim: 2, Generated: now.Unix()}
	for k := range items {
		it := &items[k]
		if it.URL == "" {
			it.URL = "/" + it.ID
		}
		if it.Title == "" {
			it.Title = it.ID
		}
		if it.Vector != nil && it.Scale == 0 {
			it.Scale = 0.01
		}
	}
	c.Items = items
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

func TestState_Score(t *testing.T) {
	day := int64(86400)
	c := tiny(
		catalog.Item{ID: "x", Vector: []byte{100, 0}, Topics: []catalog.TopicWeight{{Topic: 0, Weight: 1}}, Published: now.Unix()},
		catalog.Item{ID: "y", Vector: []byte{0, 100}, Topics: []catalog.TopicWeight{{Topic: 1, Weight: 1}}, Published: now.Unix() - 14*day, Popularity: 0.5},
		catalog.Item{ID: "z", Topics: []catalog.TopicWeight{{Topic: 0, Weight: 0.5}, {Topic: 1, Weight: 0.5}}, Published: now.Unix() - 28*day},
	)
	c.Policy.Weights = catalog.Weights{Similarity: 1, Topic: 1, Freshness: 1, Popularity: 1}
	e := New(c)
	s := e.newState(nil, Request{Now: now.Unix()})
	s.user = []float32{1, 0}
	s.interest = []float32{1, -0.5}
	s.anyTopic = true
	s.setTerms() // the reader's terms are on now
	tests := []struct {
		item                   string
		sim, topic, fresh, pop float32
	}{
		{"x", 1, 1, 1, 0},
		{"y", 0, -0.5, 0.5, 0.5},
		{"z", 0, 0.25, 0.25, 0}, // no vector: no similarity term
	}
	for _, tt := range tests {
		t.Run(tt.item, func(t *testing.T) {
			i := idx(t, c, tt.item)
			require.InDelta(t, tt.topic, s.topicScore(i), 1e-6)
			require.InDelta(t, tt.fresh, e.fresh(i, s.factor), 1e-6)
			require.InDelta(t, tt.sim+tt.topic+tt.fresh+tt.pop, s.score(i), 1e-5)
			require.InDelta(t, tt.fresh+tt.pop, s.prior(i), 1e-6)
		})
	}
}

func TestEngine_Fresh(t *testing.T) {
	c := tiny(
		catalog.Item{ID: "new", Published: now.Unix()},
		catalog.Item{ID: "old", Published: now.Unix() - 14*86400},
		catalog.Item{ID: "ancient", Published: 0},
	)
	e := New(c)
	tests := []struct {
		name string
		at   time.Time
		item string
		want float32
	}{
		{"now", now, "new", 1},
		{"one half-life", now, "old", 0.5},
		{"a half-life later", now.Add(14 * 24 * time.Hour), "new", 0.5},
		{"item dated within a day after now is fresh", now.Add(-12 * time.Hour), "new", 1},
		{"item dated later is scheduled, not fresh", now.Add(-48 * time.Hour), "new", 0},
		{"far past clock stays finite", time.Unix(0, 0), "new", 0},
		{"ancient", now, "ancient", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.fresh(idx(t, c, tt.item), e.freshFactor(tt.at.Unix()))
			require.False(t, math.IsNaN(float64(got)))
			require.InDelta(t, tt.want, got, 1e-6)
		})
	}
}

func TestState_Lambda(t *testing.T) {
	c := tiny(catalog.Item{ID: "x"})
	c.Policy.Diversity = 0.4
	e := New(c)
	tests := []struct {
		variety float32
		want    float32
	}{{-1, 0}, {-0.5, 0.2}, {0, 0.4}, {0.5, 0.55}, {1, maxLambda}}
	for _, tt := range tests {
		s := &state{e: e, variety: tt.variety}
		require.InDelta(t, tt.want, s.lambda(), 1e-6, "variety %v", tt.variety)
	}
}

func TestState_Learn(t *testing.T) {
	c := fixture(t)
	e := New(c)
	s := e.newState(reader(t, c), Request{Now: now.Unix()})
	require.True(t, s.personal)
	require.True(t, s.anyTopic)
	goTopic, _ := c.TopicIndex("go")
	cooking, _ := c.TopicIndex("cooking")
	health, _ := c.TopicIndex("health")
	require.Greater(t, s.interest[goTopic], float32(0))
	require.Less(t, s.interest[cooking], float32(0), "a dislike counts against")
	require.Zero(t, s.interest[health], "sensitive reads are never learned")
	require.Len(t, s.user, c.Dim)
	// The user vector points toward what was read and away from the dislike.
	sim := func(id string) float32 {
		i := idx(t, c, id)
		return e.dotRow(s.user, i) * e.inv[i]
	}
	require.Greater(t, sim("go-errors"), sim("cook-pasta"))
	require.Greater(t, sim("wasm-threads"), sim("travel-trains"))
	for _, h := range s.history {
		require.NotEqual(t, "health-sleep", c.Items[h.item].ID)
	}
	require.Equal(t, "wasm-gc", c.Items[s.history[0].item].ID, "the like is the strongest signal")

}
