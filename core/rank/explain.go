package rank

import "math"

// Thresholds above which a reason is worth telling the reader.
const (
	readReasonSim   = 0.35 // similarity of the item to one the reader read
	topicReasonMin  = 0.15 // the item's topic weight × the reader's scaled interest
	newReasonFresh  = 0.5  // published within one freshness half-life
	popularReasonAt = 0.6  // popularity prior
)

// explainAll turns the ranked indices into recommendations with reasons.
func (s *state) explainAll(list []int) []Recommendation {
	out := make([]Recommendation, len(list))
	for k, i := range list {
		it := &s.e.cat.Items[i]
		out[k] = Recommendation{ID: it.ID, URL: it.URL, Title: it.Title, Score: s.finalScore(i), Reasons: s.explain(i)}
	}
	return out
}

func (s *state) finalScore(i int) float32 {
	switch {
	case s.relatedMode:
		return s.relatedScore(i)
	case s.personal:
		return s.score(i)
	}
	return s.prior(i)
}

// explain returns the reasons for item i, the one that placed it first:
// exploration, the related page or the publisher's pin, then what the
// reader read and follows, then newness and popularity. Every item gets at
// least one reason: failing all thresholds, the largest term of its score.
func (s *state) explain(i int) []Reason {
	e := s.e
	// One allocation instead of append's growth: an item has at most 5 reasons
	// (related, read, topic, new, popular).
	rs := make([]Reason, 0, 5)
	switch {
	case i == s.explored:
		rs = append(rs, Reason{Code: ReasonExplore, Text: "Something different"})
	case s.relatedMode:
		cur := &e.cat.Items[s.current]
		rs = append(rs, Reason{Code: ReasonRelated, Text: "Related to " + cur.Title, Ref: cur.ID})
	case !s.personal && bit(e.isPinned, i):
		rs = append(rs, Reason{Code: ReasonPinned, Text: "Picked by the editors"})
	}
	if s.personal && i != s.explored {
		if r, ok := s.readReason(i, readReasonSim); ok {
			rs = append(rs, r)
		}
		if r, ok := s.topicReason(i, topicReasonMin); ok {
			rs = append(rs, r)
		}
	}
	fresh := e.fresh(i, s.factor)
	if fresh >= newReasonFresh {
		rs = append(rs, Reason{Code: ReasonNew, Text: "New"})
	}
	if e.pop[i] >= popularReasonAt {
		rs = append(rs, Reason{Code: ReasonPopular, Text: "Popular"})
	}
	if len(rs) == 0 {
		rs = append(rs, s.mainTerm(i, fresh))
	}
	return rs
}

// mainTerm is the reason for the largest term of item i's score.
func (s *state) mainTerm(i int, fresh float32) Reason {
	e := s.e
	r, best := Reason{Code: ReasonNew, Text: "New"}, s.w.Freshness*fresh
	if v := s.w.Popularity * e.pop[i]; v > best {
		r, best = Reason{Code: ReasonPopular, Text: "Popular"}, v
	}
	if !s.personal {
		return r
	}
	if s.user != nil && e.inv[i] != 0 {
		if v := s.w.Similarity * dot(s.user, e.row(i)) * e.inv[i]; v > best {
			if rr, ok := s.readReason(i, float32(math.Inf(-1))); ok {
				r, best = rr, v
			}
		}
	}
	if s.anyTopic {
		if v := s.w.Topic * s.topicScore(i); v > best {
			if rt, ok := s.topicReason(i, 0); ok {
				r = rt
			}
		}
	}
	return r
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
// topic score, if its contribution exceeds atLeast.
func (s *state) topicReason(i int, atLeast float32) (Reason, bool) {
	e := s.e
	if !s.anyTopic {
		return Reason{}, false
	}
	best, bestVal := -1, atLeast
	for a := e.topicOff[i]; a < e.topicOff[i+1]; a++ {
		if v := e.topicW[a] * s.interest[e.topicIdx[a]]; v > bestVal {
			best, bestVal = int(e.topicIdx[a]), v
		}
	}
	if best < 0 {
		return Reason{}, false
	}
	t := e.cat.Topics[best]
	return Reason{Code: ReasonTopic, Text: "You follow " + t, Ref: t}, true
}
