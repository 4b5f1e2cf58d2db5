package rank

import (
	"math"

	"github.com/hearth-dev/hearth/core/profile"
)

// The reader's blend. One site's best weights are not another's, nor one
// reader's another's: freshness carries a film site's gain, yet misleads
// where readers catch up on old items or where dates say little of what is
// read. So the device asks each reader's own history, which never leaves
// it, whether they read what was new when they read it. For each liked or
// read item it takes the item's freshness at the time of the event, minus
// the freshness the site's popularity would have given then (the
// popularity-weighted mean over adaptSample items spread through the
// catalogue). Freshness counts for the reader only when the mean of these
// differences is above zero at 95% one-sided confidence: mean > adaptZ ×
// its standard error. With fewer than two such events there is nothing to
// test, and the policy's weights stand.
//
// On ml-latest-small's validation targets this kept the gain freshness
// gives there, and where the items' dates were permuted among them (dates
// that say nothing) it matched the default without freshness, which the
// replay of each reader's latest items it replaced fell short of
// (docs/engine.md; docs/quality.md probes it on the test targets).
const (
	adaptSample = 256   // catalogue items the popularity-weighted mean is taken over
	adaptZ      = 1.645 // one-sided 95% quantile of the normal distribution
)

// ones is the policy's blend: every weight as the policy sets it. Its
// literal names one scale per term; the constants after it stop the build
// when a term is added or removed, which would leave a new term's scale at
// 0 (a function filling it cost 2 KB of the engine's brotli).
var ones = weights{1, 1, 1, 1}

const _, _ = uint(numTerms - 4), uint(4 - numTerms)

// adapt returns the scale of every term's weight for the reader of p: the
// policy's, or freshness turned off when the reader's history does not
// show them reading what was new.
func (e *Engine) adapt(p *profile.Profile) weights {
	if e.w[termFresh] == 0 {
		return ones
	}
	step := max(1, e.n/adaptSample)
	var den float64 // the sample's popularity: the mean's divisor at every event
	for j := 0; j < e.n; j += step {
		den += float64(e.pop[j])
	}
	var n, sum, sq float64
	for _, ev := range p.Events {
		i, ok := e.cat.Find(ev.Item)
		if !ok || !ev.Kind.Valid() || ev.Kind == profile.Mute || ev.Kind.Weight(ev.Dwell) <= 0 {
			continue
		}
		f := e.freshFactor(ev.Time)
		var num float64
		for j := 0; j < e.n; j += step {
			num += float64(e.pop[j]) * float64(e.fresh(j, f))
		}
		x := float64(e.fresh(i, f))
		if den > 0 {
			x -= num / den
		}
		n++
		sum += x
		sq += x * x
	}
	if n < 2 {
		return ones
	}
	mean := sum / n
	if sd := math.Sqrt(max(0, (sq-n*mean*mean)/(n-1))); mean > adaptZ*sd/math.Sqrt(n) {
		return ones
	}
	off := ones
	off[termFresh] = 0
	return off
}
