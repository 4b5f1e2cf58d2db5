package rank

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
)

// gaussSolve solves a dense system by Gaussian elimination with partial
// pivoting: an independent check of the fold-in.
func gaussSolve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for col := range n {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			for k := col; k < n; k++ {
				a[r][k] -= f * a[col][k]
			}
			b[r] -= f * b[col]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x
}

func TestEngine_FoldIn(t *testing.T) {
	c := withGram(fixture(t), 0.5)
	e := New(c)
	hs := []hist{
		{item: idx(t, c, "go-generics"), weight: 1},
		{item: idx(t, c, "wasm-gc"), weight: 2},
		{item: idx(t, c, "cook-bread"), weight: -2},
	}
	got := e.foldIn(hs)
	require.Len(t, got, c.Dim)

	// The same formula, written out densely.
	d := c.Dim
	a := make([][]float64, d)
	for r := range d {
		a[r] = make([]float64, d)
		for k := range d {
			a[r][k] = float64(c.Gram[r*d+k])
		}
		a[r][r] += 0.5
	}
	b := make([]float64, d)
	for _, h := range hs {
		cf := 1 + alsAlpha*math.Abs(float64(h.weight))
		y := e.row(h.item, make([]float32, d))
		for r := range d {
			for k := range d {
				a[r][k] += (cf - 1) * float64(y[r]) * float64(y[k])
			}
			if h.weight > 0 {
				b[r] += cf * float64(y[r])
			}
		}
	}
	want := gaussSolve(a, b)
	var norm float64
	for _, v := range want {
		norm += v * v
	}
	norm = math.Sqrt(norm)
	for k := range want {
		require.InDelta(t, want[k]/norm, got[k], 1e-4)
	}

	require.Nil(t, e.foldIn([]hist{{item: 0, weight: -1}}), "no positive item: no vector")
}

// TestRecentFactors checks the fold-in's lean on the latest moments:
// events at one time count alike, and each later change of time in the
// log's order multiplies an event's factor by 2^(−1/RecentMoments).
func TestRecentFactors(t *testing.T) {
	step := math.Exp2(-1.0 / RecentMoments)
	got := RecentFactors([]int64{10, 20, 30, 30, 50, 50})
	want := []float64{step * step * step, step * step, step, step, 1, 1}
	require.InDeltaSlice(t, want, got, 1e-12)
	require.InDeltaSlice(t, []float64{1}, RecentFactors([]int64{7}), 0)
	require.Empty(t, RecentFactors(nil))
}

// TestHistory_fold checks that the fold-in's weights lean on the latest
// moments while the history's own weights (the mean vector, explanations
// and the history's order) do not: an item read twice, long ago and last,
// sums both events' factors. A catalogue without learned vectors gets none.
func TestHistory_fold(t *testing.T) {
	c := withGram(fixture(t), 0.5)
	e := New(c)
	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	base := now.Unix()
	for k, id := range []string{"go-generics", "go-modules", "wasm-gc", "go-modules"} {
		_, err := p.Track(c, profile.Event{Item: id, Kind: profile.Like}, base+int64(k))
		require.NoError(t, err)
	}
	hs := history(e, p, base+3)
	byID := map[string]hist{}
	for _, h := range hs {
		byID[c.Items[h.item].ID] = h
	}
	step := float32(math.Exp2(-1.0 / RecentMoments))
	for id, later := range map[string]int{"go-generics": 3, "wasm-gc": 1} {
		h := byID[id]
		require.InDelta(t, h.weight*float32(math.Pow(float64(step), float64(later))), h.fold, 1e-4, id)
	}
	modules := byID["go-modules"]
	require.InDelta(t, modules.weight/2*(step*step+1), modules.fold, 1e-4, "go-modules, read at moments 2 and 4")
	require.Greater(t, byID["wasm-gc"].fold, byID["go-generics"].fold)
	for _, h := range history(New(fixture(t)), p, base+3) {
		require.Zero(t, h.fold, "without learned vectors nothing is folded in")
	}
}

func TestEngine_MeanVector(t *testing.T) {
	c := fixture(t)
	e := New(c)
	a, b := idx(t, c, "go-generics"), idx(t, c, "cook-bread")
	u := e.meanVector([]hist{{item: a, weight: 1}, {item: b, weight: -1}})
	require.Len(t, u, c.Dim)
	var n float64
	for _, v := range u {
		n += float64(v) * float64(v)
	}
	require.InDelta(t, 1, n, 1e-5)
	require.Greater(t, e.dotRow(u, a), float32(0))
	require.Less(t, e.dotRow(u, b), float32(0))
	require.Nil(t, e.meanVector(nil))
}

// dot4 is the scoring loops' order of summation: four accumulators in turn,
// the elements after the last full four into the first, then (s0+s1)+(s2+s3).
func dot4(a, b []float32) float32 {
	var s [4]float32
	k := 0
	for ; k+4 <= len(a); k += 4 {
		for j := range 4 {
			s[j] += a[k+j] * b[k+j]
		}
	}
	for ; k < len(a); k++ {
		s[0] += a[k] * b[k]
	}
	return (s[0] + s[1]) + (s[2] + s[3])
}

// TestEngine_dot checks that the products over the quantised rows (dotRow's
// 16-step loop, dotItems) are bit for bit dot4 over the rows expanded to
// float32 as the catalogue defines them, for every dimension up to 70, so
// that keeping the rows quantised changed no score.
func TestEngine_dot(t *testing.T) {
	r := newRNG(9)
	for d := 1; d <= 70; d++ {
		c := &catalog.Catalogue{Version: catalog.FormatVersion, Dim: d, Generated: now.Unix()}
		for i := range 3 {
			v := make([]byte, d)
			for k := range v {
				v[k] = byte(r.next())
			}
			c.Items = append(c.Items, catalog.Item{ID: string(rune('a' + i)), URL: "/x", Title: "x", Vector: v, Scale: r.float32() + 1e-3})
		}
		require.NoError(t, c.Validate())
		e := New(c)
		a := make([]float32, d)
		for k := range a {
			a[k] = r.float32()*2 - 1
		}
		row := func(i int) []float32 {
			out := make([]float32, d)
			for k, b := range c.Items[i].Vector {
				out[k] = float32(int8(b)) * c.Items[i].Scale
			}
			return out
		}
		require.Equal(t, row(1), e.row(1, make([]float32, d)), "d=%d", d)
		require.Equal(t, dot4(a, row(1)), e.dotRow(a, 1), "d=%d", d)
		require.Equal(t, dot4(row(0), row(2)), e.dotItems(0, 2), "d=%d", d)
	}
}
