package rank

import (
	"cmp"
	"math"

	"github.com/hearth-dev/hearth/core/internal/sortx"
)

// best returns the personal list's pool (poolSize candidates, best first,
// with their scores) as scoring every candidate would, but stops early and
// skips dot products. It visits the items by popularity, highest first.
// With the heap full, an item whose score cannot reach the pool's floor is
// out, and so is every later one when even the largest score the item's
// popularity allows (freshness 1, topic score 1, similarity 1) cannot: only
// the popular head of the catalogue is scored. Of the rest, an item whose
// score without its similarity term plus the largest that term can be stays
// under the floor is out without its dot product. With the default weights
// (popularity 1 beside 0.1 to 0.2 for the others) this scores under a fifth
// of the items, and computes a dot product for a seventh. The reference in
// tests/browserbench scores every item.
//
// Any visiting order gives the same pool: topK keeps the best by score,
// ties to the lower index, whatever the order of its pushes. The bounds
// lean on score's shape, a weighted sum of freshness and popularity in
// [0, 1], a topic score in [−1, 1] and a cosine, with the similarity term the
// only one using the user vector; TestState_Best checks that best and pool
// (the plain computation, in the test) agree.
func (s *state) best(count int) ([]int, []float32) {
	e := s.e
	h := newTopK(poolSize(count, e.n))
	user := s.user
	// Room for rounding: a computed cosine can exceed 1 by a few ulps, and
	// every sum rounds; 1e-4 and 1e-5 are far more than float32's relative
	// 6e-8 on each term.
	simMax := float64(abs(s.w.Similarity)) * (1 + 1e-4)
	others := float64(abs(s.w.Freshness)) + float64(abs(s.w.Topic)) + simMax
	wp := float64(s.w.Popularity)
	noFloor := float32(math.Inf(-1))
	for _, i32 := range e.byPop {
		i := int(i32)
		if h.floor > noFloor && wp >= 0 {
			if most := wp*float64(e.pop[i]) + others; most+(math.Abs(most)+1)*1e-5 < float64(h.floor) {
				break
			}
		}
		if !s.candidate(i) {
			continue
		}
		if user != nil && e.inv[i] != 0 && h.floor > noFloor {
			s.user = nil
			rest := float64(s.score(i))
			s.user = user
			if rest+simMax+(math.Abs(rest)+simMax+1)*1e-5 < float64(h.floor) {
				continue
			}
		}
		h.push(s.score(i), i)
	}
	return h.sorted()
}

// popularityOrder returns the item indices by popularity, highest first.
func popularityOrder(pop []float32) []int32 {
	// Sorted as hists, the shape history sorts, so that no other
	// instantiation of the sort is linked into the engine.
	hs := make([]hist, len(pop))
	for i, p := range pop {
		hs[i] = hist{item: i, weight: p}
	}
	sortx.StableFunc(hs, func(a, b hist) int { return cmp.Compare(b.weight, a.weight) })
	out := make([]int32, len(hs))
	for k, h := range hs {
		out[k] = int32(h.item)
	}
	return out
}
