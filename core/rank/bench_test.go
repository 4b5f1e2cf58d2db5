package rank

import (
	"fmt"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/profile/profiletest"
	"github.com/stretchr/testify/require"
)

// synthetic builds a catalogue of n items with dim-dimensional vectors, 200
// topics, 12 sections and a year of publication dates: the shape of a big
// publisher's catalogue, deterministic for a seed.
func synthetic(n, dim int, seed uint64) *catalog.Catalogue {
	r := newRNG(seed)
	c := &catalog.Catalogue{Version: catalog.FormatVersion, ID: "synthetic", Generated: now.Unix(), Dim: dim}
	for k := range 200 {
		c.Topics = append(c.Topics, fmt.Sprintf("topic-%03d", k))
	}
	c.Policy.SectionCaps = []catalog.SectionCap{{Section: "section-0", Max: 3}}
	c.Items = make([]catalog.Item, n)
	vecs := make([]byte, n*dim)
	for i := range c.Items {
		it := &c.Items[i]
		it.ID = fmt.Sprintf("item-%06d", i)
		it.URL = "/posts/" + it.ID
		it.Title = "Post " + it.ID
		it.Section = fmt.Sprintf("section-%d", r.intn(12))
		first := r.intn(200)
		it.Topics = []catalog.TopicWeight{{Topic: uint16(first), Weight: 1}}
		if second := r.intn(200); second != first && r.intn(2) == 0 {
			it.Topics = append(it.Topics, catalog.TopicWeight{Topic: uint16(second), Weight: 0.5})
		}
		it.Vector = vecs[i*dim : (i+1)*dim : (i+1)*dim]
		for k := range it.Vector {
			it.Vector[k] = byte(int8(r.intn(255) - 127))
		}
		it.Scale = 1.0 / 127
		it.Published = now.Unix() - int64(r.intn(365*86400))
		it.Popularity = r.float32()
	}
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

// syntheticReader is the benchmarks' returning reader of c
// (profiletest.Reader), its choices drawn from seed.
func syntheticReader(c *catalog.Catalogue, seed uint64) *profile.Profile {
	p, err := profiletest.Reader(c, now, newRNG(seed).intn)
	if err != nil {
		panic(err)
	}
	return p
}

func BenchmarkEngine_Recommend(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		c := synthetic(n, 64, 1)
		e := New(c)
		p := syntheticReader(c, 2)
		for _, mode := range []struct {
			name string
			e    *Engine
			p    *profile.Profile
			req  Request
			memo bool
		}{
			{"personal", e, p, Request{Count: 10, Now: now.Unix(), Seed: 3, Current: c.Items[5].ID}, false},
			// As Hearth's Worker ranks: with a memo, one second later
			// each time (a memo hit, as long as the profile is unchanged).
			{"memo", e, p, Request{Count: 10, Now: now.Unix(), Seed: 3, Current: c.Items[5].ID}, true},
			{"fold-in", New(withGram(c, 1)), p, Request{Count: 10, Now: now.Unix(), Seed: 3}, false},
			{"non-personal", e, nil, Request{Count: 10, Now: now.Unix()}, false},
			{"related", e, p, Request{Count: 10, Now: now.Unix(), Current: c.Items[5].ID, Related: true}, false},
		} {
			b.Run(fmt.Sprintf("%s/%dk", mode.name, n/1000), func(b *testing.B) {
				b.ReportAllocs()
				var m Memo
				req := mode.req
				for b.Loop() {
					var recs []Recommendation
					if mode.memo {
						req.Now++
						recs = mode.e.RecommendMemo(&m, mode.p, req)
					} else {
						recs = mode.e.Recommend(mode.p, req)
					}
					if len(recs) != 10 {
						b.Fatal("short list")
					}
				}
			})
		}
	}
}

// BenchmarkEngine_FoldInDim is the fold-in's cost by the learned vectors'
// dimension at 10k items: 65 is hearth-catalog's factors with the mapping's
// error, 97 with the default 32-d text appended (collab.AppendText), 129
// with 64-d text.
func BenchmarkEngine_FoldInDim(b *testing.B) {
	for _, dim := range []int{65, 97, 129} {
		c := withGram(synthetic(10_000, dim, 1), 1)
		e := New(c)
		p := syntheticReader(c, 2)
		b.Run(fmt.Sprintf("d%d", dim), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if recs := e.Recommend(p, Request{Count: 10, Now: now.Unix(), Seed: 3}); len(recs) != 10 {
					b.Fatal("short list")
				}
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	c := synthetic(10_000, 64, 1)
	b.ReportAllocs()
	for b.Loop() {
		New(c)
	}
}

// TestEngine_Recommend_AllocsFlat checks that allocations per request do
// not grow with the number of candidates: scoring allocates nothing per item.
func TestEngine_Recommend_AllocsFlat(t *testing.T) {
	allocs := func(n int) float64 {
		c := synthetic(n, 16, 1)
		e := New(c)
		p := syntheticReader(c, 2)
		req := Request{Count: 10, Now: now.Unix(), Seed: 5}
		return testing.AllocsPerRun(5, func() { e.Recommend(p, req) })
	}
	small, large := allocs(500), allocs(4000)
	// The two lists differ in reasons and text, which allocate per listed
	// item; an allocation per candidate would add thousands.
	require.InDelta(t, small, large, 15, "allocations per request: %v at 500 items, %v at 4000", small, large)
}
