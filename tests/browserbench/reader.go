//go:build !js

package browserbench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
)

// Reader returns the benchmark's reader: a profile with consent granted
// and 100 events over the two months before now (mostly views and reads,
// some clicks and likes, a dislike, a hide and a mute), the same for the
// same catalogue and now. Its events stay within the default retention
// period, so the engine keeps all of them when it loads the profile at now.
func Reader(c *catalog.Catalogue, now time.Time) (*profile.Profile, error) {
	rng := rand.New(rand.NewPCG(Seed, 0xbe11c4))
	p := profile.New()
	if err := p.SetConsent(profile.ConsentGranted); err != nil {
		return nil, err
	}
	kinds := []profile.Kind{profile.View, profile.Read, profile.Read, profile.View, profile.Read, profile.Click, profile.Like}
	at := now.Add(-60 * 24 * time.Hour)
	for k := range 100 {
		ev := profile.Event{
			Item:  c.Items[rng.IntN(len(c.Items))].ID,
			Kind:  kinds[rng.IntN(len(kinds))],
			Dwell: float32(rng.IntN(180)),
		}
		switch k {
		case 40:
			ev.Kind = profile.Dislike
		case 60:
			ev.Kind = profile.Hide
		case 80:
			ev = profile.Event{Kind: profile.Mute, Topic: c.Topics[rng.IntN(len(c.Topics))]}
		}
		at = at.Add(14 * time.Hour)
		if _, err := p.Track(c, ev, at.Unix()); err != nil {
			return nil, fmt.Errorf("reader: event %d: %w", k, err)
		}
	}
	return p, nil
}

// Stats summarises timings in milliseconds.
type Stats struct {
	N      int     `json:"n"`
	Min    float64 `json:"min"`
	Median float64 `json:"median"`
	P95    float64 `json:"p95"`
	Max    float64 `json:"max"`
}

// Summarise returns the statistics of xs: the median and the 95th
// percentile are the samples at ranks ⌊0.5·n⌋ and ⌊0.95·n⌋ of the sorted
// samples (so with 50 samples the 95th percentile is the third largest).
func Summarise(xs []float64) Stats {
	if len(xs) == 0 {
		return Stats{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	q := func(p float64) float64 { return s[min(len(s)-1, int(math.Floor(p*float64(len(s)))))] }
	return Stats{N: len(s), Min: s[0], Median: q(0.5), P95: q(0.95), Max: s[len(s)-1]}
}
