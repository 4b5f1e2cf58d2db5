//go:build !js

package browserbench

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/profile/profiletest"
)

// Reader returns the benchmark's reader of c (profiletest.Reader), the
// same for the same catalogue and now.
func Reader(c *catalog.Catalogue, now time.Time) (*profile.Profile, error) {
	return profiletest.Reader(c, now, rand.New(rand.NewPCG(Seed, 0xbe11c4)).IntN)
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
