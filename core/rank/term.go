package rank

import "github.com/hearth-dev/hearth/core/catalog"

// A term is one term of the score Σ weight·value. The table terms is the
// one place a term is declared: its weight, its value, the bound of its
// value and its reason. Every path that scores reads it: the personal score
// (score, best's early-stopping pool and its bounds), the non-personal
// prior, related mode, exploration and explain. Adding a term is an entry
// here, its weight in catalog.Weights and its policy defaults, the
// builder's policy file and the JavaScript reference (docs/architecture.md,
// "How to add a score term").
type term struct {
	// key is the key of the term's weight in the policy's weights
	// (catalog.Weights' wire key); TestTerms_Weight holds it to weight.
	key string
	// weight is the term's weight in the policy.
	weight func(catalog.Weights) float32
	// add adds w·value(i) to acc[j] for every item i = idx[j]. Terms add a
	// batch at a time so that the loops that score every candidate make one
	// call per batch and term, not one per item: a call per candidate is
	// dear, under WebAssembly most of all. w·value must be the expression,
	// so that a sum of terms rounds the same whatever path computes it.
	add func(s *state, w float32, idx []int32, acc []float32)
	// column, for a term whose value is a stored property of the item
	// (its add reads it), returns that property for every item. best visits
	// the items by the column of the first such term, highest first, and
	// stops when no later item can enter the pool; Engine.New sorts them.
	column func(e *Engine) []float32
	// bound is the largest |value| can be, for any item and reader: best's
	// early stop relies on it (TestTerms_Bound checks it).
	bound float32
	// dear marks a term whose value costs far more than the others' (a
	// dot product): best skips it for an item whose score cannot enter the
	// pool even with the dear terms at their bounds.
	dear bool
	// reader is nil for a prior, a term that needs no reader (the
	// non-personal order is the priors'). For a personal term it reports
	// whether the request's reader gives it anything to score.
	reader func(s *state) bool
	// code is the code of the term's reason, text its text when fixed;
	// both are empty, and reason nil, for a term that gives no reason.
	code, text string
	// reasonAt is the threshold above which the term's reason is worth
	// telling besides others: reason(s, t, i, v, reasonAt).
	reasonAt float32
	// reason is term t's reason for item i, whose value is v, if it passes
	// atLeast (−∞ when the term is the largest of the item's score: then
	// its reason is wanted if it has one at all).
	reason func(s *state, t *term, i int, v, atLeast float32) (Reason, bool)
}

// byValue is the reason of a term whose value is the measure: its fixed
// text once the value reaches atLeast.
func byValue(_ *state, t *term, _ int, v, atLeast float32) (Reason, bool) {
	return Reason{Code: t.code, Text: t.text}, v >= atLeast
}

// terms are the score's terms, in the order the score sums them: the
// priors first, then what the reader's profile adds.
var terms = [...]term{
	{
		key:    "fresh",
		weight: func(w catalog.Weights) float32 { return w.Freshness },
		add: func(s *state, w float32, idx []int32, acc []float32) {
			e, f := s.e, s.factor
			acc = acc[:len(idx)]
			for j, i := range idx {
				acc[j] += w * e.fresh(int(i), f)
			}
		},
		bound: 1, code: ReasonNew, text: "New", reasonAt: newReasonFresh, reason: byValue,
	},
	{
		key:    "pop",
		weight: func(w catalog.Weights) float32 { return w.Popularity },
		add: func(s *state, w float32, idx []int32, acc []float32) {
			pop := s.e.pop
			acc = acc[:len(idx)]
			for j, i := range idx {
				acc[j] += w * pop[i]
			}
		},
		column: func(e *Engine) []float32 { return e.pop },
		bound:  1, code: ReasonPopular, text: "Popular", reasonAt: popularReasonAt, reason: byValue,
	},
	{
		// The cosine of the user vector with the item's; its reason names
		// the item read most similar to this one.
		key:    "sim",
		weight: func(w catalog.Weights) float32 { return w.Similarity },
		add: func(s *state, w float32, idx []int32, acc []float32) {
			e, u := s.e, s.user
			acc = acc[:len(idx)]
			for j, i := range idx {
				if inv := e.inv[i]; inv != 0 {
					acc[j] += w * dot(u, e.row(int(i))) * inv
				}
			}
		},
		bound: 1, dear: true,
		reader: func(s *state) bool { return s.user != nil },
		code:   ReasonRead, reasonAt: readReasonSim,
		reason: func(s *state, _ *term, i int, _, atLeast float32) (Reason, bool) { return s.readReason(i, atLeast) },
	},
	{
		// The item's topic-weighted mean of the reader's interests; its
		// reason names the followed topic that contributes most.
		key:    "topic",
		weight: func(w catalog.Weights) float32 { return w.Topic },
		add: func(s *state, w float32, idx []int32, acc []float32) {
			acc = acc[:len(idx)]
			for j, i := range idx {
				acc[j] += w * s.topicScore(int(i))
			}
		},
		bound:  1,
		reader: func(s *state) bool { return s.anyTopic },
		code:   ReasonTopic, reasonAt: topicReasonMin,
		reason: func(s *state, _ *term, i int, _, atLeast float32) (Reason, bool) { return s.topicReason(i, atLeast) },
	},
}

