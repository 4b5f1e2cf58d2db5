// Package rank orders a publisher's catalogue for one reader, on the
// reader's device.
//
// # Pipeline
//
// [Engine.Recommend] runs small stages, each in its own file and tested on
// its own: candidates (the catalogue minus what the reader read, hid or
// muted, the policy's exclusions and the current page), score (similarity
// of the reader's vector to the item's, topic-interest overlap, freshness
// and popularity priors, weighted by the policy), a top-k heap, diversify
// (maximal marginal relevance with per-section caps), explore (one seeded
// slot from a topic the reader has shown no interest in) and explain (the
// reasons shown to the reader). The score's terms are declared once, in
// the table of term.go, which every scoring path and explain read.
//
// Without a profile, with an empty one or without consent the reader gets
// the publisher's non-personal order: pinned items first, then freshness
// and popularity. Related mode ranks items similar to the current page,
// lightly personalised.
//
// # Determinism
//
// The engine reads no clock and no global randomness: the time (Unix
// seconds) and a seed are in the [Request], and the same catalogue, profile
// and request give the same list.
//
// # Example
//
//	eng := rank.New(cat) // once per catalogue
//	recs := eng.Recommend(prof, rank.Request{Count: 5, Current: "post-42", Now: now, Seed: seed})
package rank

import (
	"math"
	"slices"

	"github.com/hearth-dev/hearth/core/catalog"
)

// Engine ranks one catalogue. It is built once per catalogue, holds only
// public data, and is safe for concurrent use: Recommend does not modify it.
type Engine struct {
	cat *catalog.Catalogue
	pol catalog.Policy // with defaults
	n   int
	dim int

	// The inverse of each item's vector norm, 0 for an item without a
	// vector (or one not of Dim components). The vectors themselves are the
	// catalogue's, int8 with a scale (catalog.Item.Vector), read where they
	// are: expanding them to float32 took 25.6 MB at 100,000 items of 64
	// dimensions, which the products (row, dotRow, dotItems) avoid by
	// computing the same float32 components in the same order, so every
	// score is bit for bit what the expanded rows gave.
	inv []float32

	// Item topics in CSR form: topics of item i are topicIdx/topicW
	// [topicOff[i]:topicOff[i+1]]; topicNorm is the L2 norm of the weights.
	topicOff  []int32
	topicIdx  []uint16
	topicW    []float32
	topicInv  []float32 // 1 / Σ weights, 0 for an item without topics
	topicNorm []float32
	topicByID map[string]int

	sec    []int32 // capped section of each item (1 + its index among the caps), 0 for none
	secCap []int32 // cap per section index, 0 when uncapped

	// freshBase[i] = 2^((pub_i − freshRef)/half-life) in [0, 1], so a request
	// needs one multiplication per item instead of an exponential.
	freshBase []float64
	freshRef  int64
	freshSkew float64 // 2^(1 day/half-life): fresh's tolerance for items dated after now
	pop       []float32

	byPop []int32 // item indices by the order term's column (popularity), highest first (see top)

	// The policy's weight of each term (terms), the prior's, and the sums
	// of the prior's and of the personal terms' weights.
	w, priorW             weights
	priorSum, personalSum float32

	excluded []uint64 // bitset
	pinned   []int32  // in policy order
	isPinned []uint64 // bitset

	gram   []float64 // dim×dim YᵀY, nil without publisher factors
	lambda float64
}

