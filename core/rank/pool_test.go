package rank

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// TestState_Best checks that skipping the items the bounds rule out leaves
// the pool as scoring every item makes it: the same items, in the same
// order, with the same scores, for weights where similarity is minor,
// major or all there is, or popularity is off, with and without topic
// interests; and the same for the non-personal order's pool, exploration's
// and related mode's (which top scores without bounds).
func TestState_Best(t *testing.T) {
	for _, w := range []catalog.Weights{
		catalog.DefaultWeights(),
		{Similarity: 1, Topic: 0.6, Freshness: 0.25, Popularity: 0.15},
		{Similarity: 1},
		{Similarity: 10, Popularity: 10},
		{Similarity: 0.01, Topic: 10, Popularity: 1},
		{Freshness: 1, Popularity: 1},
		{Similarity: 1, Topic: 1}, // the prior weighs freshness and popularity equally
		{Freshness: 2},
	} {
		for _, n := range []int{10, 500, 3000} {
			c := synthetic(n, 16, uint64(n))
			c.Policy.Weights = w
			c.Policy.Pinned = []string{c.Items[n/2].ID, c.Items[n-1].ID}
			e := New(c)
			for seed := range uint64(3) {
				p := syntheticReader(c, seed)
				s := e.newState(p, Request{Now: now.Unix()})
				require.True(t, s.personal)
				for _, count := range []int{1, 10, 40} {
					wantIdx, wantScores := s.pool(count)
					gotIdx, gotScores := s.best(count)
					require.Equal(t, wantIdx, gotIdx, "%+v, %d items, count %d", w, n, count)
					require.Equal(t, wantScores, gotScores)
					// The non-personal order's pool: the prior, pinned
					// items left out.
					wantIdx, wantScores = s.priorPool(count)
					gotIdx, gotScores = s.top(&s.priorMix, count, offerUnpinned)
					require.Equal(t, wantIdx, gotIdx, "prior, %+v, %d items, count %d", w, n, count)
					require.Equal(t, wantScores, gotScores)
					// Exploration's: the prior, of unexplored items,
					// pinned ones too.
					wantIdx, wantScores = s.plainPool(count, s.unexplored, s.prior)
					gotIdx, gotScores = s.top(&s.priorMix, count, offerUnexplored)
					require.Equal(t, wantIdx, gotIdx, "explore, %+v, %d items, count %d", w, n, count)
					require.Equal(t, wantScores, gotScores)
					// Related mode's, with and without a profile.
					for _, p := range []*profile.Profile{p, nil} {
						r := e.newState(p, Request{Now: now.Unix(), Current: c.Items[n/3].ID, Related: true})
						r.relatedMode = true
						wantIdx, wantScores = r.plainPool(poolSize(count, n), func(int) bool { return true }, r.relatedScore)
						gotIdx, gotScores = r.top(&r.priorMix, poolSize(count, n), offerAll)
						require.Equal(t, wantIdx, gotIdx, "related, %+v, %d items, count %d", w, n, count)
						require.Equal(t, wantScores, gotScores)
					}
				}
			}
		}
	}
}

// plainPool is the plain computation of a pool: every candidate that ok
// takes scored, the best k kept.
func (s *state) plainPool(k int, ok func(i int) bool, score func(i int) float32) ([]int, []float32) {
	h := newTopK(k)
	for i := range s.e.n {
		if s.candidate(i) && ok(i) {
			h.push(score(i), i)
		}
	}
	return h.sorted()
}

// relatedScore is item i's related score computed on its own: relatedOf
// of its prior and, in a personal list, the sum of its personal terms.
func (s *state) relatedScore(i int) float32 {
	var p float32
	if s.personal {
		p = s.scoreOf(&s.personalMix, i)
	}
	return s.relatedOf(i, s.prior(i), p)
}

// pool is the plain computation best must equal: every candidate scored,
// the best poolSize kept by score, best first.
func (s *state) pool(count int) ([]int, []float32) {
	h := newTopK(poolSize(count, s.e.n))
	for i := range s.e.n {
		if s.candidate(i) {
			h.push(s.score(i), i)
		}
	}
	return h.sorted()
}

// priorPool is the plain computation of the non-personal pool.
func (s *state) priorPool(count int) ([]int, []float32) {
	h := newTopK(count)
	for i := range s.e.n {
		if s.candidate(i) && !bit(s.e.isPinned, i) {
			h.push(s.prior(i), i)
		}
	}
	return h.sorted()
}

// TestPopularityOrder checks the radix sort against the stable comparison
// sort it stands for: popularity highest first, ties in catalogue order.
func TestPopularityOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, 300, 5000} {
		pop := make([]float32, n)
		for i := range pop {
			switch rng.IntN(5) {
			case 0:
				pop[i] = 0
			case 1:
				pop[i] = float32(math.Copysign(0, -1))
			case 2:
				pop[i] = float32(rng.IntN(4)) / 3 // ties, and 1
			default:
				pop[i] = rng.Float32()
			}
		}
		want := make([]int32, n)
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(pop[b], pop[a]) })
		require.Equal(t, want, popularityOrder(pop), "n=%d", n)
	}
}
