package collab

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// clusters are 2×20 items; cluster(i) = i / 20.
const clusterSize = 20

func cluster(i int) int { return i / clusterSize }

// clusteredTransitions has readers go to an item of the same cluster nine
// times in ten.
func clusteredTransitions(seed uint64) []Transition {
	rng := rand.New(rand.NewPCG(seed, 1))
	var out []Transition
	for range 3000 {
		from := rng.IntN(2 * clusterSize)
		to := cluster(from)*clusterSize + rng.IntN(clusterSize)
		if rng.Float64() < 0.1 {
			to = rng.IntN(2 * clusterSize)
		}
		out = append(out, Transition{From: from, To: to, Count: float64(1 + rng.IntN(5))})
	}
	return out
}

// clusteredPanel has 200 members who each interact with 8 items, all but
// one of their own cluster.
func clusteredPanel(seed uint64) []Interaction {
	rng := rand.New(rand.NewPCG(seed, 2))
	var out []Interaction
	for u := range 200 {
		c := u % 2
		for k := range 8 {
			i := c*clusterSize + rng.IntN(clusterSize)
			if k == 0 {
				i = rng.IntN(2 * clusterSize)
			}
			out = append(out, Interaction{User: u, Item: i, Time: int64(k)})
		}
	}
	return out
}

func cosine(a, b []float32) float64 {
	var d, na, nb float64
	for k := range a {
		d += float64(a[k]) * float64(b[k])
		na += float64(a[k]) * float64(a[k])
		nb += float64(b[k]) * float64(b[k])
	}
	return d / math.Sqrt(na*nb)
}

// requireClustered checks that every item's nearest item is in its
// cluster and that same-cluster pairs are on average far closer than
// cross-cluster ones.
func requireClustered(t *testing.T, f *Factors) {
	t.Helper()
	n := 2 * clusterSize
	var same, cross float64
	for i := range n {
		require.NotNil(t, f.Y[i], "item %d has a factor", i)
		best, bestSim := -1, math.Inf(-1)
		for j := range n {
			if j == i {
				continue
			}
			s := cosine(f.Y[i], f.Y[j])
			if cluster(i) == cluster(j) {
				same += s
			} else {
				cross += s
			}
			if s > bestSim {
				best, bestSim = j, s
			}
		}
		require.Equal(t, cluster(i), cluster(best), "item %d's nearest item %d is in its cluster", i, best)
	}
	same /= float64(n * (clusterSize - 1))
	cross /= float64(n * clusterSize)
	t.Logf("mean cosine within clusters %.3f, across %.3f", same, cross)
	require.Greater(t, same, cross+0.5)
}

func TestTransitions_Clusters(t *testing.T) {
	f, err := Transitions(clusteredTransitions(1), 2*clusterSize, Options{Dim: 8})
	require.NoError(t, err)
	require.Equal(t, 8, f.Dim)
	require.EqualValues(t, DefaultLambdaTransit, f.Lambda)
	requireClustered(t, f)
	requireGram(t, f)
}

func TestALS_Clusters(t *testing.T) {
	f, err := ALS(clusteredPanel(1), 2*clusterSize, Options{Dim: 8})
	require.NoError(t, err)
	require.EqualValues(t, DefaultLambda, f.Lambda)
	requireClustered(t, f)
	requireGram(t, f)
}

func TestTrain_Both(t *testing.T) {
	f, err := Train(clusteredPanel(1), clusteredTransitions(2), 2*clusterSize+1, Options{Dim: 8, Lambda: 20})
	require.NoError(t, err)
	requireClustered(t, f)
	require.Nil(t, f.Y[2*clusterSize], "an item no data names has no factor")
	require.Equal(t, 2*clusterSize, f.Covered())
	require.EqualValues(t, 20, f.Lambda)
}

// requireGram checks Gram = YᵀY.
func requireGram(t *testing.T, f *Factors) {
	t.Helper()
	d := f.Dim
	require.Len(t, f.Gram, d*d)
	for a := range d {
		for b := range d {
			var s float64
			for _, y := range f.Y {
				if y != nil {
					s += float64(y[a]) * float64(y[b])
				}
			}
			require.InDelta(t, s, f.Gram[a*d+b], 1e-3*math.Max(1, math.Abs(s)))
		}
	}
}

