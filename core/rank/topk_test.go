package rank

import (
	"cmp"
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
