package rank

// diversify picks count items from pool (best first, with their scores) by maximal marginal
// relevance: each step takes the item maximising
//
//	(1−λ)·relevance − λ·(highest similarity to an item already taken, ≥ 0)
//
// with relevance the pool score rescaled to [0, 1] and similarity the
// larger of the items' vector and topic cosines, skipping items whose
// section has reached its cap. λ = 0 keeps the score order.
func (s *state) diversify(pool []int, scores []float32, count int, lambda float32) []int {
	e := s.e
	rel := make([]float32, len(pool))
	lo, hi := float32(0), float32(0)
	for k := range pool {
		rel[k] = scores[k]
		if k == 0 || rel[k] < lo {
			lo = rel[k]
		}
		if k == 0 || rel[k] > hi {
			hi = rel[k]
		}
	}
	for k := range rel {
		if hi > lo {
			rel[k] = (rel[k] - lo) / (hi - lo)
		} else {
			rel[k] = 1
		}
	}
	maxSim := make([]float32, len(pool))
	taken := make([]bool, len(pool))
	caps := newSectionCount(e)
	out := make([]int, 0, count)
	for len(out) < count {
		best, bestVal := -1, float32(0)
		for k, i := range pool {
			if taken[k] || caps.full(i) {
				continue
			}
			val := (1-lambda)*rel[k] - lambda*maxSim[k]
			if best < 0 || val > bestVal {
				best, bestVal = k, val
			}
		}
		if best < 0 {
			break
		}
		taken[best] = true
		chosen := pool[best]
		out = append(out, chosen)
		caps.add(chosen)
		for k, i := range pool {
			if !taken[k] {
				// An item repeats one taken as much as the closer of their
				// vectors and their topics: the vectors' likeness (of words,
				// or of who read them) can miss the sameness readers see in
				// topics, the "more of the same" a filter bubble is made of.
				// Opposite is no more different than unrelated: a negative
				// similarity must not earn a bonus. Without both vectors
				// itemSim is the topic cosine itself.
				sim := e.itemSim(chosen, i)
				if e.inv[chosen] != 0 && e.inv[i] != 0 {
					sim = max(sim, e.topicSim(chosen, i))
				}
				if sim > maxSim[k] {
					maxSim[k] = sim
				}
			}
		}
	}
	return out
}

// sectionCount counts the items of each capped section in a list.
type sectionCount struct {
	e    *Engine
	used map[int32]int32
}

func newSectionCount(e *Engine) sectionCount { return sectionCount{e: e, used: map[int32]int32{}} }

func (c sectionCount) full(i int) bool {
	s := c.e.sec[i]
	limit := c.e.secCap[s]
	return limit > 0 && c.used[s] >= limit
}

func (c sectionCount) add(i int) { c.used[c.e.sec[i]]++ }