// New precomputes what ranking needs from a validated catalogue: float32
// vectors in one flat slice, their norms, topic tables, section caps and
// freshness bases. The catalogue must not change while the engine is used.
func New(c *catalog.Catalogue) *Engine {
	e := &Engine{cat: c, pol: c.Policy.WithDefaults(), n: len(c.Items), dim: c.Dim}
	n, d := e.n, e.dim
	e.inv = make([]float32, n)
	e.topicOff = make([]int32, n+1)
	e.topicInv = make([]float32, n)
	e.topicNorm = make([]float32, n)
	e.sec = make([]int32, n)
	e.freshBase = make([]float64, n)
	e.pop = make([]float32, n)
	words := (n + 63) / 64
	e.excluded = make([]uint64, words)
	e.isPinned = make([]uint64, words)

	e.topicByID = make(map[string]int, len(c.Topics))
	for i, t := range c.Topics {
		e.topicByID[t] = i
	}
	e.freshRef = math.MinInt64
	for i := range c.Items {
		it := &c.Items[i]
		e.freshRef = max(e.freshRef, published(it))
		e.addItem(i, it)
	}
	hl := float64(e.pol.FreshnessHalfLifeDays) * 86400
	e.freshSkew = math.Exp2(86400 / hl)
	for i := range c.Items {
		e.freshBase[i] = math.Exp2((float64(published(&c.Items[i])) - float64(e.freshRef)) / hl)
	}
	e.byPop = popularityOrder(e.orderColumn())
	e.w, e.priorW, e.priorSum, e.personalSum = termWeights(e.pol.Weights)
	// Only the capped sections need telling apart (diversify): every
	// other item keeps section 0, whose cap is 0, and a catalogue without
	// caps looks at no item's section at all.
	e.secCap = []int32{0}
	var capped []string
	for _, sc := range e.pol.SectionCaps {
		k := slices.Index(capped, sc.Section)
		if k < 0 {
			k = len(capped)
			capped = append(capped, sc.Section)
			e.secCap = append(e.secCap, 0)
		}
		e.secCap[k+1] = int32(sc.Max)
	}
	if len(capped) > 0 {
		for i := range e.n {
			if k := slices.Index(capped, c.Items[i].Section); k >= 0 {
				e.sec[i] = int32(k + 1)
			}
		}
	}
	for _, id := range e.pol.Excluded {
		if i, ok := c.Find(id); ok {
			setBit(e.excluded, i)
		}
	}
	for _, id := range e.pol.Pinned {
		if i, ok := c.Find(id); ok && !bit(e.isPinned, i) {
			e.pinned = append(e.pinned, int32(i))
			setBit(e.isPinned, i)
		}
	}
	if d > 0 && len(c.Gram) == d*d {
		e.gram = make([]float64, d*d)
		for k, g := range c.Gram {
			e.gram[k] = float64(g)
		}
		e.lambda = float64(c.Lambda)
	}
	return e
}

// addItem fills item i's vector, norm, topics and popularity. It is a
// function of its own, not part of New's loop, so that the browser
// optimises it after a few thousand items: a loop runs in the code its
// function was entered with, and New is entered once, unoptimised.
//
//go:noinline
func (e *Engine) addItem(i int, it *catalog.Item) {
	if d := e.dim; len(it.Vector) == d && d > 0 {
		// The norm of the dequantised vector is Scale times the norm of
		// its int8 values, whose squares sum exactly in integers: the
		// loop is the heaviest of a load, and runs mostly unoptimised.
		ss := 0
		for _, b := range it.Vector {
			v := int(int8(b))
			ss += v * v
		}
		if ss > 0 {
			e.inv[i] = float32(1 / (float64(it.Scale) * math.Sqrt(float64(ss))))
		}
	}
	var sum, sq float32
	for _, tw := range it.Topics {
		e.topicIdx = append(e.topicIdx, tw.Topic)
		e.topicW = append(e.topicW, tw.Weight)
		sum += tw.Weight
		sq += tw.Weight * tw.Weight
	}
	e.topicOff[i+1] = int32(len(e.topicIdx))
	if sum > 0 {
		e.topicInv[i] = 1 / sum
	}
	e.topicNorm[i] = float32(math.Sqrt(float64(sq)))
	e.pop[i] = it.Popularity
}

// Catalogue returns the catalogue the engine ranks.
func (e *Engine) Catalogue() *catalog.Catalogue { return e.cat }

// fresh returns item i's freshness prior in [0, 1] given the request's
// factor 2^((freshRef − now)/half-life): a base in [0, 1] times a finite
// factor, never NaN.
func (e *Engine) fresh(i int, factor float64) float32 {
	f := e.freshBase[i] * factor
	if f > 1 {
		return e.ahead(f)
	}
	return float32(f)
}

// ahead is the freshness of an item dated after now (f > 1 is fresh's
// 2^((published − now)/half-life)). Up to a day ahead it is fresh: the
// publisher's clock and the reader's differ. Later it is scheduled, not yet
// out, and gets no freshness: boosting it would promote what the reader
// cannot have heard of (in the quality evaluation, films released after the
// reader's time). Out of line because fresh is inlined at every scoring
// site: inline, this rare case cost 0.7 KB of the brotli'd engine.
//
//go:noinline
func (e *Engine) ahead(f float64) float32 {
	if f > e.freshSkew {
		return 0
	}
	return 1
}

// freshFactor returns 2^((freshRef − now)/half-life), clamped so that it
// stays finite (an item published far after now gets no freshness). The
// difference is taken in float64: in int64 a clock far from the
// catalogue's dates overflows.
func (e *Engine) freshFactor(now int64) float64 {
	if e.n == 0 {
		return 1
	}
	x := (float64(e.freshRef) - float64(now)) / (float64(e.pol.FreshnessHalfLifeDays) * 86400)
	return math.Exp2(min(x, 1000))
}

// published is the item's publication time as freshness counts it: within
// the years a valid catalogue allows (catalog.MinPublished to
// MaxPublished). The engine may be given a catalogue Validate never saw,
// and a date such as math.MinInt64 overflowed the difference with the
// newest date into a huge positive age: an infinite freshness base, which
// a later request multiplied by 0 into a NaN score.
func published(it *catalog.Item) int64 {
	return min(max(it.Published, catalog.MinPublished), catalog.MaxPublished)
}

