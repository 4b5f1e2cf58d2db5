package rank

import (
	"github.com/hearth-dev/hearth/core/internal/chunk"
	"github.com/hearth-dev/hearth/core/profile"
)

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
	// The work over every item is done in chunks (package chunk): on the
	// reader's first list, one call over every item ran unoptimised.
	var vals [numTerms][]float32
	for k := range terms {
		vals[k] = make([]float32, e.n)
	}
	idx := make([]int32, min(chunk.Size, e.n))
	chunk.Each(e.n, func(lo, hi int) {
		ids := idx[:hi-lo]
		for j := range ids {
			ids[j] = int32(lo + j)
		}
		for k := range terms {
			if s.on(k) {
				s.add(k, 1, ids, vals[k][lo:])
			}
		}
	})
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
		chunk.Each(e.n, func(lo, hi int) { blendScores(&w, &vals, sc, lo, hi) })
		// Each target's rank: the items not blocked that score above it.
		var above [adaptTargets]int
		chunk.Each(e.n, func(lo, hi int) { countAbove(sc, targets, l.blocked, &above, lo, hi) })
		gain := 0.0
		for j := range targets {
			gain += 1 / float64(above[j]+1)
		}
		if gain > bestGain {
			best, bestGain = scale, gain
		}
	}
	return best
}

// blendScores sets sc[i], for items lo to hi, to the sum of the terms'
// values weighted by w.
//
//go:noinline
func blendScores(w *weights, vals *[numTerms][]float32, sc []float32, lo, hi int) {
	for i := lo; i < hi; i++ {
		var v float32
		for k := range terms {
			v += w[k] * vals[k][i]
		}
		sc[i] = v
	}
}

// countAbove adds to above[j], for items lo to hi, those not blocked that
// score above targets[j].
//
//go:noinline
func countAbove(sc []float32, targets []int32, blocked []uint64, above *[adaptTargets]int, lo, hi int) {
	for j, t := range targets {
		n, at := 0, sc[t]
		for i := lo; i < hi; i++ {
			if sc[i] > at && !bit(blocked, i) {
				n++
			}
		}
		above[j] += n
	}
}