// TestTrain_MinMembers: the panel teaches an item's vector only when
// MinMembers members have it; rarer items learn from the transitions, or
// not at all, and are counted.
func TestTrain_MinMembers(t *testing.T) {
	panel := clusteredPanel(1)
	members := map[int]map[int]bool{}
	for _, x := range panel {
		if members[x.Item] == nil {
			members[x.Item] = map[int]bool{}
		}
		members[x.Item][x.User] = true
	}
	// Item 0 is made rare: one member alone has it.
	rare := 0
	kept := panel[:0:0]
	for _, x := range panel {
		if x.Item != rare || x.User == panel[0].User {
			kept = append(kept, x)
		}
	}
	kept = append(kept, Interaction{User: panel[0].User, Item: rare})
	few := 0
	for i, m := range members {
		if i != rare && len(m) < 3 {
			few++
		}
	}
	f, err := ALS(kept, 2*clusterSize, Options{Dim: 8, MinMembers: 3})
	require.NoError(t, err)
	require.Nil(t, f.Y[rare], "one member's item learns nothing from the panel")
	require.Equal(t, 1+few, f.Withheld)
	for i, m := range members {
		if i != rare && len(m) >= 3 {
			require.NotNil(t, f.Y[i], "item %d, %d members", i, len(m))
		}
	}

	// With transitions, the rare item learns from them instead.
	f, err = Train(kept, clusteredTransitions(2), 2*clusterSize, Options{Dim: 8, MinMembers: 3})
	require.NoError(t, err)
	require.NotNil(t, f.Y[rare])

	// A panel whose every item is rare teaches nothing, and says why.
	_, err = ALS([]Interaction{{User: 1, Item: 0}, {User: 1, Item: 1}}, 2, Options{})
	require.ErrorIs(t, err, ErrNoData)
	require.EqualError(t, err, "no interactions or transitions: the panel's 2 items each have fewer than 5 members")
}

func TestTrain_Deterministic(t *testing.T) {
	a, err := Transitions(clusteredTransitions(1), 2*clusterSize, Options{Dim: 4, Iterations: 3})
	require.NoError(t, err)
	b, err := Transitions(clusteredTransitions(1), 2*clusterSize, Options{Dim: 4, Iterations: 3})
	require.NoError(t, err)
	require.Equal(t, a, b)
}

