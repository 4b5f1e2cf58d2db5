package rank

import "github.com/hearth-dev/hearth/core/catalog"

// A term is one term of the score Σ weight·value. The table terms is the
// one place a term is declared: its weight, its value, the bound of its
// value and its reason. Every path that scores reads it: the personal score
// (score, best's early-stopping pool and its bounds), the non-personal
// prior, related mode, exploration and explain. Adding a term is a constant
// below, its entry in terms and its case in add (and in on and reason if
// it has them), its weight in catalog.Weights and its policy defaults, the
// builder's policy file and the JavaScript reference (docs/architecture.md,
// "How to add a score term").
//
// What a term computes is data: its constant, on which add, on and reason
// switch. Closures per term and path were 4.4 KB of WebAssembly code, and a
// call per item was 2.4 times slower than a call per batch (add).
type term struct {
	// key is the key of the term's weight in the policy's weights
	// (catalog.Weights' wire key); TestTerms_Weight holds it to weight.
	key string
	// weight is the term's weight in the policy.
	weight func(catalog.Weights) float32
	// bound is the largest |value| can be, for any item and reader: best's
	// early stop relies on it (TestTerms_Bound checks it).
	bound float32
	// dear marks a term whose value costs far more than the others' (a
	// dot product): best skips it for an item whose score cannot enter the
	// pool even with the dear terms at their bounds.
	dear bool
	// personal marks a term that needs the reader (on says when the
	// request's reader gives it anything to score); the others are priors,
	// whose sum is the non-personal order.
	personal bool
	// code is the code of the term's reason, text its text when fixed;
	// both are empty for a term that gives no reason.
	code, text string
	// reasonAt is the threshold above which the term's reason is worth
	// telling besides others: reason(k, i, v, reasonAt).
	reasonAt float32
}

// The terms, by their index in terms, in the order the score sums them:
// the priors first, then what the reader's profile adds.
const (
	termFresh = iota // freshness prior
	termPop          // popularity prior; the order term (orderTerm)
	termSim          // cosine of the user vector with the item's
	termTopic        // the item's topic-weighted mean of the reader's interests
	numTerms
)

// terms are the score's terms.
var terms = [numTerms]term{
	termFresh: {
		key:    "fresh",
		weight: func(w catalog.Weights) float32 { return w.Freshness },
		bound:  1, code: ReasonNew, text: "New", reasonAt: newReasonFresh,
	},
	termPop: {
		key:    "pop",
		weight: func(w catalog.Weights) float32 { return w.Popularity },
		bound:  1, code: ReasonPopular, text: "Popular", reasonAt: popularReasonAt,
	},
	termSim: {
		// Its reason names the item read most similar to this one.
		key:    "sim",
		weight: func(w catalog.Weights) float32 { return w.Similarity },
		bound:  1, dear: true, personal: true,
		code: ReasonRead, reasonAt: readReasonSim,
	},
	termTopic: {
		// Its reason names the followed topic that contributes most.
		key:    "topic",
		weight: func(w catalog.Weights) float32 { return w.Topic },
		bound:  1, personal: true,
		code: ReasonTopic, reasonAt: topicReasonMin,
	},
}

// Thresholds above which a term's reason is worth telling the reader.
const (
	readReasonSim   = 0.35 // similarity of the item to one the reader read
	topicReasonMin  = 0.15 // the item's topic weight × the reader's scaled interest
	newReasonFresh  = 0.5  // published within one freshness half-life
	popularReasonAt = 0.6  // popularity prior
)

// add adds w·value of term k to acc[j] for every item i = idx[j]. Terms
// add a batch at a time so that the loops that score every candidate make
// one call per batch and term, not one per item: a call per candidate is
// dear, under WebAssembly most of all. w·value must be the expression, so
// that a sum of terms rounds the same whatever path computes it.
func (s *state) add(k int, w float32, idx []int32, acc []float32) {
	e := s.e
	acc = acc[:len(idx)]
	switch k {
	case termFresh:
		f := s.factor
		for j, i := range idx {
			acc[j] += w * e.fresh(int(i), f)
		}
	case termPop:
		pop := e.pop
		for j, i := range idx {
			acc[j] += w * pop[i]
		}
	case termSim:
		u := s.user
		for j, i := range idx {
			if inv := e.inv[i]; inv != 0 {
				acc[j] += w * e.dotRow(u, int(i)) * inv
			}
		}
	case termTopic:
		for j, i := range idx {
			acc[j] += w * s.topicScore(int(i))
		}
	}
}

// on reports whether term k has anything to score in this request: a
// prior always, a personal term when the reader gives it something.
func (s *state) on(k int) bool {
	switch k {
	case termSim:
		return s.user != nil
	case termTopic:
		return s.anyTopic
	}
	return true
}

