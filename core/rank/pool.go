package rank

import "math"

// best is pool (score.go) with the similarity term bounded: it returns the
// same candidates and scores, but skips the dot product of an item that
// cannot enter the pool. With the heap full, an item whose score without
// its similarity term plus the largest that term can be, |w|·1 (the cosine
// of unit vectors), stays under the pool's floor is out. With the default
// weights (similarity 0.1 beside popularity 1) most items are out after a
// few hundred, and the scoring loop is mostly the cheap terms: under
// WebAssembly (Node 20, a loaded machine) 1,000 items 120 -> 80 µs, 10,000
// 1.0 -> 0.6 ms. The reference in tests/browserbench scores every item.
//
// The bound leans on score's shape, a sum in which the similarity term is
// the only one that uses the user vector; TestState_Best checks that best
// and pool agree.
func (s *state) best(count int) ([]int, []float32) {
	e := s.e
	h := newTopK(poolSize(count, e.n))
	user := s.user
	// The largest similarity term, with room for the rounding of the dot
	// product (a computed cosine can exceed 1 by a few ulps) and of the
	// sums: far more than float32's relative 6e-8 on every term.
	simMax := float64(abs(s.w.Similarity)) * (1 + 1e-4)
	for i := range e.n {
		if !s.candidate(i) {
			continue
		}
		if user != nil && e.inv[i] != 0 && h.floor > float32(math.Inf(-1)) {
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
