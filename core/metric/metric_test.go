package metric

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func set(ids ...string) map[string]bool {
	m := make(map[string]bool)
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func TestHitRate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ranked []string
		rel    map[string]bool
		k      int
		want   float64
	}{
		{"first", []string{"a", "b"}, set("a"), 10, 1},
		{"beyond k", []string{"a", "b", "c"}, set("c"), 2, 0},
		{"at k", []string{"a", "b", "c"}, set("c"), 3, 1},
		{"none relevant", []string{"a"}, set(), 10, 0},
		{"empty list", nil, set("a"), 10, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, HitRate(tc.ranked, tc.rel, tc.k))
		})
	}
}

func TestNDCG(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ranked []string
		rel    map[string]bool
		k      int
		want   float64
	}{
		{"first of one", []string{"a", "b"}, set("a"), 10, 1},
		{"second of one", []string{"a", "b"}, set("b"), 10, 1 / math.Log2(3)},
		{"both of two", []string{"b", "a", "c"}, set("a", "b"), 10, 1},
		{"one of two at rank 1", []string{"a", "c"}, set("a", "b"), 10, 1 / (1 + 1/math.Log2(3))},
		{"ideal capped at k", []string{"a"}, set("a", "b", "c"), 1, 1},
		{"beyond k", []string{"x", "a"}, set("a"), 1, 0},
		{"nothing relevant", []string{"a"}, set(), 10, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, NDCG(tc.ranked, tc.rel, tc.k), 1e-12)
		})
	}
}

func TestCoverage(t *testing.T) {
	lists := [][]int{{1, 2, 3}, {2, 4}, {5}}
	require.InDelta(t, 4.0/10, Coverage(lists, 10, 2), 1e-12)
	require.InDelta(t, 5.0/10, Coverage(lists, 10, 3), 1e-12)
	require.Zero(t, Coverage(lists, 0, 3))
}

func TestIntraListDiversity(t *testing.T) {
	topics := map[int][]string{1: {"a"}, 2: {"a"}, 3: {"b"}, 4: {"a", "b"}}
	dist := func(x, y int) float64 { return Jaccard(topics[x], topics[y]) }
	for _, tc := range []struct {
		name string
		list []int
		k    int
		want float64
	}{
		{"same topics", []int{1, 2}, 10, 0},
		{"disjoint", []int{1, 3}, 10, 1},
		{"mixed", []int{1, 3, 4}, 10, (1 + 0.5 + 0.5) / 3},
		{"cut at k", []int{1, 2, 3}, 2, 0},
		{"single", []int{1}, 10, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, IntraListDiversity(tc.list, tc.k, dist), 1e-12)
		})
	}
}

func TestJaccard(t *testing.T) {
	require.Zero(t, Jaccard([]int{}, []int{}))
	require.Equal(t, 1.0, Jaccard([]int{1}, []int{}))
	require.InDelta(t, 1-1.0/3, Jaccard([]int{1, 2}, []int{2, 3}), 1e-12)
}

func TestTopTopics(t *testing.T) {
	hist := [][]string{{"drama"}, {"comedy", "drama"}, {"war"}, {"comedy"}, {"drama"}}
	require.Equal(t, []string{"drama", "comedy"}, TopTopics(hist, 2))
	require.Equal(t, []string{"drama", "comedy", "war"}, TopTopics(hist, 5))
	// Ties keep first-seen order.
	require.Equal(t, []string{"x", "y"}, TopTopics([][]string{{"x"}, {"y"}}, 2))
}

func TestOutsideShare(t *testing.T) {
	topics := map[int][]string{1: {"drama"}, 2: {"comedy", "war"}, 3: {"war"}, 4: nil}
	of := func(i int) []string { return topics[i] }
	top := []string{"drama", "comedy"}
	require.InDelta(t, 0.5, OutsideShare([]int{1, 2, 3, 4}, 10, of, top), 1e-12)
	require.Zero(t, OutsideShare([]int{1, 2, 3}, 2, of, top))
	require.Zero(t, OutsideShare(nil, 10, of, top))
}

func TestBootstrap(t *testing.T) {
	values := make([]float64, 400)
	for i := range values {
		values[i] = float64(i % 2) // mean 0.5, sd 0.5, se 0.025
	}
	iv := Bootstrap(values, 2000, 0.95, 7)
	require.InDelta(t, 0.5, iv.Mean, 1e-12)
	require.True(t, iv.Contains(0.5))
	require.InDelta(t, 0.5-1.96*0.025, iv.Lo, 0.01)
	require.InDelta(t, 0.5+1.96*0.025, iv.Hi, 0.01)
	require.Equal(t, iv, Bootstrap(values, 2000, 0.95, 7), "same seed, same interval")
	other := Bootstrap(values, 2000, 0.95, 8)
	require.Equal(t, iv.Mean, other.Mean)
	require.InDelta(t, iv.Lo, other.Lo, 0.01, "another seed, nearly the same interval")
}

func TestPairedBootstrap(t *testing.T) {
	// b is a plus noise shared by both: the difference is a constant 0.1,
	// so the paired interval is tight although each sample varies widely.
	a := make([]float64, 300)
	b := make([]float64, 300)
	for i := range a {
		a[i] = float64(i%7) / 7
		b[i] = a[i] - 0.1
	}
	iv := PairedBootstrap(a, b, 500, 0.95, 1)
	require.InDelta(t, 0.1, iv.Mean, 1e-12)
	require.InDelta(t, 0.1, iv.Lo, 1e-9)
	require.InDelta(t, 0.1, iv.Hi, 1e-9)
	require.Panics(t, func() { PairedBootstrap(a, b[:3], 10, 0.95, 1) })

	empty := PairedBootstrap(nil, nil, 100, 0.95, 1)
	require.Zero(t, empty.Mean)
}
