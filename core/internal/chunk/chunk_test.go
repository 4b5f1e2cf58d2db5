package chunk

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEach covers every item once, in order, in calls of at most Size.
func TestEach(t *testing.T) {
	for _, n := range []int{0, 1, Size - 1, Size, Size + 1, 3*Size + 7} {
		next, calls := 0, 0
		Each(n, func(lo, hi int) {
			require.Equal(t, next, lo, "n=%d: in order, nothing skipped", n)
			require.Greater(t, hi, lo)
			require.LessOrEqual(t, hi-lo, Size)
			next, calls = hi, calls+1
		})
		require.Equal(t, n, next, "n=%d: every item", n)
		require.Equal(t, (n+Size-1)/Size, calls)
	}
}
