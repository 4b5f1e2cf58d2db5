package rank

import (
	"github.com/hearth-dev/hearth/core/internal/chunk"
	"github.com/hearth-dev/hearth/core/profile"
)

// blocked returns the bitset of items an active profile rules out, besides
// the policy's exclusions: what the reader read or hid and items of muted
// topics. The current page is not in it; candidate checks that.
func (e *Engine) blocked(p *profile.Profile) []uint64 {
	set := make([]uint64, len(e.excluded))
	copy(set, e.excluded)
	for _, list := range [][]string{p.ReadItems, p.Hidden} {
		for _, id := range list {
			if i, ok := e.cat.Find(id); ok {
				setBit(set, i)
			}
		}
	}
	if len(p.Muted) == 0 {
		return set
	}
	muted := make([]bool, len(e.cat.Topics))
	anyMuted := false
	for _, t := range p.Muted {
		if k, ok := e.topicByID[t]; ok {
			muted[k] = true
			anyMuted = true
		}
	}
	if !anyMuted {
		return set
	}
	chunk.Each(e.n, func(lo, hi int) { e.blockMuted(set, muted, lo, hi) })
	return set
}

// blockMuted sets the bits of items lo to hi that have a muted topic.
//
//go:noinline
func (e *Engine) blockMuted(set []uint64, muted []bool, lo, hi int) {
	for i := lo; i < hi; i++ {
		for a := e.topicOff[i]; a < e.topicOff[i+1]; a++ {
			if muted[e.topicIdx[a]] {
				setBit(set, i)
				break
			}
		}
	}
}

// candidate reports whether item i may be recommended: not the current
// page, not excluded by the policy and, with an active profile, not read,
// hidden or of a muted topic.
func (s *state) candidate(i int) bool { return !bit(s.blocked, i) && i != s.current }
