package eval

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		name  string
		keys  []float64
		parts int
		want  [][]int
	}{
		{"even", []float64{5, 1, 4, 2, 6, 3}, 3, [][]int{{1, 3}, {5, 2}, {0, 4}}},
		{"ties stay together", []float64{1, 1, 1, 2, 3, 3}, 3, [][]int{{0, 1, 2}, {3}, {4, 5}}},
		{"all equal is one group", []float64{7, 7, 7, 7}, 4, [][]int{{0, 1, 2, 3}}},
		{"fewer users than parts", []float64{2, 1}, 4, [][]int{{1}, {0}}},
		{"none", nil, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, cut(len(tc.keys), tc.parts, func(i int) float64 { return tc.keys[i] }))
		})
	}
}

// TestSlices checks that each cut covers every test user once, periods in
// time order and activity groups by history length.
func TestSlices(t *testing.T) {
	ds := blocks(12)
	// Users of the second block get longer histories.
	for u := 12; u < 24; u++ {
		for k := range u - 10 {
			ds.Positive = append(ds.Positive, Interaction{User: u, Item: 5 + k%5, Time: int64(1000*u + 20 + k)})
		}
	}
	s := NewSplit(ds)
	sls := Slices(s)
	byKind := map[string][]Slice{}
	for _, sl := range sls {
		byKind[sl.Kind] = append(byKind[sl.Kind], sl)
	}
	require.Len(t, byKind["period"], numPeriods)
	require.Len(t, byKind["activity"], numActivity)
	for kind, groups := range byKind {
		seen := map[int]bool{}
		for k, g := range groups {
			for _, i := range g.Users {
				require.False(t, seen[i], "%s: user %d twice", kind, i)
				seen[i] = true
				if k > 0 {
					prev := groups[k-1].Users
					last := &s.Users[prev[len(prev)-1]]
					if kind == "period" {
						require.LessOrEqual(t, last.Now, s.Users[i].Now)
					} else {
						require.Less(t, len(last.History), len(s.Users[i].History))
					}
				}
			}
		}
		require.Len(t, seen, len(s.Users), kind)
	}
	require.Contains(t, byKind["activity"][0].Name, "light, ")
	require.Contains(t, byKind["period"][0].Name, "period 1, lists made 1970-01-01 to ")

	// The worst slice is one whose gain over the reference is smallest,
	// whatever the mean: the heavy readers' (or the latest period's, whose
	// readers are all heavy here).
	n := len(s.Users)
	ref, ndcg := make([]float64, n), make([]float64, n)
	for i := range ndcg {
		ndcg[i] = 0.5
	}
	heavy := byKind["activity"][2]
	for _, i := range heavy.Users {
		ref[i] = 0.6
	}
	g, at := worstGain(sls, ndcg, ref)
	require.InDelta(t, -0.1, g, 1e-12)
	for _, i := range at.Users {
		require.Equal(t, 0.6, ref[i], "a user of %s", at.Name)
	}
}
