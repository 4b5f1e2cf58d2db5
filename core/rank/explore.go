package rank

import "slices"

// exploreChoices is how many of the best unexplored items the explore slot
// picks from, so that it is not always the same item for the same topic.
const exploreChoices = 8

// explore, with probability Exploration, puts into one slot of the second
// half of the list an item none of whose topics the reader has any
// interest in (neither positive nor negative), chosen at random among the
// best such candidates by the non-personal prior. It returns the list and
// the explored item (-1 when none). All randomness comes from rng.
func (s *state) explore(list []int, count int, rng *splitmix) ([]int, int) {
	if rng.float32() >= s.e.pol.Exploration {
		return list, -1
	}
	// The best exploreChoices not in the list: top keeps as many more as
	// the list holds, which dropping the list's leaves.
	choices, _ := s.top(&s.priorMix, exploreChoices+len(list), offerUnexplored)
	n := 0
	for _, i := range choices {
		if n < exploreChoices && !slices.Contains(list, i) {
			choices[n] = i
			n++
		}
	}
	choices = choices[:n]
	if len(choices) == 0 {
		return list, -1
	}
	pick := choices[rng.intn(len(choices))]
	lo := count / 2
	pos := min(lo+rng.intn(count-lo), len(list))
	// slices.Insert, by hand: its instantiation was 2.9 KB of wasm code for
	// this one call.
	list = append(list, 0)
	copy(list[pos+1:], list[pos:])
	list[pos] = pick
	if len(list) > count {
		list = list[:count]
	}
	return list, pick
}

// unexplored reports whether item i has topics and the reader has no
// interest in any of them.
func (s *state) unexplored(i int) bool {
	e := s.e
	if e.topicOff[i] == e.topicOff[i+1] {
		return false
	}
	for a := e.topicOff[i]; a < e.topicOff[i+1]; a++ {
		if s.interest != nil && s.interest[e.topicIdx[a]] != 0 {
			return false
		}
	}
	return true
}

// splitmix is splitmix64 (Steele, Lea and Flood): a tiny, fast, seedable
// generator, so exploration is reproducible without global randomness.
type splitmix struct{ state uint64 }

func newRNG(seed uint64) *splitmix { return &splitmix{state: seed} }

func (r *splitmix) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float32 returns a number in [0, 1).
func (r *splitmix) float32() float32 { return float32(r.next()>>40) / (1 << 24) }

// intn returns a number in [0, n) for n > 0.
func (r *splitmix) intn(n int) int { return int(r.next() % uint64(n)) }
