package bridge

import (
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzSortStable: sortStable leaves every interest, tied ones included,
// where slices.SortStableFunc leaves it.
func FuzzSortStable(f *testing.F) {
	f.Add([]byte{3, 1, 2, 1, 3})
	f.Add(slices.Repeat([]byte{9, 4, 7, 1, 1, 0, 3, 8, 2, 6, 5}, 30))
	f.Fuzz(func(t *testing.T, b []byte) {
		want := make([]Interest, len(b))
		for i, c := range b {
			want[i] = Interest{Topic: strconv.Itoa(i), Weight: float32(c % 4)}
		}
		got := slices.Clone(want)
		slices.SortStableFunc(want, heaviestFirst)
		sortStable(got, heaviestFirst)
		require.Equal(t, want, got)
	})
}
