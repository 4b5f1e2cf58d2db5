package rank

import "math"

// topK keeps the k best (score, index) pairs seen in a min-heap, so
// selecting from n candidates costs O(n log k) and no allocation per
// candidate. Ties go to the lower index, which keeps results deterministic.
type topK struct {
	k     int
	score []float32
	idx   []int32
	// floor is the minimum score once the heap is full (−∞ before, +∞
	// when k = 0): a candidate scoring below it is out.
	floor float32
}

func newTopK(k int) *topK {
	h := &topK{k: k, score: make([]float32, 0, k), idx: make([]int32, 0, k), floor: float32(math.Inf(-1))}
	if k == 0 {
		h.floor = float32(math.Inf(1))
	}
	return h
}

// less reports whether entry a ranks below entry b.
func (h *topK) less(a, b int) bool {
	if h.score[a] != h.score[b] {
		return h.score[a] < h.score[b]
	}
	return h.idx[a] > h.idx[b]
}

// push offers a candidate. Its test against the heap's minimum is small
// enough to be inlined into the scoring loops, where most candidates fail
// it: a call per candidate is dear under WebAssembly. It refuses a NaN
// score, which compares false with everything: in the heap it would stay
// at the root as its minimum, and every later push would replace it,
// breaking the heap's order.
func (h *topK) push(score float32, i int) {
	if !(score >= h.floor) {
		return
	}
	h.add(score, i)
}

// add is push's slow path: it fills the heap, or replaces its minimum by a
// candidate that ranks above it.
func (h *topK) add(score float32, i int) {
	if h.k == 0 {
		return
	}
	if len(h.score) < h.k {
		h.score = append(h.score, score)
		h.idx = append(h.idx, int32(i))
		h.up(len(h.score) - 1)
	} else {
		if score < h.score[0] || (score == h.score[0] && int32(i) > h.idx[0]) {
			return
		}
		h.score[0], h.idx[0] = score, int32(i)
		h.down(0)
	}
	if len(h.score) == h.k {
		h.floor = h.score[0]
	}
}

func (h *topK) up(j int) {
	for j > 0 {
		parent := (j - 1) / 2
		if !h.less(j, parent) {
			return
		}
		h.swap(j, parent)
		j = parent
	}
}

func (h *topK) down(j int) {
	n := len(h.score)
	for {
		small := j
		if l := 2*j + 1; l < n && h.less(l, small) {
			small = l
		}
		if r := 2*j + 2; r < n && h.less(r, small) {
			small = r
		}
		if small == j {
			return
		}
		h.swap(j, small)
		j = small
	}
}

func (h *topK) swap(a, b int) {
	h.score[a], h.score[b] = h.score[b], h.score[a]
	h.idx[a], h.idx[b] = h.idx[b], h.idx[a]
}

// sorted returns the kept indices and their scores, best first, emptying
// the heap.
func (h *topK) sorted() ([]int, []float32) {
	out := make([]int, len(h.score))
	scores := make([]float32, len(h.score))
	for k := len(out) - 1; k >= 0; k-- {
		out[k], scores[k] = int(h.idx[0]), h.score[0]
		last := len(h.score) - 1
		h.swap(0, last)
		h.score, h.idx = h.score[:last], h.idx[:last]
		h.down(0)
	}
	return out, scores
}
