package rank

import (
	"slices"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

func TestEngine_Recommend_NonPersonal(t *testing.T) {
	c := fixture(t)
	e := New(c)
	want := e.Recommend(nil, Request{Count: 8, Now: now.Unix()})
	require.Len(t, want, 8)
	require.Equal(t, "privacy-ondevice", want[0].ID, "pinned first")
	require.Equal(t, []string{ReasonPinned}, codes(want[0].Reasons)[:1])
	for k := 2; k < len(want); k++ {
		require.GreaterOrEqual(t, want[k-1].Score, want[k].Score, "then by freshness and popularity")
	}
	life := 0
	for _, r := range want {
		require.NotEqual(t, "db-postgres", r.ID, "excluded")
		if c.Items[idx(t, c, r.ID)].Section == "life" {
			life++
		}
	}
	require.LessOrEqual(t, life, 2, "section cap")

	denied := reader(t, c)
	require.NoError(t, denied.SetConsent(profile.ConsentDenied))
	unset := reader(t, c)
	require.NoError(t, unset.SetConsent(profile.ConsentUnset)) // the fixture policy is opt-in
	empty := profile.New()
	require.NoError(t, empty.SetConsent(profile.ConsentGranted))
	for name, p := range map[string]*profile.Profile{"denied": denied, "unset under opt-in": unset, "empty": empty} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, want, e.Recommend(p, Request{Count: 8, Now: now.Unix()}))
		})
	}
}

func TestEngine_Recommend_Personal(t *testing.T) {
	c := fixture(t)
	e := New(c)
	p := reader(t, c)
	recs := e.Recommend(p, Request{Count: 6, Now: now.Unix(), Seed: 1, Current: "go-errors"})
	require.Len(t, recs, 6)
	got := ids(recs)
	for _, id := range []string{"go-errors", "go-generics", "go-modules", "db-indexeddb", "db-postgres", "travel-lisbon", "travel-trains", "cook-bread"} {
		require.NotContains(t, got, id)
	}
	top := c.Items[idx(t, c, got[0])]
	require.Contains(t, []string{"go", "wasm"}, c.Topics[top.Topics[0].Topic], "the reader's topics lead: %v", got)
	for _, r := range recs {
		require.NotEmpty(t, r.Reasons)
		require.NotEmpty(t, r.URL)
		require.NotEmpty(t, r.Title)
	}
	require.Equal(t, recs, e.Recommend(p, Request{Count: 6, Now: now.Unix(), Seed: 1, Current: "go-errors"}), "deterministic")
}

func TestEngine_Recommend_Variety(t *testing.T) {
	c := fixture(t)
	e := New(c)
	topics := func(variety float32) int {
		p := reader(t, c)
		require.NoError(t, p.SetVariety(variety))
		seen := map[uint16]bool{}
		for _, r := range e.Recommend(p, Request{Count: 6, Now: now.Unix(), Seed: 99}) {
			seen[c.Items[idx(t, c, r.ID)].Topics[0].Topic] = true
		}
		return len(seen)
	}
	require.GreaterOrEqual(t, topics(1), topics(-1), "more variety shows at least as many topics")
}

func TestEngine_Recommend_Related(t *testing.T) {
	c := fixture(t)
	e := New(c)
	for _, p := range []*profile.Profile{nil, reader(t, c)} {
		recs := e.Recommend(p, Request{Count: 3, Now: now.Unix(), Current: "wasm-threads", Related: true})
		require.Len(t, recs, 3)
		for _, r := range recs {
			require.NotEqual(t, "wasm-threads", r.ID)
			require.Equal(t, Reason{Code: ReasonRelated, Text: "Related to Threads in WebAssembly", Ref: "wasm-threads"}, r.Reasons[0])
			it := c.Items[idx(t, c, r.ID)]
			wasm, _ := c.TopicIndex("wasm")
			require.True(t, slices.ContainsFunc(it.Topics, func(tw catalog.TopicWeight) bool { return int(tw.Topic) == wasm }), "%s is about wasm", r.ID)
		}
	}
	// Related without a known current page falls back to the usual list.
	require.Equal(t, e.Recommend(nil, Request{Count: 3, Now: now.Unix()}), e.Recommend(nil, Request{Count: 3, Now: now.Unix(), Current: "nope", Related: true}))
}

func TestEngine_Recommend_Count(t *testing.T) {
	c := fixture(t)
	e := New(c)
	tests := []struct {
		count, want int
	}{{0, DefaultCount}, {-3, DefaultCount}, {1, 1}, {1000, len(c.Items) - 1 - 4}}
	for _, tt := range tests {
		// All but the excluded item and four of the six "life" items
		// (capped at two) can be listed.
		require.Len(t, e.Recommend(nil, Request{Count: tt.count, Now: now.Unix()}), tt.want, "count %d", tt.count)
	}
	empty := &catalog.Catalogue{Version: catalog.FormatVersion}
	require.NoError(t, empty.Validate())
	require.Empty(t, New(empty).Recommend(reader(t, c), Request{Now: now.Unix()}))
}

