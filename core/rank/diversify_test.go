package rank

import (
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

func TestState_Diversify(t *testing.T) {
	// a1..a3 are near-duplicates, b and c point elsewhere.
	c := tiny(
		catalog.Item{ID: "a1", Section: "s", Vector: []byte{100, 0}},
		catalog.Item{ID: "a2", Section: "s", Vector: []byte{100, 5}},
		catalog.Item{ID: "a3", Section: "s", Vector: []byte{100, 10}},
		catalog.Item{ID: "b", Section: "t", Vector: []byte{0, 100}},
		catalog.Item{ID: "c", Section: "t", Vector: []byte{70, 70}},
	)
	pool := []int{0, 1, 2, 3, 4}
	scores := []float32{1, 0.95, 0.9, 0.5, 0.4}
	tests := []struct {
		name   string
		lambda float32
		caps   []catalog.SectionCap
		count  int
		want   []string
	}{
		{"no diversity keeps the score order", 0, nil, 4, []string{"a1", "a2", "a3", "b"}},
		{"strong diversity spreads", 0.9, nil, 3, []string{"a1", "b", "c"}},
		{"section cap", 0, []catalog.SectionCap{{Section: "s", Max: 2}}, 4, []string{"a1", "a2", "b", "c"}},
		{"caps leave too few", 0, []catalog.SectionCap{{Section: "s", Max: 1}, {Section: "t", Max: 1}}, 4, []string{"a1", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.Policy.SectionCaps = tt.caps
			e := New(c)
			s := e.newState(nil, Request{Now: now.Unix()})
			got := s.diversify(pool, scores, tt.count, tt.lambda)
			names := make([]string, len(got))
			for k, i := range got {
				names[k] = c.Items[i].ID
			}
			require.Equal(t, tt.want, names)
		})
	}
}

func TestEngine_ItemSim(t *testing.T) {
	c := tiny(
		catalog.Item{ID: "v1", Vector: []byte{100, 0}, Topics: []catalog.TopicWeight{{Topic: 0, Weight: 1}}},
		catalog.Item{ID: "v2", Vector: []byte{0, 100}, Topics: []catalog.TopicWeight{{Topic: 0, Weight: 1}}},
		catalog.Item{ID: "t1", Topics: []catalog.TopicWeight{{Topic: 0, Weight: 1}}},
		catalog.Item{ID: "t2", Topics: []catalog.TopicWeight{{Topic: 0, Weight: 1}, {Topic: 1, Weight: 1}}},
		catalog.Item{ID: "none"},
	)
	e := New(c)
	tests := []struct {
		a, b string
		want float32
	}{
		{"v1", "v1", 1},
		{"v1", "v2", 0}, // vectors win over shared topics
		{"v1", "t1", 1}, // no vector on one side: topic cosine
		{"t1", "t2", 0.70710677},
		{"t1", "none", 0},
	}
	for _, tt := range tests {
		require.InDelta(t, tt.want, e.itemSim(idx(t, c, tt.a), idx(t, c, tt.b)), 1e-6, "%s %s", tt.a, tt.b)
	}
}
