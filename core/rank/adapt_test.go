package rank

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// TestEngine_Adapt checks the reader's blend: a reader who read the
// catalogue's oldest items gets freshness turned off, one who read the
// newest keeps it, and a reader with one item, or a policy without
// freshness, keeps the policy's weights.
func TestEngine_Adapt(t *testing.T) {
	c := synthetic(300, 16, 7)
	c.Policy.Weights = catalog.Weights{Similarity: 0.1, Freshness: 1, Popularity: 0.2}
	byAge := make([]int, len(c.Items))
	for i := range byAge {
		byAge[i] = i
	}
	slices.SortFunc(byAge, func(a, b int) int { return cmp.Compare(c.Items[a].Published, c.Items[b].Published) })
	reader := func(items []int) *profile.Profile {
		p := profile.New()
		require.NoError(t, p.SetConsent(profile.ConsentGranted))
		at := now.Add(-time.Duration(len(items)) * time.Hour)
		for _, i := range items {
			at = at.Add(time.Hour)
			_, err := p.Track(c, profile.Event{Item: c.Items[i].ID, Kind: profile.Like}, at.Unix())
			require.NoError(t, err)
		}
		return p
	}
	off := ones
	off[termFresh] = 0
	for _, tc := range []struct {
		name   string
		items  []int
		weight catalog.Weights
		want   weights
	}{
		{"oldest items", byAge[:20], c.Policy.Weights, off},
		{"newest items", byAge[len(byAge)-20:], c.Policy.Weights, ones},
		{"one item", byAge[:1], c.Policy.Weights, ones},
		{"no freshness", byAge[:20], catalog.Weights{Similarity: 0.1, Popularity: 0.2}, ones},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := *c
			cc.Policy.Weights = tc.weight
			e := New(&cc)
			require.Equal(t, tc.want, e.adapt(reader(tc.items)))
			s := e.newState(reader(tc.items), Request{Now: now.Unix()})
			require.Equal(t, tc.want, s.scale)
			require.Equal(t, e.w[termFresh]*tc.want[termFresh], s.scoreMix[termFresh])
		})
	}
}
