package rank

import (
	"cmp"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTopK(t *testing.T) {
	rng := newRNG(3)
	scores := make([]float32, 500)
	for k := range scores {
		scores[k] = float32(rng.intn(50)) // many ties
	}
	order := make([]int, len(scores))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	for _, k := range []int{0, 1, 7, 60, 500, 600} {
		t.Run("", func(t *testing.T) {
			h := newTopK(k)
			for i, s := range scores {
				h.push(s, i)
			}
			got, gotScores := h.sorted()
			want := order[:min(k, len(order))]
			require.Equal(t, len(want), len(got))
			if len(want) > 0 {
				require.Equal(t, want, got, "best first, ties to the lower index")
				require.Equal(t, scores[want[0]], gotScores[0])
			}
		})
	}
}

// TestTopK_NaN checks that a NaN score never enters the heap: it compares
// false with everything, so at the root it stayed the minimum and later
// pushes replaced it, breaking the order (a NaN-scored item ranked first).
func TestTopK_NaN(t *testing.T) {
	nan := float32(math.NaN())
	scores := []float32{0.5, nan, 0.9, 0.1, nan, 0.7, 0.3, nan, 0.8}
	for _, k := range []int{1, 3, 5, 9} {
		h := newTopK(k)
		for i, s := range scores {
			h.push(s, i)
		}
		got, gotScores := h.sorted()
		want := []int{2, 8, 5, 0, 6, 3}[:min(k, 6)]
		require.Equal(t, want, got, "k=%d", k)
		for _, s := range gotScores {
			require.False(t, math.IsNaN(float64(s)))
		}
	}
}
