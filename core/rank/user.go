package rank

import (
	"cmp"
	"math"

	"github.com/hearth-dev/hearth/core/linalg"

	"github.com/hearth-dev/hearth/core/internal/sortx"
	"github.com/hearth-dev/hearth/core/profile"
)

// hist is one item of the reader's history with its net, recency-decayed
// signal: positive for reads and likes, negative for dislikes and hides.
// fold is the same signal as the fold-in weighs it, leaning on the
// reader's latest moments (RecentMoments); 0 without learned vectors.
type hist struct {
	item   int
	weight float32
	fold   float32
}

// alsAlpha scales event weights into implicit-ALS confidences
// c = 1 + alsAlpha·w: a full read (w = 1) counts eleven times an unseen item.
const alsAlpha = 10

// maxHistory bounds the items the user vector and explanations look at.
const maxHistory = 200

// RecentMoments: in the fold-in of learned vectors, an event's weight
// halves with every RecentMoments later moments of the reader's (distinct
// event times, so that events recorded together count alike), on top of
// the interest half-life in days. Learned vectors say what is read next to
// what; what a reader read last says most about what they read next, and a
// half-life in days cannot tell one sitting's reads apart. Chosen among
// 1, 2, 3 and 5 on the quality evaluation's validation targets (never its
// test targets), by the worst slice of readers, as the evaluation chooses
// its settings.
const RecentMoments = 3

// learned is what ranking derives from a profile on its own: topic
// interests, the reader's item history, the mean user vector and the items
// the reader has ruled out. It depends on the request's time only through
// ref, so a [Memo] keeps it from one request to the next.
//
// Decay is one factor for every event, 2^(−(now−ref)/half-life) for events
// up to ref, so it cancels in everything learned keeps: the history's
// order, the signs of its weights, the direction of the mean vector and the
// interests scaled to max |w| = 1. The weights are therefore decayed to ref,
// the newest event (or to now, if the clock is behind it: an event after now
// counts as happening now), and only the fold-in, whose confidences are not
// scale-free, multiplies them by the factor to now.
type learned struct {
	p        *profile.Profile
	ref      int64     // the time history weights are decayed to
	updated  int64     // the profile's Updated, from which interests decay
	interest []float32 // per vocabulary topic, scaled to max |w| = 1; nil when all are zero
	history  []hist    // the reader's items, strongest signal first
	mean     []float32 // unit mean vector of the history, nil without one
	blocked  []uint64  // bitset: excluded by the policy, read, hidden or muted
	scale    weights   // the reader's blend (adapt)
}

// learn derives from the active profile p what ranking needs, with history
// weights decayed to ref.
func (e *Engine) learn(p *profile.Profile, ref int64) *learned {
	l := &learned{p: p, ref: ref, updated: p.Updated}
	interest := make([]float32, len(e.cat.Topics))
	var top float32
	for _, in := range p.Interests {
		if k, ok := e.topicByID[in.Topic]; ok {
			interest[k] = in.Weight
			top = max(top, abs(in.Weight))
		}
	}
	if top > 0 {
		for k := range interest {
			interest[k] /= top
		}
		l.interest = interest
	}
	l.history = history(e, p, ref)
	if e.dim > 0 {
		l.mean = e.meanVector(l.history)
	}
	l.blocked = e.blocked(p)
	return l
}

// learnRef is the time a request at now decays history weights to: the
// newest event, or now when the clock is behind it.
func learnRef(p *profile.Profile, now int64) int64 {
	if len(p.Events) == 0 {
		return now
	}
	ref := p.Events[0].Time
	for _, ev := range p.Events {
		ref = max(ref, ev.Time)
	}
	return min(ref, now)
}

// use sets the request's view of what was learned: interests (none once
// decay has taken them to zero), history and the user vector, the fold-in
// of publisher factors when the catalogue has them, else the mean.
func (s *state) use(l *learned) {
	e := s.e
	if l.interest != nil && float32(profile.Decay(s.now-l.updated, e.pol.InterestHalfLifeDays)) != 0 {
		s.interest, s.anyTopic = l.interest, true
	}
	s.history = l.history
	s.blocked = l.blocked
	if e.gram != nil {
		f := float32(profile.Decay(s.now-l.ref, e.pol.InterestHalfLifeDays))
		hs := make([]hist, len(l.history))
		for k, h := range l.history {
			hs[k] = hist{item: h.item, weight: h.fold * f}
		}
		s.user = e.foldIn(hs)
	}
	if s.user == nil {
		s.user = l.mean
	}
}