// reason is term k's reason for item i, whose value is v, if it passes
// atLeast (−∞ when the term is the largest of the item's score: then its
// reason is wanted if it has one at all). Callers skip a term without a
// code: it gives no reason.
func (s *state) reason(k, i int, v, atLeast float32) (Reason, bool) {
	switch k {
	case termSim:
		return s.readReason(i, atLeast)
	case termTopic:
		return s.topicReason(i, atLeast)
	}
	t := &terms[k]
	return Reason{Code: t.code, Text: t.text}, v >= atLeast
}

// orderTerm is the term best visits items by, highest value first: its
// value is a stored property of the item, orderColumn, which Engine.New
// sorts the items by.
const orderTerm = termPop

// orderColumn is orderTerm's value of every item.
func (e *Engine) orderColumn() []float32 { return e.pop }

// weights are a weight per term: a request's selection of terms (the
// personal score's or the prior's), where a term of weight 0 is left out.
type weights = [numTerms]float32

// sum sets acc[j] to item idx[j]'s score under weights m.
func (s *state) sum(m *weights, idx []int32, acc []float32) {
	acc = acc[:len(idx)]
	clear(acc)
	for k, w := range m {
		if w != 0 {
			s.add(k, w, idx, acc)
		}
	}
}

// batchSize is how many items the scoring loops score per call of a term.
const batchSize = 32

// batch holds items on their way to being scored. (The field _ makes it
// incomparable: no equality function is linked for it.)
type batch struct {
	_   [0]func()
	n   int
	idx [batchSize]int32
	acc [batchSize]float32
}

// value is term k's value for item i.
func (s *state) value(k, i int) float32 { return s.weighted(k, 1, i) }

// weighted is w·value of term k for item i, rounded as a score sums it.
func (s *state) weighted(k int, w float32, i int) float32 {
	idx, acc := [1]int32{int32(i)}, [1]float32{}
	s.add(k, w, idx[:], acc[:])
	return acc[0]
}

// scoreOf is item i's score under weights m.
func (s *state) scoreOf(m *weights, i int) float32 {
	idx, acc := [1]int32{int32(i)}, [1]float32{}
	s.sum(m, idx[:], acc[:])
	return acc[0]
}

// setTerms chooses the request's terms: the personal score's (the
// policy's weights of the priors and of the personal terms the reader
// gives something to score), its personal terms alone (for related mode)
// and the prior's (the policy's weights of the priors, or equal weights
// when it gives them all zero).
func (s *state) setTerms() {
	e := s.e
	for k := range terms {
		switch {
		case !terms[k].personal:
			s.scoreMix[k], s.priorMix[k] = e.w[k]*s.scale[k], e.priorW[k]
		case s.on(k):
			s.scoreMix[k], s.personalMix[k] = e.w[k]*s.scale[k], e.w[k]
		}
	}
}

// termWeights returns the policy's weight of every term, the prior's, and
// the sums of the prior's and of the personal terms' weights.
func termWeights(pw catalog.Weights) (w, prior weights, priorSum, personalSum float32) {
	any := false
	for k := range terms {
		w[k] = terms[k].weight(pw)
		if terms[k].personal {
			personalSum += w[k]
			continue
		}
		prior[k] = w[k]
		any = any || w[k] != 0
	}
	for k := range terms {
		if !terms[k].personal {
			if !any {
				prior[k] = 1
			}
			priorSum += prior[k]
		}
	}
	return w, prior, priorSum, personalSum
}

// ScoreTerm describes a term of the personal score for implementations
// that mirror the ranking (the benchmarks' JavaScript reference), which
// tests hold to the engine's table.
type ScoreTerm struct {
	// Key is the key of the term's weight in the policy's weights.
	Key string
	// Weight returns the term's weight in w.
	Weight func(w catalog.Weights) float32
	// Bound is the largest absolute value the term takes.
	Bound float32
	// Personal terms need the reader's profile; the others make the
	// non-personal order.
	Personal bool
	// Reason is the code of the term's reason, empty for a term without
	// one; ReasonAt, the threshold its value (or, for read and topic, the
	// measure the reason names) must reach for the reason to be told
	// besides others.
	Reason   string
	ReasonAt float32
}

// ScoreTerms returns the terms of the score in the order it sums them.
func ScoreTerms() []ScoreTerm {
	out := make([]ScoreTerm, numTerms)
	for k := range terms {
		t := &terms[k]
		out[k] = ScoreTerm{Key: t.key, Weight: t.weight, Bound: t.bound, Personal: t.personal, Reason: t.code, ReasonAt: t.reasonAt}
	}
	return out
}
