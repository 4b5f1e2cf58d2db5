package rank

import (
	"math"
	"strconv"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// TestEngine_Recommend_ExtremeDates gives the engine a catalogue with one
// item dated far outside the years Validate allows, as rank.New sees a
// catalogue nobody validated: whatever the date, the clock and the
// half-life, no score is NaN or infinite, and the item (unpopular, without
// vector or topics, so nothing but a date could lift it) is never first
// nor called new. An item dated math.MinInt64 overflowed the freshness
// arithmetic into a NaN score, which the top-k heap ranked first.
func TestEngine_Recommend_ExtremeDates(t *testing.T) {
	day := int64(86400)
	for _, pub := range []int64{math.MinInt64, math.MinInt64 + 1, -1 << 62, catalog.MinPublished - 1, catalog.MaxPublished + 1, 1 << 62, math.MaxInt64} {
		for _, hl := range []float32{0.01, 14, 3650} {
			c := synthetic(300, 8, 7)
			c.Policy.FreshnessHalfLifeDays = hl
			odd := &c.Items[17]
			odd.Published, odd.Popularity, odd.Vector, odd.Scale, odd.Topics = pub, 0, nil, 0, nil
			e := New(c)
			p := syntheticReader(c, 3)
			for _, at := range []int64{0, now.Unix() + day, now.Unix() + 20*day, now.Unix() + 50*365*day, now.Unix() - 30*365*day} {
				for _, mode := range []struct {
					name string
					p    *profile.Profile
					req  Request
				}{
					{"non-personal", nil, Request{Count: 10, Now: at}},
					{"personal", p, Request{Count: 10, Now: at, Seed: 1}},
					{"related", p, Request{Count: 10, Now: at, Current: c.Items[3].ID, Related: true}},
				} {
					name := strconv.FormatInt(pub, 10) + "/" + strconv.FormatFloat(float64(hl), 'g', -1, 32) + "/" + strconv.FormatInt(at, 10) + "/" + mode.name
					recs := e.Recommend(mode.p, mode.req)
					require.Len(t, recs, 10, name)
					require.NotEqual(t, odd.ID, recs[0].ID, name)
					for _, r := range recs {
						require.False(t, math.IsNaN(float64(r.Score)) || math.IsInf(float64(r.Score), 0), "%s: %s scores %v", name, r.ID, r.Score)
						if r.ID == odd.ID {
							require.NotContains(t, codes(r.Reasons), ReasonNew, name)
						}
					}
				}
			}
		}
	}
}
