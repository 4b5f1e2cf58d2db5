package rank

import (
	"math"

	"github.com/hearth-dev/hearth/core/internal/chunk"
)

// noFloor is a topK's floor before it is full.
var noFloor = float32(math.Inf(-1))

// best returns the personal list's pool (poolSize candidates, best first,
// with their scores) as scoring every candidate would; see top.
func (s *state) best(count int) ([]int, []float32) {
	return s.top(&s.scoreMix, poolSize(count, s.e.n), offerAll)
}

// Which candidates top offers.
const (
	offerAll        = iota // every candidate
	offerUnpinned          // those the publisher did not pin
	offerUnexplored        // those the reader has shown no interest in (unexplored)
)

// top returns the k best candidates (of those only says) under weights m,
// best first, with their scores, as scoring every candidate would, but
// stops early and skips dear terms. In related mode the scores are related
// scores (scoreBatch), which the terms' bounds do not bound: then top
// scores every candidate, in catalogue order (the items' vectors in memory
// order: in popularity order related mode took five times as long at
// 100,000 items). It visits the
// items by the column of the order term (popularity), highest first. With
// the heap full, an item whose score cannot reach the pool's floor is out,
// and so is every later one when even the largest score the item's order
// value allows (every other term at its bound) cannot: only the popular
// head of the catalogue is scored. Of the rest, an item whose score
// without its dear terms (the similarity's dot product) plus the largest
// those can be stays under the floor is out without them. With the default
// weights (popularity 1 beside 0.1 to 0.2 for the others) the personal
// pool scores under a fifth of the items, and computes a dot product for a
// seventh. The reference in tests/browserbench scores every item.
//
// Any visiting order gives the same pool: topK keeps the best by score,
// ties to the lower index, whatever the order of its pushes. The bounds
// are the terms' (term.bound); TestState_Best checks that top and pool
// (the plain computation, in the test) agree. Items are scored a batch at
// a time, with the floor as it was when the batch began: a floor only
// rises, so an older one skips less, never more.
func (s *state) top(m *weights, k int, only int) ([]int, []float32) {
	e := s.e
	h := newTopK(k)
	// Room for rounding: a computed cosine can exceed its bound by a few
	// ulps, and every sum rounds; 1e-4 and 1e-5 are far more than
	// float32's relative 6e-8 on each term.
	var others, dearMax, ord float64
	var col []float32
	cheap, hasDear := *m, false
	for tk, mw := range m {
		t, w := &terms[tk], float64(abs(mw))
		switch {
		case mw == 0:
			continue
		case tk == orderTerm:
			ord, col = float64(mw), e.orderColumn()
		case t.dear:
			dearMax += w * float64(t.bound) * (1 + 1e-4)
		default:
			others += w * float64(t.bound)
		}
		if t.dear {
			cheap[tk], hasDear = 0, true
		}
	}
	others += dearMax
	related := s.relatedMode
	if related {
		ord, hasDear = -1, false
	}
	b := &s.batch
	for next := 0; next < e.n; {
		floor := h.floor
		stop := false
		for ; next < e.n && b.n < batchSize; next++ {
			i := int32(next)
			if !related {
				i = e.byPop[next]
			}
			if floor > noFloor && ord >= 0 {
				most := others
				if col != nil {
					most += ord * float64(col[i])
				}
				if most+(math.Abs(most)+1)*1e-5 < float64(floor) {
					stop = true
					break
				}
			}
			if s.candidate(int(i)) && (only != offerUnpinned || !bit(e.isPinned, int(i))) && (only != offerUnexplored || s.unexplored(int(i))) {
				b.idx[b.n] = i
				b.n++
			}
		}
		if hasDear && floor > noFloor {
			idx := b.idx[:b.n]
			s.sum(&cheap, idx, s.rest[:])
			n := 0
			for j, i := range idx {
				if r := float64(s.rest[j]); r+dearMax+(math.Abs(r)+dearMax+1)*1e-5 >= float64(floor) {
					b.idx[n] = i
					n++
				}
			}
			b.n = n
		}
		s.offer(h, m, b)
		if stop {
			break
		}
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
	// The keys are taken from pop in every pass rather than kept beside
	// the indices: two arrays of n less at the load's peak of memory.
	idx, ti := make([]int32, n), make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	for shift := 0; shift < 32; shift += 8 {
		var at [257]int
		chunk.Each(n, func(lo, hi int) { countDigits(pop, idx[lo:hi], shift, &at) })
		for b := 1; b < len(at); b++ {
			at[b] += at[b-1]
		}
		// Each pass is stable, so ties keep catalogue order.
		chunk.Each(n, func(lo, hi int) { scatter(pop, idx[lo:hi], ti, shift, &at) })
		idx, ti = ti, idx
	}
	return idx
}

// popKey is popularity p as a key that sorts highest first: its inverted
// bits, −0 as 0.
func popKey(p float32) uint32 {
	if p == 0 {
		p = 0
	}
	return ^math.Float32bits(p)
}

// countDigits counts the items by their key's byte at shift, in
// at[byte+1].
//
//go:noinline
func countDigits(pop []float32, idx []int32, shift int, at *[257]int) {
	for _, i := range idx {
		at[popKey(pop[i])>>shift&0xff+1]++
	}
}

// scatter moves each item to its key's byte's next place in to.
//
//go:noinline
func scatter(pop []float32, idx, to []int32, shift int, at *[257]int) {
	for _, i := range idx {
		d := popKey(pop[i]) >> shift & 0xff
		to[at[d]] = i
		at[d]++
	}
}