// history aggregates the reader's events per catalogue item, each weighted
// by its kind and decayed by the interest half-life to ref, strongest
// first. Only a catalogue with learned vectors folds the reader in, so only
// there is fold set.
func history(e *Engine, p *profile.Profile, ref int64) []hist {
	var hs []hist
	var recent []float64
	if e.gram != nil {
		times := make([]int64, len(p.Events))
		for k, ev := range p.Events {
			times[k] = ev.Time
		}
		recent = RecentFactors(times)
	}
	for k, ev := range p.Events {
		if !ev.Kind.Valid() || ev.Kind == profile.Mute {
			continue
		}
		i, ok := e.cat.Find(ev.Item)
		if !ok {
			continue
		}
		w := ev.Kind.Weight(ev.Dwell) * float32(profile.Decay(ref-ev.Time, e.pol.InterestHalfLifeDays))
		h := hist{item: i, weight: w}
		if recent != nil {
			h.fold = w * float32(recent[k])
		}
		hs = append(hs, h)
	}
	sortx.Func(hs, func(a, b hist) int { return cmp.Compare(a.item, b.item) })
	out := hs[:0]
	for _, h := range hs {
		if n := len(out); n > 0 && out[n-1].item == h.item {
			out[n-1].weight += h.weight
			out[n-1].fold += h.fold
			continue
		}
		out = append(out, h)
	}
	sortx.StableFunc(out, func(a, b hist) int { return cmp.Compare(b.weight, a.weight) })
	if len(out) > maxHistory {
		out = out[:maxHistory]
	}
	return out
}

// RecentFactors are the factors by which the fold-in weighs a reader's
// events at times, given in the log's order (oldest first):
// 2^(−m/RecentMoments) for an event followed by m changes of time, its
// later moments. Events recorded at one time count alike.
func RecentFactors(times []int64) []float64 {
	out := make([]float64, len(times))
	later := 0
	for k := len(times) - 1; k >= 0; k-- {
		if k+1 < len(times) && times[k] != times[k+1] {
			later++
		}
		out[k] = math.Exp2(-float64(later) / RecentMoments)
	}
	return out
}

// meanVector is the fallback user vector: the signed, weighted mean of the
// unit vectors of the reader's items. It returns nil when there is none.
func (e *Engine) meanVector(hs []hist) []float32 {
	u := make([]float32, e.dim)
	y := make([]float32, e.dim)
	for _, h := range hs {
		if e.inv[h.item] == 0 {
			continue
		}
		f := h.weight * e.inv[h.item]
		for k, v := range e.row(h.item, y) {
			u[k] += f * v
		}
	}
	return normalize(u)
}

// foldIn computes the reader's factor by the implicit-ALS fold-in
//
//	u = (YᵀY + λI + Σ (cᵢ−1) yᵢyᵢᵀ)⁻¹ Σ cᵢ pᵢ yᵢ
//
// over the reader's items, with confidence cᵢ = 1 + α|wᵢ| and preference
// pᵢ = 1 for positive and 0 for negative signals. It costs O(n·d² + d³)
// and returns nil (so the caller falls back to the mean) when the reader
// has no positive item or the system is not positive definite.
func (e *Engine) foldIn(hs []hist) []float32 {
	d := e.dim
	a := make([]float64, d*d)
	copy(a, e.gram)
	for k := range d {
		a[k*d+k] += e.lambda
	}
	b := make([]float64, d)
	y := make([]float32, d)
	positive := false
	for _, h := range hs {
		if e.inv[h.item] == 0 || h.weight == 0 {
			continue
		}
		c := 1 + alsAlpha*float64(abs(h.weight))
		e.row(h.item, y)
		// Only the lower triangle is read by the Cholesky factorisation.
		for r := range d {
			f := (c - 1) * float64(y[r])
			row := a[r*d : r*d+r+1]
			for k := range row {
				row[k] += f * float64(y[k])
			}
		}
		if h.weight > 0 {
			positive = true
			for r := range d {
				b[r] += c * float64(y[r])
			}
		}
	}
	if !positive || !linalg.Cholesky(a, d) {
		return nil
	}
	linalg.Solve(a, d, b)
	u := make([]float32, d)
	for k, v := range b {
		u[k] = float32(v)
	}
	return normalize(u)
}

// normalize scales v to unit length in place, returning nil for a zero or
// non-finite vector.
func normalize(v []float32) []float32 {
	var ss float64
	for _, x := range v {
		ss += float64(x) * float64(x)
	}
	if !(ss > 1e-20) || math.IsInf(ss, 0) {
		return nil
	}
	f := float32(1 / math.Sqrt(ss))
	for k := range v {
		v[k] *= f
	}
	return v
}

func abs(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}
