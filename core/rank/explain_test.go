package rank

import (
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

func codes(rs []Reason) []string {
	out := make([]string, len(rs))
	for k, r := range rs {
		out[k] = r.Code
	}
	return out
}

func TestState_Explain(t *testing.T) {
	c := fixture(t)
	e := New(c)
	p := reader(t, c)

	t.Run("read names the most similar item read", func(t *testing.T) {
		s := e.newState(p, Request{Now: now.Unix()})
		r, ok := s.readReason(idx(t, c, "wasm-threads"), readReasonSim)
		require.True(t, ok)
		require.Equal(t, Reason{Code: ReasonRead, Text: "Because you read WebAssembly garbage collection", Ref: "wasm-gc"}, r)
		r, ok = s.readReason(idx(t, c, "go-errors"), readReasonSim)
		require.True(t, ok)
		require.Equal(t, "go-generics", r.Ref)
		_, ok = s.readReason(idx(t, c, "cook-pasta"), readReasonSim)
		require.False(t, ok, "a disliked item is no reason")
	})
	t.Run("topic names the strongest followed topic", func(t *testing.T) {
		s := e.newState(p, Request{Now: now.Unix()})
		r, ok := s.topicReason(idx(t, c, "wasm-size"), topicReasonMin)
		require.True(t, ok)
		require.Equal(t, Reason{Code: ReasonTopic, Text: "You follow wasm", Ref: "wasm"}, r)
		_, ok = s.topicReason(idx(t, c, "privacy-law"), topicReasonMin)
		require.False(t, ok)
	})
	t.Run("every item has a reason", func(t *testing.T) {
		for _, prof := range []*profile.Profile{nil, p} {
			s := e.newState(prof, Request{Now: now.Unix()})
			for i := range c.Items {
				rs := s.explain(i)
				require.NotEmpty(t, rs, c.Items[i].ID)
				for _, r := range rs {
					require.Contains(t, []string{ReasonRead, ReasonTopic, ReasonNew, ReasonPopular, ReasonPinned}, r.Code)
					require.NotEmpty(t, r.Text)
				}
				if prof == nil {
					require.NotContains(t, codes(rs), ReasonRead, "no profile, no personal reason")
					require.NotContains(t, codes(rs), ReasonTopic)
				}
			}
		}
	})
	t.Run("pinned, explore, related come first", func(t *testing.T) {
		s := e.newState(nil, Request{Now: now.Unix()})
		require.Equal(t, ReasonPinned, s.explain(idx(t, c, "privacy-ondevice"))[0].Code)
		s = e.newState(p, Request{Now: now.Unix()})
		s.explored = idx(t, c, "privacy-law")
		rs := s.explain(s.explored)
		require.Equal(t, Reason{Code: ReasonExplore, Text: "Something different"}, rs[0])
		s = e.newState(p, Request{Now: now.Unix(), Current: "go-wasm", Related: true})
		s.relatedMode = true
		rs = s.explain(idx(t, c, "wasm-size"))
		require.Equal(t, Reason{Code: ReasonRelated, Text: "Related to Go on WebAssembly", Ref: "go-wasm"}, rs[0])
	})
	t.Run("new and popular", func(t *testing.T) {
		c := tiny(
			catalog.Item{ID: "fresh", Published: now.Unix()},
			catalog.Item{ID: "hit", Published: now.Unix() - 100*86400, Popularity: 0.9},
			catalog.Item{ID: "stale", Published: now.Unix() - 100*86400, Popularity: 0.1},
		)
		s := New(c).newState(nil, Request{Now: now.Unix()})
		require.Equal(t, []string{ReasonNew}, codes(s.explain(0)))
		require.Equal(t, []string{ReasonPopular}, codes(s.explain(1)))
		require.Equal(t, []string{ReasonPopular}, codes(s.explain(2)), "the largest score term when no threshold is met")
	})
	t.Run("new only when the freshness term is above zero", func(t *testing.T) {
		c := tiny(
			catalog.Item{ID: "fresh", Published: now.Unix(), Popularity: 0.1},
			catalog.Item{ID: "ancient", Published: 0},                       // freshness 0 after 56 years
			catalog.Item{ID: "scheduled", Published: now.Unix() + 10*86400}, // not out yet: freshness 0
		)
		s := New(c).newState(nil, Request{Now: now.Unix()})
		require.Equal(t, []string{ReasonNew}, codes(s.explain(0)))
		require.Empty(t, s.explain(1), "nothing lifted it: no reason rather than a false one")
		require.Empty(t, s.explain(2))
		c.Policy.Weights = catalog.Weights{Popularity: 1, Topic: 1}
		s = New(c).newState(nil, Request{Now: now.Unix()})
		require.Equal(t, []string{ReasonPopular}, codes(s.explain(0)), "freshness has no weight: the item is not ranked as new")
	})
}

// TestState_TopicReason_Derived: a topic the item carries with less than
// the policy's TopicReasonMin (a topic the builder derived from text and
// could not vouch for) is learned and scored but never told as "You
// follow"; the item's reason falls back to the next true one.
func TestState_TopicReason_Derived(t *testing.T) {
	// Undated and unpopular: no prior lifts them, so a reason can only
	// come from the reader.
	item := func(id string, w float32, vec []byte) catalog.Item {
		return catalog.Item{ID: id, Vector: vec, Topics: []catalog.TopicWeight{{Topic: 0, Weight: w}}}
	}
	tests := []struct {
		name      string
		weight    float32 // of topic a on the recommended item
		reasonMin float32 // 0: unset, which means 1
		vec       []byte  // the recommended item's vector; the read item's is {100, 0}
		want      []string
	}{
		{"a tag", 1, 0.7, []byte{0, 100}, []string{ReasonTopic}},
		{"derived, above the bar", 0.8, 0.7, []byte{0, 100}, []string{ReasonTopic}},
		{"derived, at the bar", 0.7, 0.7, []byte{0, 100}, []string{ReasonTopic}},
		{"derived, below the bar: no reason rather than a guess", 0.5, 0.7, []byte{0, 100}, []string{}},
		{"derived, below the bar: the read item it resembles instead", 0.5, 0.7, []byte{100, 10}, []string{ReasonRead}},
		{"a catalogue that sets no bar: tags only", 0.95, 0, []byte{0, 100}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tiny(item("read", 1, []byte{100, 0}), item("rec", tt.weight, tt.vec))
			c.Policy.TopicReasonMin = tt.reasonMin
			p := profile.New()
			require.NoError(t, p.SetConsent(profile.ConsentGranted))
			_, err := p.Track(c, profile.Event{Item: "read", Kind: profile.Like}, now.Unix())
			require.NoError(t, err)
			s := New(c).newState(p, Request{Now: now.Unix()})
			require.Positive(t, s.topicScore(1), "the topic still counts in the score")
			require.Equal(t, tt.want, codes(s.explain(1)))
			if len(tt.want) > 0 && tt.want[0] == ReasonTopic {
				require.Equal(t, []Reason{{Code: ReasonTopic, Text: "You follow a", Ref: "a"}}, s.explain(1))
			}
		})
	}
}
