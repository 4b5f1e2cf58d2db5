package rank

// score is item i's personal relevance: the weighted sum of the score's
// terms (terms): freshness and popularity priors, the cosine of the user
// vector with the item vector and the item's topic-interest overlap.
func (s *state) score(i int) float32 { return s.scoreOf(&s.scoreMix, i) }

// prior is the non-personal score: the priors (freshness and popularity),
// weighted by the policy, equally when the policy gives them all zero
// weight.
func (s *state) prior(i int) float32 { return s.scoreOf(&s.priorMix, i) }

// topicScore is the item's topic-weighted mean of the reader's interests,
// in [-1, 1].
func (s *state) topicScore(i int) float32 {
	e := s.e
	var t float32
	for a := e.topicOff[i]; a < e.topicOff[i+1]; a++ {
		t += e.topicW[a] * s.interest[e.topicIdx[a]]
	}
	return t * e.topicInv[i]
}

// scoreBatch sets b.acc[j] to the score of item b.idx[j] under m, and in
// related mode (where m is the prior) to its related score built on that
// (relatedOf): every list's scores, and the scores it shows, come from here.
func (s *state) scoreBatch(m *weights, b *batch) {
	idx := b.idx[:b.n]
	s.sum(m, idx, b.acc[:])
	if s.relatedMode {
		if s.personal {
			s.sum(&s.personalMix, idx, s.rest[:])
		}
		for j, i := range idx {
			b.acc[j] = s.relatedOf(int(i), b.acc[j], s.rest[j])
		}
	}
}

// offer scores the batch's items (scoreBatch) and offers them to h,
// emptying the batch.
func (s *state) offer(h *topK, m *weights, b *batch) {
	s.scoreBatch(m, b)
	for j, i := range b.idx[:b.n] {
		h.push(b.acc[j], int(i))
	}
	b.n = 0
}

// poolSize is how many candidates the personal list is chosen from: a few
// times more than the list needs, so that diversification has room.
func poolSize(count, n int) int {
	return min(n, max(3*count, count+20))
}
