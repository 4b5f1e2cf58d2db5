package eval

import (
	"fmt"
	"testing"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// TestTransitionCounts checks the counts are consecutive pairs of each
// user's positives in time order (ties by item), summed over users, with
// no user in them.
func TestTransitionCounts(t *testing.T) {
	ds := &Dataset{Users: []string{"u0", "u1", "u2", "u3"}}
	for _, id := range []string{"a", "b", "c", "d", "e f"} {
		ds.Items = append(ds.Items, Item{ID: id, Title: id})
	}
	const a, b, c, d, ef = 0, 1, 2, 3, 4
	train := []Interaction{
		{User: 1, Item: c, Time: 6}, {User: 0, Item: c, Time: 3}, {User: 1, Item: b, Time: 5},
		{User: 0, Item: a, Time: 1}, {User: 0, Item: b, Time: 2},
		{User: 2, Item: c, Time: 2}, {User: 2, Item: a, Time: 2}, {User: 2, Item: ef, Time: 4},
		{User: 3, Item: d, Time: 1}, {User: 3, Item: d, Time: 2}, // a reload: no pair of two items
	}
	got := transitionCounts(ds, train)
	require.Equal(t, []collab.NamedTransition{
		{From: "/item/a", To: "/item/b", Count: 1},     // u0
		{From: "/item/a", To: "/item/c", Count: 1},     // u2, the tie at time 2 ordered by item
		{From: "/item/b", To: "/item/c", Count: 2},     // u0 and u1
		{From: "/item/c", To: "/item/e%20f", Count: 1}, // u2
		{From: "/item/d", To: "/item/d", Count: 1},     // u3
	}, got)
	require.Equal(t, []bool{true, true, true, false, true}, counted(ds, got), "a self-transition is no count of d")

	folds := []int{0, 1, 0, 1}
	rows := panelRows(ds, train, folds, 1)
	require.Len(t, rows, 4)
	for _, x := range rows {
		require.Contains(t, []string{"1", "3"}, x.User)
	}
	require.Equal(t, []bool{false, true, true, true, false}, inFold(ds, train, folds, 1))
}

// TestColdSet_Cold scores made-up lists on the targets without data: only
// candidate targets count, each reader's list is scored on them alone, and
// panel data is the other fold's.
func TestColdSet_Cold(t *testing.T) {
	s := NewSplit(blocks(2))
	// Users 0, 1 like items 0..4 and users 2, 3 items 5..9; targets are
	// 1+u%4 of their block: 1, 2 and 8, 9.
	require.Equal(t, []int{1}, s.Users[0].Targets)
	require.Equal(t, []int{8}, s.Users[2].Targets)
	counted := make([]bool, 10)
	for _, i := range []int{0, 2, 3, 4, 5, 6, 7, 9} {
		counted[i] = true // items 1 and 8 have no counts
	}
	has := [][]bool{make([]bool, 10), make([]bool, 10)}
	has[0][2] = true // fold 0's users have item 2, fold 1's none of 1, 2, 5, 8
	r := &Run{Split: s, counted: counted, fits: []*panelFit{{folds: []int{1, 1, 0, 0}, has: has}}}
	sets := r.ColdSets()
	require.Len(t, sets, 2)
	tr, panel := sets[0], sets[1]
	require.Equal(t, RowTransit, tr.Row)
	require.Equal(t, []int{0, 2}, tr.Users)
	require.Equal(t, 2, tr.Targets)
	// Users 0 and 1 (fold 1) are ranked with fold 0's vectors, which know
	// item 2; users 2 and 3 with fold 1's, which know none.
	require.Equal(t, []int{0, 2, 3}, panel.Users)

	res := &Result{Lists: [][]int{{1, 5}, {2}, {5, 6, 8}, {6}}}
	hr, ndcg := tr.Cold(res)
	require.Equal(t, []float64{1, 1}, hr)
	require.Equal(t, 1.0, ndcg[0])
	require.InDelta(t, 0.5, ndcg[1], 1e-12, "a hit third: 1/log2(4)")
	hr, _ = panel.Cold(res)
	require.Equal(t, []float64{1, 1, 0}, hr)

	// A target outside the candidates (nobody's history has it) is no
	// cold target: no method could recommend it.
	s.Universe[1] = false
	require.Equal(t, []int{2}, r.ColdSets()[0].Users)
}

// TestRun_collab builds the panel and transition catalogues through the
// builder on the two-taste data: panel vectors of each fold learn from that
// fold's histories alone, the counts from every history and nothing else,
// and Hearth ranked by similarity alone puts an item of the reader's own
// taste first.
func TestRun_collab(t *testing.T) {
	s := NewSplit(blocks(20))
	set := Tuned
	set.TextDim = 4
	set.PanelALS = ALSConfig{Dim: 4, Lambda: 1, Alpha: 20, Iterations: 10, Seed: 1}
	set.PanelMinMembers = 1
	set.TransitALS = ALSConfig{Dim: 4, Lambda: 1, Alpha: 20, Iterations: 10, Seed: 1}
	r, err := NewRun(s, set, s.Held())
	require.NoError(t, err)

	fits, err := r.panelFits()
	require.NoError(t, err)
	small, err := r.crossFit(0.25, r.Settings.panelOptions())
	require.NoError(t, err)
	for _, fits := range [][]*panelFit{fits, small} {
		require.Len(t, fits, crossFittings)
		for k, fit := range fits {
			require.Len(t, fit.cats, 2)
			for f, rep := range fit.reports {
				n := 0
				for _, x := range s.Train {
					if fit.panel[x.User] == f {
						n++
					}
				}
				require.Equal(t, n, rep.PanelUsed, "cross-fitting %d, half %d learns from its panel's histories", k, f)
				require.NotEmpty(t, fit.cats[f].Gram)
			}
			if k > 0 {
				require.NotEqual(t, fits[0].folds, fit.folds, "cross-fitting %d splits the users its own way", k)
			}
		}
	}
	for k := range fits {
		require.Equal(t, fits[k].folds, small[k].folds, "a smaller panel ranks the same readers")
		require.Equal(t, len(s.Data.Users)/2, members(fits[k].panel))
		require.Equal(t, len(s.Data.Users)/8, members(small[k].panel))
	}
	_, err = r.transitCatalogue()
	require.NoError(t, err)
	pairs := 0
	byUser := map[int]int{}
	for _, x := range s.Train {
		byUser[x.User]++
	}
	for _, n := range byUser {
		pairs += n - 1
	}
	require.Equal(t, pairs, r.Pairs, "every consecutive pair of every training history, no target")
	require.Equal(t, r.Transitions, r.TransitReport.TransitionsUsed)

	pol := basePolicy
	pol.Weights = catalog.Weights{Similarity: 1}
	pol.Diversity, pol.Exploration = 1e-9, 1e-9
	hs := map[string]Method{}
	for k, fit := range fits {
		hs[fmt.Sprintf("%s, cross-fitting %d", RowPanel, k+1)], err = r.panelHearthOn(fit, pol)
		require.NoError(t, err)
	}
	hs[RowTransit], err = r.transitHearth(pol)
	require.NoError(t, err)
	for name, h := range hs {
		t.Run(name, func(t *testing.T) {
			res := Evaluate(s, h)
			require.NoError(t, checkLists(s, res))
			for i, u := range s.Users {
				require.Equal(t, u.Targets[0]/5, res.Lists[i][0]/5, "user %d: first item from the user's own block", u.User)
			}
		})
	}
}

// TestMeasurePanelSizes_belowFloor: on a few dozen users, the smaller
// panels have no item with the builder's floor of members; they are
// measured as panels that teach nothing, and the run goes on.
func TestMeasurePanelSizes_belowFloor(t *testing.T) {
	s := NewSplit(blocks(20))
	set := Tuned
	set.TextDim = 4
	set.PanelALS = ALSConfig{Dim: 4, Lambda: 1, Alpha: 20, Iterations: 3, Seed: 1}
	r, err := NewRun(s, set, s.Held())
	require.NoError(t, err)
	require.NoError(t, r.MeasurePanelSizes())
	require.Len(t, r.PanelSizes, len(panelShares))
	smallest := r.PanelSizes[0]
	require.Less(t, smallest.Members, collab.DefaultMinMembers)
	require.Nil(t, smallest.Result, "a panel of %d members teaches nothing", smallest.Members)
}
