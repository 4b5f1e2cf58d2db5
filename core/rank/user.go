package rank

import (
	"cmp"
	"math"
	"time"

	"github.com/hearth-dev/hearth/core/internal/sortx"
	"github.com/hearth-dev/hearth/core/profile"
)

// hist is one item of the reader's history with its net, recency-decayed
// signal: positive for reads and likes, negative for dislikes and hides.
type hist struct {
	item   int
	weight float32
}

// alsAlpha scales event weights into implicit-ALS confidences
// c = 1 + alsAlpha·w: a full read (w = 1) counts eleven times an unseen item.
const alsAlpha = 10

// maxHistory bounds the items the user vector and explanations look at.
const maxHistory = 200

// learn derives from the profile what scoring needs: topic interests by
// vocabulary index, the reader's item history and the user vector.
func (s *state) learn(p *profile.Profile) {
	e := s.e
	s.interest = make([]float32, len(e.cat.Topics))
	var top float32
	for _, in := range p.InterestsAt(e.pol, unix(s.now)) {
		if k, ok := e.topicByID[in.Topic]; ok {
			s.interest[k] = in.Weight
			top = max(top, abs(in.Weight))
		}
	}
	if top > 0 {
		for k := range s.interest {
			s.interest[k] /= top
		}
		s.anyTopic = true
	}
	s.history = history(e, p, s.now)
	if e.dim == 0 {
		return
	}
	if e.gram != nil {
		s.user = e.foldIn(s.history)
	}
	if s.user == nil {
		s.user = e.meanVector(s.history)
	}
}

// history aggregates the reader's events per catalogue item, each weighted
// by its kind and decayed by the interest half-life, strongest first.
func history(e *Engine, p *profile.Profile, now int64) []hist {
	var hs []hist
	for _, ev := range p.Events {
		if !ev.Kind.Valid() || ev.Kind == profile.Mute {
			continue
		}
		i, ok := e.cat.Find(ev.Item)
		if !ok {
			continue
		}
		w := ev.Kind.Weight(ev.Dwell) * float32(profile.Decay(now-ev.Time, e.pol.InterestHalfLifeDays))
		hs = append(hs, hist{item: i, weight: w})
	}
	sortx.Func(hs, func(a, b hist) int { return cmp.Compare(a.item, b.item) })
	out := hs[:0]
	for _, h := range hs {
		if n := len(out); n > 0 && out[n-1].item == h.item {
			out[n-1].weight += h.weight
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

// meanVector is the fallback user vector: the signed, weighted mean of the
// unit vectors of the reader's items. It returns nil when there is none.
func (e *Engine) meanVector(hs []hist) []float32 {
	u := make([]float32, e.dim)
	for _, h := range hs {
		if e.inv[h.item] == 0 {
			continue
		}
		f := h.weight * e.inv[h.item]
		for k, v := range e.row(h.item) {
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
	positive := false
	for _, h := range hs {
		if e.inv[h.item] == 0 || h.weight == 0 {
			continue
		}
		c := 1 + alsAlpha*float64(abs(h.weight))
		y := e.row(h.item)
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
	if !positive || !cholesky(a, d) {
		return nil
	}
	solve(a, d, b)
	u := make([]float32, d)
	for k, v := range b {
		u[k] = float32(v)
	}
	return normalize(u)
}

// cholesky factors the symmetric positive definite d×d matrix whose lower
// triangle is in a into L Lᵀ, in place (L in the lower triangle). It
// reports false when a is not positive definite.
func cholesky(a []float64, d int) bool {
	for j := range d {
		rj := a[j*d : j*d+j+1]
		s := rj[j]
		for k := range j {
			s -= rj[k] * rj[k]
		}
		if !(s > 1e-12) || math.IsInf(s, 0) {
			return false
		}
		ljj := math.Sqrt(s)
		rj[j] = ljj
		for i := j + 1; i < d; i++ {
			ri := a[i*d : i*d+j+1]
			t := ri[j]
			for k := range j {
				t -= ri[k] * rj[k]
			}
			ri[j] = t / ljj
		}
	}
	return true
}

// solve overwrites b with the solution of L Lᵀ x = b for the factor L in a.
func solve(a []float64, d int, b []float64) {
	for i := range d {
		s := b[i]
		for k := range i {
			s -= a[i*d+k] * b[k]
		}
		b[i] = s / a[i*d+i]
	}
	for i := d - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < d; k++ {
			s -= a[k*d+i] * b[k]
		}
		b[i] = s / a[i*d+i]
	}
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

func unix(sec int64) time.Time { return time.Unix(sec, 0) }
