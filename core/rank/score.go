package rank

// score is item i's personal relevance: the weighted sum of the cosine of
// the user vector with the item vector, the item's topic-interest overlap,
// and the freshness and popularity priors.
func (s *state) score(i int) float32 {
	e := s.e
	sc := s.w.Freshness*e.fresh(i, s.factor) + s.w.Popularity*e.pop[i]
	if s.user != nil && e.inv[i] != 0 {
		sc += s.w.Similarity * dot(s.user, e.row(i)) * e.inv[i]
	}
	if s.anyTopic {
		sc += s.w.Topic * s.topicScore(i)
	}
	return sc
}

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

// prior is the non-personal score: freshness and popularity, weighted by
// the policy (equally when the policy gives both zero weight).
func (s *state) prior(i int) float32 {
	e := s.e
	wf, wp := s.w.Freshness, s.w.Popularity
	if wf == 0 && wp == 0 {
		wf, wp = 1, 1
	}
	return wf*e.fresh(i, s.factor) + wp*e.pop[i]
}

// poolSize is how many candidates the personal list is chosen from: a few
// times more than the list needs, so that diversification has room.
func poolSize(count, n int) int {
	return min(n, max(3*count, count+20))
}