// itemSim is the similarity of two items in [-1, 1]: the cosine of their
// vectors when both have one, otherwise the cosine of their topic weights.
func (e *Engine) itemSim(i, j int) float32 {
	if e.inv[i] != 0 && e.inv[j] != 0 {
		return e.dotItems(i, j) * e.inv[i] * e.inv[j]
	}
	return e.topicSim(i, j)
}

// topicSim is the cosine of two items' topic weights.
func (e *Engine) topicSim(i, j int) float32 {
	if e.topicNorm[i] == 0 || e.topicNorm[j] == 0 {
		return 0
	}
	var s float32
	for a := e.topicOff[i]; a < e.topicOff[i+1]; a++ {
		for b := e.topicOff[j]; b < e.topicOff[j+1]; b++ {
			if e.topicIdx[a] == e.topicIdx[b] {
				s += e.topicW[a] * e.topicW[b]
			}
		}
	}
	return s / (e.topicNorm[i] * e.topicNorm[j])
}

// row writes item i's vector, dequantised, into dst (of length dim) and
// returns it.
func (e *Engine) row(i int, dst []float32) []float32 {
	it := &e.cat.Items[i]
	sc := it.Scale
	for k, b := range it.Vector[:len(dst)] {
		dst[k] = float32(int8(b)) * sc
	}
	return dst
}

// dotRow is the dot product of a with item i's vector, which has len(a)
// components: four accumulators let the compiler keep them in registers
// and drop bounds checks, and the main loop takes 16 elements a step, from
// one re-slice of each row, summing in the order of a 4-step loop. Under
// WebAssembly, where Go has no SIMD and pays for every loop iteration and
// bounds check, that took 10k×64 products from 0.74 to 0.47 ms (Node 20).
func (e *Engine) dotRow(a []float32, i int) float32 {
	it := &e.cat.Items[i]
	b, sc := it.Vector[:len(a)], it.Scale
	var s0, s1, s2, s3 float32
	k := 0
	for ; k+16 <= len(a); k += 16 {
		x, y := a[k:k+16:k+16], b[k:k+16:k+16]
		s0 += x[0] * (float32(int8(y[0])) * sc)
		s1 += x[1] * (float32(int8(y[1])) * sc)
		s2 += x[2] * (float32(int8(y[2])) * sc)
		s3 += x[3] * (float32(int8(y[3])) * sc)
		s0 += x[4] * (float32(int8(y[4])) * sc)
		s1 += x[5] * (float32(int8(y[5])) * sc)
		s2 += x[6] * (float32(int8(y[6])) * sc)
		s3 += x[7] * (float32(int8(y[7])) * sc)
		s0 += x[8] * (float32(int8(y[8])) * sc)
		s1 += x[9] * (float32(int8(y[9])) * sc)
		s2 += x[10] * (float32(int8(y[10])) * sc)
		s3 += x[11] * (float32(int8(y[11])) * sc)
		s0 += x[12] * (float32(int8(y[12])) * sc)
		s1 += x[13] * (float32(int8(y[13])) * sc)
		s2 += x[14] * (float32(int8(y[14])) * sc)
		s3 += x[15] * (float32(int8(y[15])) * sc)
	}
	for ; k+4 <= len(a); k += 4 {
		s0 += a[k] * (float32(int8(b[k])) * sc)
		s1 += a[k+1] * (float32(int8(b[k+1])) * sc)
		s2 += a[k+2] * (float32(int8(b[k+2])) * sc)
		s3 += a[k+3] * (float32(int8(b[k+3])) * sc)
	}
	for ; k < len(a); k++ {
		s0 += a[k] * (float32(int8(b[k])) * sc)
	}
	return (s0 + s1) + (s2 + s3)
}

// dotItems is the dot product of items i's and j's vectors, both of dim
// components, summed as dotRow does.
func (e *Engine) dotItems(i, j int) float32 {
	x, y := &e.cat.Items[i], &e.cat.Items[j]
	a, sa := x.Vector[:e.dim], x.Scale
	b, sb := y.Vector[:e.dim], y.Scale
	var s [4]float32
	tail := len(a) &^ 3 // dot's four accumulators, then the rest into the first
	for k := range tail {
		s[k&3] += (float32(int8(a[k])) * sa) * (float32(int8(b[k])) * sb)
	}
	for k := tail; k < len(a); k++ {
		s[0] += (float32(int8(a[k])) * sa) * (float32(int8(b[k])) * sb)
	}
	return (s[0] + s[1]) + (s[2] + s[3])
}

func bit(set []uint64, i int) bool { return set[i>>6]&(1<<(uint(i)&63)) != 0 }
func setBit(set []uint64, i int)   { set[i>>6] |= 1 << (uint(i) & 63) }
