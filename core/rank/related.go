package rank

// Related-mode mix: similarity to the current item dominates; the reader's
// own relevance and the priors only reorder close calls.
const (
	relatedVector   = 0.7 // share of vector cosine in item similarity when both items have vectors
	relatedPersonal = 0.2
	relatedPrior    = 0.1
)

// related ranks candidates by similarity to the current item (vector and
// topics), lightly personalised, then diversifies with half the strength of
// a personal list, keeping the section caps.
func (s *state) related(count int) []int {
	pool, scores := s.top(&s.priorMix, poolSize(count, s.e.n), offerAll)
	return s.diversify(pool, scores, count, s.lambda()/2)
}

// relatedOf is item i's score in related mode given its prior and, when
// the list is personal, the sum of its personal terms (similarity and
// topic). Each is scaled by the sum of its weights to at most 1, so that
// the similarity to the current item leads.
func (s *state) relatedOf(i int, prior, personal float32) float32 {
	e, c := s.e, s.current
	sim := e.topicSim(c, i)
	if e.inv[c] != 0 && e.inv[i] != 0 {
		sim = relatedVector*e.dotItems(c, i)*e.inv[c]*e.inv[i] + (1-relatedVector)*sim
	}
	sc := sim + relatedPrior*prior/max(e.priorSum, 1e-6)
	if s.personal {
		sc += relatedPersonal * personal / max(e.personalSum, 1e-6)
	}
	return sc
}

// nonPersonal is the publisher's order: pinned candidates in policy order,
// then the best candidates by freshness and popularity within the section
// caps (pinned items count toward a cap but are never dropped by it).
func (s *state) nonPersonal(count int) []int {
	e := s.e
	out := make([]int, 0, count)
	caps := newSectionCount(e)
	for _, p := range e.pinned {
		if len(out) < count && s.candidate(int(p)) {
			out = append(out, int(p))
			caps.add(int(p))
		}
	}
	pool, _ := s.top(&s.priorMix, min(e.n, 4*count+20), offerUnpinned)
	for _, i := range pool {
		if len(out) == count {
			break
		}
		if !caps.full(i) {
			out = append(out, i)
			caps.add(i)
		}
	}
	return out
}
