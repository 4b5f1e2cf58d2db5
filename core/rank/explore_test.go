package rank

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSplitmix(t *testing.T) {
	// Reference values of splitmix64 seeded with 0.
	r := newRNG(0)
	require.Equal(t, uint64(0xe220a8397b1dcdaf), r.next())
	require.Equal(t, uint64(0x6e789e6aa1b965f4), r.next())
	r = newRNG(42)
	for range 1000 {
		f := r.float32()
		require.True(t, f >= 0 && f < 1)
		n := r.intn(7)
		require.True(t, n >= 0 && n < 7)
	}
}

func TestState_Explore(t *testing.T) {
	c := fixture(t)
	e := New(c)
	p := reader(t, c)
	list := func(s *state) []int {
		pool, scores := s.pool(6)
		return s.diversify(pool, scores, 6, s.lambda())
	}
	t.Run("never at rate zero", func(t *testing.T) {
		c2 := *c
		c2.Policy.Exploration = 1e-9
		s := New(&c2).newState(p, Request{Now: now.Unix()})
		for seed := range uint64(50) {
			_, explored := s.explore(list(s), 6, newRNG(seed))
			require.Equal(t, -1, explored)
		}
	})
	t.Run("always at rate one", func(t *testing.T) {
		c2 := *c
		c2.Policy.Exploration = 1
		s := New(&c2).newState(p, Request{Now: now.Unix()})
		seen := map[int]bool{}
		for seed := range uint64(50) {
			base := list(s)
			got, explored := s.explore(slices.Clone(base), 6, newRNG(seed))
			require.GreaterOrEqual(t, explored, 0)
			require.True(t, s.unexplored(explored), "no interest in any topic of %s", c.Items[explored].ID)
			require.True(t, s.candidate(explored))
			require.NotContains(t, base, explored)
			pos := slices.Index(got, explored)
			require.GreaterOrEqual(t, pos, 3, "in the second half")
			require.Len(t, got, 6)
			seen[explored] = true
		}
		require.Greater(t, len(seen), 1, "different seeds explore different items")
	})
	t.Run("deterministic", func(t *testing.T) {
		s := e.newState(p, Request{Now: now.Unix()})
		for seed := range uint64(20) {
			a, ea := s.explore(list(s), 6, newRNG(seed))
			b, eb := s.explore(list(s), 6, newRNG(seed))
			require.Equal(t, a, b)
			require.Equal(t, ea, eb)
		}
	})
	t.Run("rate is respected", func(t *testing.T) {
		s := e.newState(p, Request{Now: now.Unix()}) // fixture rate 0.25
		hits := 0
		for seed := range uint64(400) {
			if _, ex := s.explore(list(s), 6, newRNG(seed)); ex >= 0 {
				hits++
			}
		}
		require.InDelta(t, 100, hits, 30)
	})
}