func TestTrain_Errors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		panel  []Interaction
		counts []Transition
		o      Options
		want   error
	}{
		{"no data", nil, nil, Options{}, ErrNoData},
		{"negative panel floor", clusteredPanel(1), nil, Options{MinMembers: -1}, ErrOptions},
		{"only reloads", nil, []Transition{{From: 1, To: 1, Count: 3}}, Options{}, ErrNoData},
		{"item out of range", []Interaction{{User: 1, Item: 5}}, nil, Options{}, ErrItem},
		{"negative item", nil, []Transition{{From: -1, To: 1, Count: 1}}, Options{}, ErrItem},
		{"negative count", nil, []Transition{{From: 0, To: 1, Count: -1}}, Options{}, ErrInput},
		{"NaN count", nil, []Transition{{From: 0, To: 1, Count: math.NaN()}}, Options{}, ErrInput},
		{"huge count", nil, []Transition{{From: 0, To: 1, Count: 1e300}}, Options{}, ErrInput},
		{"dim too large", nil, []Transition{{From: 0, To: 1, Count: 1}}, Options{Dim: 256}, ErrOptions},
		{"negative lambda", nil, []Transition{{From: 0, To: 1, Count: 1}}, Options{Lambda: -1}, ErrOptions},
		{"infinite alpha", nil, []Transition{{From: 0, To: 1, Count: 1}}, Options{Alpha: math.Inf(1)}, ErrOptions},
		{"NaN text weight", nil, []Transition{{From: 0, To: 1, Count: 1}}, Options{TextWeight: math.NaN()}, ErrOptions},
		{"text weight too large", nil, []Transition{{From: 0, To: 1, Count: 1}}, Options{TextWeight: 1e20}, ErrOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Train(tc.panel, tc.counts, 3, tc.o)
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// TestOptions_Resolved: the defaults training uses, λ and the text weight
// by the kind of data, what a caller set kept, and invalid options refused as Train refuses them.
func TestOptions_Resolved(t *testing.T) {
	panel, err := Options{}.Resolved(true)
	require.NoError(t, err)
	require.EqualValues(t, DefaultLambda, panel.Lambda)
	require.Equal(t, DefaultMinMembers, panel.MinMembers)
	require.EqualValues(t, DefaultTextWeight, panel.TextWeight)
	transit, err := Options{}.Resolved(false)
	require.NoError(t, err)
	require.EqualValues(t, DefaultLambdaTransit, transit.Lambda)
	require.EqualValues(t, DefaultTextWeightTransit, transit.TextWeight, "the text makes up for thinner data")
	set, err := Options{Lambda: 7, TextWeight: -1, MinMembers: 2}.Resolved(false)
	require.NoError(t, err)
	require.Equal(t, Options{Lambda: 7, TextWeight: -1, MinMembers: 2}, Options{Lambda: set.Lambda, TextWeight: set.TextWeight, MinMembers: set.MinMembers})
	again, err := set.Resolved(true)
	require.NoError(t, err)
	require.Equal(t, set.Lambda, again.Lambda, "resolving twice changes nothing")
	_, err = Options{TextWeight: math.NaN()}.Resolved(true)
	require.ErrorIs(t, err, ErrOptions)
}

// lean is how much a reader u scores cluster 0's items above cluster 1's
// (the difference of their sums).
func lean(f *Factors, u []float64) float64 {
	var d float64
	for i, y := range f.Y {
		var s float64
		for k, v := range y {
			s += float64(v) * u[k]
		}
		if cluster(i) == 0 {
			d += s
		} else {
			d -= s
		}
	}
	return d
}

func TestFactors_FoldIn(t *testing.T) {
	f, err := ALS(clusteredPanel(1), 2*clusterSize, Options{Dim: 8})
	require.NoError(t, err)
	u := f.FoldIn([]int{0, 1, 2, 99}, DefaultAlpha)
	require.Len(t, u, 8)
	require.Greater(t, lean(f, u), 0.0, "a reader of cluster 0 scores its items above cluster 1's")
	require.Nil(t, f.FoldIn([]int{99}, DefaultAlpha), "no known item: no vector")
}

// TestFactors_FoldInWeighted checks that per-item confidences move the
// reader: the same items, each cluster in turn weighed up, lean to that
// cluster, and equal confidences are FoldIn.
func TestFactors_FoldInWeighted(t *testing.T) {
	f, err := ALS(clusteredPanel(1), 2*clusterSize, Options{Dim: 8})
	require.NoError(t, err)
	items := []int{0, 1, clusterSize, clusterSize + 1}
	require.Equal(t, f.FoldIn(items, DefaultAlpha), f.FoldInWeighted(items, []float64{DefaultAlpha, DefaultAlpha, DefaultAlpha, DefaultAlpha}))
	require.Greater(t, lean(f, f.FoldInWeighted(items, []float64{DefaultAlpha, DefaultAlpha, 0.1, 0.1})), 0.0)
	require.Less(t, lean(f, f.FoldInWeighted(items, []float64{0.1, 0.1, DefaultAlpha, DefaultAlpha})), 0.0)
}

func TestFactors_MapText(t *testing.T) {
	// Factors are a linear function of 6-d text vectors plus noise; a
	// third of the items have no factor and get it from their text.
	const n, dt, d = 300, 6, 4
	rng := rand.New(rand.NewPCG(1, 1))
	w := make([]float64, dt*d)
	for k := range w {
		w[k] = rng.NormFloat64()
	}
	text := make([][]float32, n+1)
	truth := make([][]float32, n)
	f := &Factors{Dim: d, Y: make([][]float32, n+1), Lambda: 1}
	for i := range n {
		text[i] = make([]float32, dt)
		for k := range text[i] {
			text[i][k] = float32(rng.NormFloat64())
		}
		truth[i] = make([]float32, d)
		for c := range d {
			s := 0.5 // intercept
			for k := range dt {
				s += float64(text[i][k]) * w[k*d+c]
			}
			truth[i][c] = float32(s + 0.1*rng.NormFloat64())
		}
		if i%3 != 0 {
			f.Y[i] = truth[i]
		}
	}
	mapped, err := f.MapText(text, 0.001)
	require.NoError(t, err)
	require.Equal(t, n/3, mapped)
	require.Equal(t, d+1, f.Dim, "one more dimension for the mapping's error")
	require.Nil(t, f.Y[n], "no text, no data: no factor")
	for i := range n {
		require.Len(t, f.Y[i], d+1)
		require.Equal(t, i%3 == 0, f.Mapped[i])
		if i%3 != 0 {
			require.Zero(t, f.Y[i][d], "learned factors have no error component")
			continue
		}
		require.InDelta(t, 0.1*math.Sqrt(d), f.Y[i][d], 0.05, "the error component is the residual's RMS")
		require.Greater(t, cosine(f.Y[i][:d], truth[i]), 0.97, "item %d is mapped near its factor", i)
	}
	requireGram(t, f)

	_, err = (&Factors{Dim: 2, Y: make([][]float32, 2)}).MapText([][]float32{{1, 2}, {1}}, 0)
	require.ErrorIs(t, err, ErrInput)
	_, err = (&Factors{Dim: 2, Y: make([][]float32, 2)}).MapText(nil, 0)
	require.ErrorIs(t, err, ErrInput)
	few := &Factors{Dim: 2, Y: [][]float32{{1, 0}, nil}}
	mapped, err = few.MapText([][]float32{{1, 0}, {0, 1}}, 0)
	require.NoError(t, err)
	require.Zero(t, mapped, "too few items to fit a map")
	require.Equal(t, 2, few.Dim)
}

// TestFactors_AppendText checks that each factor gets its item's unit text
// vector at weight × the factors' RMS length, that items without text get
// zeros and items without a factor stay without one, and that the text is
// cut to the catalogue's dimension limit.
func TestFactors_AppendText(t *testing.T) {
	// The factors share one array, as a caller's may: appending to one
	// must not write over the next.
	buf := []float32{3, 0, 0, 4, 4, 3}
	f := &Factors{Dim: 2, Y: [][]float32{buf[0:2], buf[2:4], buf[4:6], nil}}
	text := [][]float32{{0, 2, 0}, nil, {1, 1, 1}, {1, 0, 0}}
	n, err := f.AppendText(text, 0.5)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.Equal(t, 5, f.Dim)
	rms := math.Sqrt((9 + 16 + 25) / 3.0)
	require.InDeltaSlice(t, []float32{3, 0, 0, float32(0.5 * rms), 0}, f.Y[0], 1e-5)
	require.Equal(t, []float32{0, 4, 0, 0, 0}, f.Y[1], "no text: zeros")
	third := float32(0.5 * rms / math.Sqrt(3))
	require.InDeltaSlice(t, []float32{4, 3, third, third, third}, f.Y[2], 1e-5)
	require.Nil(t, f.Y[3], "no factor: none")
	requireGram(t, f)

	for _, w := range []float64{0, -1} {
		g := &Factors{Dim: 2, Y: [][]float32{{1, 0}}}
		n, err := g.AppendText([][]float32{{1}}, w)
		require.NoError(t, err)
		require.Zero(t, n, "weight %g appends nothing", w)
		require.Equal(t, 2, g.Dim)
	}
	wide := &Factors{Dim: maxDim - 2, Y: [][]float32{make([]float32, maxDim-2)}}
	wide.Y[0][0] = 1
	n, err = wide.AppendText([][]float32{{1, 2, 3, 4}}, 1)
	require.NoError(t, err)
	require.Equal(t, 2, n, "only the leading text components fit")
	require.Equal(t, maxDim, wide.Dim)
	require.InDelta(t, 1/math.Sqrt(5), wide.Y[0][maxDim-2], 1e-6)
	_, err = wide.AppendText(nil, 1)
	require.ErrorIs(t, err, ErrInput)
}

// TestRowsOf_TwoStep checks that an item's row holds the items two steps
// away in the counts (weighted by the walks the counts predict) besides
// its neighbours, and that a negative TwoStep leaves them out.
func TestRowsOf_TwoStep(t *testing.T) {
	// A path 0 → 1 → 2 → 3 among 40 items whose other pairs make every
	// pair above chance.
	counts := []Transition{{From: 0, To: 1, Count: 3}, {From: 1, To: 2, Count: 3}, {From: 2, To: 3, Count: 3}}
	for k := 10; k < 40; k += 2 {
		counts = append(counts, Transition{From: k, To: k + 1, Count: 50})
	}
	items := func(o Options) []int {
		o, err := o.withDefaults()
		require.NoError(t, err)
		rows, _, err := rowsOf(nil, counts, 40, o)
		require.NoError(t, err)
		for _, r := range rows {
			if len(r) > 0 && r[len(r)-1].item == 0 {
				var out []int
				for _, e := range r {
					out = append(out, e.item)
				}
				return out
			}
		}
		return nil
	}
	require.ElementsMatch(t, []int{1, 2, 0}, items(Options{}))
	require.ElementsMatch(t, []int{1, 0}, items(Options{TwoStep: -1}))
	_, err := Options{TwoStep: math.NaN()}.withDefaults()
	require.ErrorIs(t, err, ErrOptions)
}
