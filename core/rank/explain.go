package rank

import "math"

// explainAll turns the ranked indices into recommendations with reasons
// and the scores that ranked them: the personal score, the related score
// or the prior.
func (s *state) explainAll(list []int) []Recommendation {
	m := &s.priorMix
	if s.personal && !s.relatedMode {
		m = &s.scoreMix
	}
	b := &s.batch
	out := make([]Recommendation, len(list))
	for k, i := range list {
		b.idx[0], b.n = int32(i), 1
		s.scoreBatch(m, b)
		it := &s.e.cat.Items[i]
		out[k] = Recommendation{ID: it.ID, URL: it.URL, Title: it.Title, Score: b.acc[0], Reasons: s.explain(i)}
	}
	b.n = 0
	return out
}

// explain returns the reasons for item i, the one that placed it first:
// exploration, the related page or the publisher's pin, then the terms'
// reasons (terms), what the reader read and follows before newness and
// popularity. A term gives its reason only when it counts in the score
// that ranked the list (its weight there is above zero) and its reason's
// threshold is met. Failing all thresholds, the item gets the reason of
// the largest term of its score, if one is above zero: an item that none
// lifted (old, unpopular and unrelated to the reader) gets no reason.
func (s *state) explain(i int) []Reason {
	e := s.e
	// One allocation instead of append's growth: an item has at most one
	// reason per term besides one of explore, related or pinned.
	rs := make([]Reason, 0, 1+numTerms)
	switch {
	case i == s.explored:
		rs = append(rs, Reason{Code: ReasonExplore, Text: "Something different"})
	case s.relatedMode:
		cur := &e.cat.Items[s.current]
		rs = append(rs, Reason{Code: ReasonRelated, Text: "Related to " + cur.Title, Ref: cur.ID})
	case !s.personal && bit(e.isPinned, i):
		rs = append(rs, Reason{Code: ReasonPinned, Text: "Picked by the editors"})
	}
	for _, personal := range [...]bool{true, false} {
		if personal && (!s.personal || i == s.explored) {
			continue
		}
		for k := range terms {
			t := &terms[k]
			if t.personal != personal || t.code == "" || !(s.reasonWeight(k) > 0) {
				continue
			}
			if r, ok := s.reason(k, i, s.termValue(k, i), t.reasonAt); ok {
				rs = append(rs, r)
			}
		}
	}
	if len(rs) == 0 {
		if r, ok := s.mainTerm(i); ok {
			rs = append(rs, r)
		}
	}
	return rs
}

// reasonWeight is term k's weight in the score that ranked the list: the
// policy's in a personal list; the prior's for a prior in a non-personal
// or related list, and the policy's for a personal term when that list is
// personal too.
func (s *state) reasonWeight(k int) float32 {
	e := s.e
	switch {
	case terms[k].personal:
		if s.personal {
			return e.w[k] * s.scale[k]
		}
		return 0
	case s.personal && !s.relatedMode:
		return e.w[k] * s.scale[k]
	}
	return e.priorW[k]
}

// termValue is term k's value for item i, 0 for a personal term the
// reader gives nothing to score.
func (s *state) termValue(k, i int) float32 {
	if !s.on(k) {
		return 0
	}
	return s.value(k, i)
}

// mainTerm is the reason for the largest term of item i's score that
// gives one, if that term is above zero.
func (s *state) mainTerm(i int) (Reason, bool) {
	var r Reason
	found, best := false, float32(0)
	for k := range terms {
		w := s.reasonWeight(k)
		if w == 0 || terms[k].code == "" || !s.on(k) {
			continue
		}
		if v := s.weighted(k, w, i); v > best {
			if rr, ok := s.reason(k, i, s.value(k, i), float32(math.Inf(-1))); ok {
				r, best, found = rr, v, true
			}
		}
	}
	return r, found
}

// explainHistory bounds the reader's items an explanation compares with:
// the strongest signals, which are also the ones the reader remembers.
const explainHistory = 50

// readReason names the item of the reader's history most similar to item
// i, if its similarity reaches atLeast. Only positive signals count: a
// dislike is no reason to recommend.
func (s *state) readReason(i int, atLeast float32) (Reason, bool) {
	e := s.e
	best, bestSim := -1, atLeast
	for _, h := range s.history[:min(len(s.history), explainHistory)] {
		if h.weight <= 0 || h.item == i {
			continue
		}
		if sim := e.itemSim(h.item, i); sim >= bestSim && (best < 0 || sim > bestSim) {
			best, bestSim = h.item, sim
		}
	}
	if best < 0 {
		return Reason{}, false
	}
	it := &e.cat.Items[best]
	return Reason{Code: ReasonRead, Text: "Because you read " + it.Title, Ref: it.ID}, true
}

// topicReason names the topic of item i that contributes most to its
// topic score, if its contribution exceeds atLeast and zero (a topic the
// reader does not follow is no reason). Only a topic the item carries with
// at least the policy's TopicReasonMin counts: a publisher's tag (weight
// 1), or a topic the builder derived from the item's text and measured
// right often enough to tell (docs/engine.md); the reader still learns
// from the others, but is not told a guess as a fact.
func (s *state) topicReason(i int, atLeast float32) (Reason, bool) {
	e := s.e
	if !s.anyTopic {
		return Reason{}, false
	}
	best, bestVal := -1, max(atLeast, 0)
	for a := e.topicOff[i]; a < e.topicOff[i+1]; a++ {
		w := e.topicW[a]
		if v := w * s.interest[e.topicIdx[a]]; v > bestVal && w >= e.pol.TopicReasonMin {
			best, bestVal = int(e.topicIdx[a]), v
		}
	}
	if best < 0 {
		return Reason{}, false
	}
	t := e.cat.Topics[best]
	return Reason{Code: ReasonTopic, Text: "You follow " + t, Ref: t}, true
}
