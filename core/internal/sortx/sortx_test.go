package sortx

import (
	"cmp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

type pair struct {
	key byte // few distinct keys: many ties
	pos int  // where the element started, to tell tied elements apart
}

func pairs(b []byte) []pair {
	s := make([]pair, len(b))
	for i, c := range b {
		s[i] = pair{key: c % 5, pos: i}
	}
	return s
}

func byKey(a, b pair) int { return cmp.Compare(a.key, b.key) }

// FuzzFunc: Func and StableFunc leave every element, tied ones included,
// where slices.SortStableFunc leaves it; with no ties, Func sorts as
// slices.SortFunc.
func FuzzFunc(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 1, 2})
	f.Add(slices.Repeat([]byte{9, 4, 7, 1, 1, 0, 3, 8, 2, 6, 5}, 40))
	f.Fuzz(func(t *testing.T, b []byte) {
		want, got := pairs(b), pairs(b)
		slices.SortStableFunc(want, byKey)
		Func(got, byKey)
		require.Equal(t, want, got)

		want, got = pairs(b), pairs(b)
		slices.SortStableFunc(want, byKey)
		StableFunc(got, byKey)
		require.Equal(t, want, got)

		want, got = pairs(b), pairs(b)
		slices.SortFunc(want, byKeyPos)
		Func(got, byKeyPos)
		require.Equal(t, want, got)
	})
}

// byKeyPos orders every pair: no ties.
func byKeyPos(a, b pair) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.pos, b.pos)) }

func TestFunc(t *testing.T) {
	// Long enough for the stable sort's merges, not only its insertion
	// sort, and for pdqsort's partitioning in slices.SortFunc.
	b := make([]byte, 5000)
	for i := range b {
		b[i] = byte(i*7919 + i/3)
	}
	want, got := pairs(b), pairs(b)
	slices.SortStableFunc(want, byKey)
	Func(got, byKey)
	require.Equal(t, want, got)
	slices.Reverse(want)
	got = slices.Clone(want)
	slices.SortStableFunc(want, byKey)
	StableFunc(got, byKey)
	require.Equal(t, want, got)
	want, got = pairs(b), pairs(b)
	slices.SortFunc(want, byKeyPos)
	Func(got, byKeyPos)
	require.Equal(t, want, got)
}