func TestEngine_Recommend_FoldIn(t *testing.T) {
	c := withGram(fixture(t), 0.5)
	e := New(c)
	require.NotNil(t, e.gram)
	p := reader(t, c)
	recs := e.Recommend(p, Request{Count: 5, Now: now.Unix(), Seed: 4})
	require.Len(t, recs, 5)
	s := e.newState(p, Request{Now: now.Unix()})
	require.NotNil(t, s.user)
	// The history is decayed to the newest event; the fold-in's
	// confidences take the weights decayed to now, leaning on the latest
	// moments (fold).
	f := float32(profile.Decay(s.now-learnRef(p, s.now), e.pol.InterestHalfLifeDays))
	require.Less(t, f, float32(1))
	var hs []hist
	for _, h := range s.history {
		hs = append(hs, hist{item: h.item, weight: h.fold * f})
	}
	require.Equal(t, e.foldIn(hs), s.user, "the fold-in, not the mean, is the user vector")
}

// TestEngine_RecommendMemo checks that a memo changes no list: for one
// profile at several times (before and after its newest event), for another
// profile, after the profile is replaced by a changed copy, and for another
// engine.
func TestEngine_RecommendMemo(t *testing.T) {
	c := fixture(t)
	e, folded := New(c), New(withGram(c, 0.5))
	p := reader(t, c)
	other := reader(t, c)
	require.NoError(t, other.SetVariety(1))
	changed := reader(t, c)
	_, err := changed.Track(c, profile.Event{Item: "cook-pasta", Kind: profile.Like}, now.Add(time.Hour).Unix())
	require.NoError(t, err)
	newest := learnRef(p, now.Unix()+1e9)
	var m Memo
	for _, step := range []struct {
		e   *Engine
		p   *profile.Profile
		now time.Time
	}{
		{e, p, now},
		{e, p, now.Add(time.Minute)},
		{e, p, now.Add(40 * 24 * time.Hour)},
		{e, p, time.Unix(newest-3600, 0)}, // the clock behind the newest event
		{e, p, now},
		{e, other, now},
		{e, changed, now.Add(2 * time.Hour)},
		{e, changed, now.Add(3 * time.Hour)},
		{folded, changed, now.Add(3 * time.Hour)},
		{folded, changed, now.Add(9 * time.Hour)},
		{e, nil, now},
		{e, p, now.Add(24 * time.Hour)},
	} {
		for _, req := range []Request{
			{Count: 6, Now: step.now.Unix(), Seed: 1},
			{Count: 4, Now: step.now.Unix(), Current: "privacy-gpc", Related: true},
		} {
			require.Equal(t, step.e.Recommend(step.p, req), step.e.RecommendMemo(&m, step.p, req), "at %v", step.now)
		}
	}
}

// TestEngine_Learn_DecayCancels checks the premise of learned: decaying the
// history to the newest event instead of to now changes neither its order
// nor the direction of the mean vector.
func TestEngine_Learn_DecayCancels(t *testing.T) {
	c := synthetic(2000, 16, 4)
	e := New(c)
	p := syntheticReader(c, 5)
	at := e.learn(p, learnRef(p, now.Unix()))
	for _, later := range []time.Duration{0, time.Hour, 30 * 24 * time.Hour, 400 * 24 * time.Hour} {
		hs := history(e, p, now.Add(later).Unix())
		require.Len(t, hs, len(at.history))
		for k := range hs {
			require.Equal(t, hs[k].item, at.history[k].item, "history order at now+%v", later)
		}
		u := e.meanVector(hs)
		require.Len(t, u, len(at.mean))
		for k := range u {
			require.InDelta(t, u[k], at.mean[k], 1e-6)
		}
	}
}

func TestEngine_Recommend_ZeroNow(t *testing.T) {
	c := fixture(t)
	e := New(c)
	require.Equal(t,
		e.Recommend(nil, Request{Count: 5, Now: c.Generated}),
		e.Recommend(nil, Request{Count: 5}), "a zero Now is the catalogue's generation time")
}

func TestEngine_Recommend_Concurrent(t *testing.T) {
	c := fixture(t)
	e := New(c)
	p := reader(t, c)
	want := e.Recommend(p, Request{Count: 5, Now: now.Unix(), Seed: 7})
	done := make(chan []Recommendation)
	for range 4 {
		go func() { done <- e.Recommend(p, Request{Count: 5, Now: now.Unix(), Seed: 7}) }()
	}
	for range 4 {
		require.Equal(t, want, <-done)
	}
}