// numTerms is the number of score terms; maxTerms, the most the per-request
// tables have room for (arrays, so that a request allocates nothing per
// term: their size cannot be len(terms), which depends on state).
const (
	numTerms = len(terms)
	maxTerms = 8
)

// Adding a ninth term needs a larger maxTerms: this fails to compile.
var _ [maxTerms - numTerms]struct{}

// Thresholds above which a term's reason is worth telling the reader.
const (
	readReasonSim   = 0.35 // similarity of the item to one the reader read
	topicReasonMin  = 0.15 // the item's topic weight × the reader's scaled interest
	newReasonFresh  = 0.5  // published within one freshness half-life
	popularReasonAt = 0.6  // popularity prior
)

// orderTerm is the index of the term best visits items by: the first with
// a column.
var orderTerm = func() int {
	for k := range terms {
		if terms[k].column != nil {
			return k
		}
	}
	return -1
}()

// mix is a weighted selection of terms, in table order: the personal
// score's or the prior's for one request. Terms of weight 0 are left out.
type mix struct {
	n int
	k [maxTerms]uint8
	w [maxTerms]float32
}

func (m *mix) set(w *[maxTerms]float32, use func(k int) bool) {
	m.n = 0
	for k := range terms {
		if w[k] != 0 && use(k) {
			m.k[m.n], m.w[m.n] = uint8(k), w[k]
			m.n++
		}
	}
}

// sum sets acc[j] to the mix's score of item idx[j].
func (m *mix) sum(s *state, idx []int32, acc []float32) {
	acc = acc[:len(idx)]
	clear(acc)
	for x := range m.n {
		terms[m.k[x]].add(s, m.w[x], idx, acc)
	}
}

// batchSize is how many items the scoring loops score per call of a term.
const batchSize = 32

// batch holds items on their way to being scored.
type batch struct {
	n   int
	idx [batchSize]int32
	acc [batchSize]float32
}

// value is term k's value for item i.
func (s *state) value(k, i int) float32 { return s.weighted(k, 1, i) }

// weighted is w·value of term k for item i, rounded as a score sums it.
func (s *state) weighted(k int, w float32, i int) float32 {
	s.one.idx[0], s.one.acc[0] = int32(i), 0
	terms[k].add(s, w, s.one.idx[:1], s.one.acc[:1])
	return s.one.acc[0]
}

// scoreOf is item i's score under mix m.
func (s *state) scoreOf(m *mix, i int) float32 {
	s.one.idx[0] = int32(i)
	m.sum(s, s.one.idx[:1], s.one.acc[:1])
	return s.one.acc[0]
}

// setTerms chooses the request's terms: the personal score's (the
// policy's weights of the priors and of the personal terms the reader
// gives something to score), its personal terms alone (for related mode)
// and the prior's (the policy's weights of the priors, or equal weights
// when it gives them all zero).
func (s *state) setTerms() {
	e := s.e
	s.scoreMix.set(&e.w, s.on)
	s.personalMix.set(&e.w, func(k int) bool { return terms[k].reader != nil && s.on(k) })
	s.priorMix.set(&e.priorW, func(k int) bool { return terms[k].reader == nil })
}

// on reports whether term k has anything to score in this request: a
// prior always, a personal term when the reader gives it something.
func (s *state) on(k int) bool {
	r := terms[k].reader
	return r == nil || r(s)
}

// termWeights returns the policy's weight of every term, the prior's, and
// the sums of the prior's and of the personal terms' weights.
func termWeights(pw catalog.Weights) (w, prior [maxTerms]float32, priorSum, personalSum float32) {
	any := false
	for k := range terms {
		w[k] = terms[k].weight(pw)
		if terms[k].reader != nil {
			personalSum += w[k]
			continue
		}
		prior[k] = w[k]
		any = any || w[k] != 0
	}
	for k := range terms {
		if terms[k].reader == nil {
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
		out[k] = ScoreTerm{Key: t.key, Weight: t.weight, Bound: t.bound, Personal: t.reader != nil, Reason: t.code, ReasonAt: t.reasonAt}
	}
	return out
}
