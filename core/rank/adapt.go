package rank

import "github.com/hearth-dev/hearth/core/profile"

// The reader's blend. One site's best weights are not another's, nor one
// reader's another's: freshness that carries a film site's gain misleads
// where readers catch up on old items, and how far a reader's own history
// predicts what they read next varies. So the device chooses each reader's
// blend from their own history, which never leaves it: it replays the
// reader's latest items as if they were next (the history before them as
// the profile, the time of the first of them as now) and keeps, among
// blends, the one that ranks them highest. The blends scale the policy's
// weights: freshness by one or zero (also scaling the personal terms by a
// third or three lowered both accuracy and diversity on ml-latest-small);
// the first, the policy's own, wins ties.
var blends = [...]struct{ personal, fresh float32 }{{1, 1}, {1, 0}}

// Replay sizes: a reader with fewer than adaptMin liked or read items
// keeps the policy's blend; the last fifth of the items, at most
// adaptTargets, are the replay's targets.
const (
	adaptMin     = 10
	adaptTargets = 5
)

// ones is the policy's blend: every weight as the policy sets it. Its
// literal names one scale per term; the constants after it stop the build
// when a term is added or removed, which would leave a new term's scale at
// 0 (a function filling it cost 2 KB of the engine's brotli).
var ones = weights{1, 1, 1, 1}

const _, _ = uint(numTerms - 4), uint(4 - numTerms)

// adapt returns the scale of every term's weight for the reader of p
// (blends).
func (e *Engine) adapt(p *profile.Profile) weights {
	var pos []int // the events of items with a positive signal
	for k, ev := range p.Events {
		if ev.Kind.Valid() && ev.Kind != profile.Mute && ev.Kind.Weight(ev.Dwell) > 0 {
			if _, ok := e.cat.Find(ev.Item); ok {
				pos = append(pos, k)
			}
		}
	}
	if len(pos) < adaptMin {
		return ones
	}
	cut := pos[len(pos)-min(adaptTargets, len(pos)/5)]
	past := *p
	past.Events = p.Events[:cut]
	past.ReadItems, past.Hidden = nil, nil
	// The interests the past events gave: what the later ones credited
	// taken back.
	past.Interests = append([]profile.Interest(nil), p.Interests...)
	for _, ev := range p.Events[cut:] {
		for _, c := range ev.Credit {
			for k := range past.Interests {
				if past.Interests[k].Topic == c.Topic {
					past.Interests[k].Weight -= c.Weight
				}
			}
		}
	}
	now := p.Events[cut].Time
	l := e.learn(&past, learnRef(&past, now))
	for _, h := range l.history {
		setBit(l.blocked, h.item)
	}
	var targets []int32
	for _, k := range pos[len(pos)-min(adaptTargets, len(pos)/5):] {
		if i, _ := e.cat.Find(p.Events[k].Item); !bit(l.blocked, i) {
			setBit(l.blocked, i)
			targets = append(targets, int32(i))
		}
	}
	if len(targets) == 0 {
		return ones
	}
	s := &state{e: e, now: now, factor: e.freshFactor(now), current: -1, explored: -1}
	s.use(l)
	// Every term's value of every item, once; a blend is a sum of them.
	idx := make([]int32, e.n)
	for i := range idx {
		idx[i] = int32(i)
	}
	var vals [numTerms][]float32
	for k := range terms {
		vals[k] = make([]float32, e.n)
		if s.on(k) {
			s.add(k, 1, idx, vals[k])
		}
	}
	best, bestGain := ones, -1.0
	sc := make([]float32, e.n)
	for _, b := range blends {
		scale := ones
		for k := range terms {
			if terms[k].personal {
				scale[k] = b.personal
			}
		}
		scale[termFresh] = b.fresh
		var w weights
		for k := range terms {
			w[k] = e.w[k] * scale[k]
		}
		for i := range sc {
			var v float32
			for k := range terms {
				v += w[k] * vals[k][i]
			}
			sc[i] = v
		}
		gain := 0.0
		for _, t := range targets {
			above := 0
			for i, v := range sc {
				if v > sc[t] && !bit(l.blocked, i) {
					above++
				}
			}
			gain += 1 / float64(above+1)
		}
		if gain > bestGain {
			best, bestGain = scale, gain
		}
	}
	return best
}
