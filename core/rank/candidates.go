package rank

import "github.com/hearth-dev/hearth/core/profile"

// candidates marks in s.blocked every item that must not be recommended:
// the policy's exclusions and the current page always; with an active
// profile also what the reader read or hid and items of muted topics.
func (s *state) candidates(p *profile.Profile) {
	e := s.e
	s.blocked = make([]uint64, len(e.excluded))
	copy(s.blocked, e.excluded)
	if s.current >= 0 {
		setBit(s.blocked, s.current)
	}
	if !s.active {
		return
	}
	for _, list := range [][]string{p.ReadItems, p.Hidden} {
		for _, id := range list {
			if i, ok := e.cat.Find(id); ok {
				setBit(s.blocked, i)
			}
		}
	}
	if len(p.Muted) == 0 {
		return
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
		return
	}
	for i := range e.n {
		for a := e.topicOff[i]; a < e.topicOff[i+1]; a++ {
			if muted[e.topicIdx[a]] {
				setBit(s.blocked, i)
				break
			}
		}
	}
}

// candidate reports whether item i may be recommended.
func (s *state) candidate(i int) bool { return !bit(s.blocked, i) }
