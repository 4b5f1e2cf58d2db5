package rank

import "math"

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

// popularityOrder returns the item indices by popularity, highest first,
// ties in catalogue order. A validated popularity is in [0, 1], where a
// float's bits order as its values do, so a radix sort on the inverted bits
// orders them in four linear passes of 8 bits. It runs once per catalogue,
// in code the browser has not optimised yet: the stable comparison sort it
// replaced took about 25 ms of the first load at 10,000 items.
func popularityOrder(pop []float32) []int32 {
	n := len(pop)
	key, idx := make([]uint32, n), make([]int32, n)
	for i, p := range pop {
		if p == 0 {
			p = 0 // −0 sorts as 0
		}
		key[i], idx[i] = ^math.Float32bits(p), int32(i)
	}
	tk, ti := make([]uint32, n), make([]int32, n)
	for shift := 0; shift < 32; shift += 8 {
		var at [257]int
		for _, k := range key {
			at[k>>shift&0xff+1]++
		}
		for b := 1; b < len(at); b++ {
			at[b] += at[b-1]
		}
		// Each pass is stable, so ties keep catalogue order.
		for j, k := range key {
			d := k >> shift & 0xff
			tk[at[d]], ti[at[d]] = k, idx[j]
			at[d]++
		}
		key, tk, idx, ti = tk, key, ti, idx
	}
	return idx
}
