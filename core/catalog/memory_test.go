package catalog_test

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/rank"
)

// allocated returns the bytes f allocates (runtime.MemStats.TotalAlloc,
// garbage included).
func allocated(f func()) int {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return int(after.TotalAlloc - before.TotalAlloc)
}

// shaped returns a valid catalogue of n items with ids, URLs and titles,
// each item then given more by item.
func shaped(n, dim int, topics []string, item func(i int, it *catalog.Item)) *catalog.Catalogue {
	c := &catalog.Catalogue{Version: catalog.FormatVersion, ID: "mem", Generated: 1_700_000_000, Dim: dim, Topics: topics}
	c.Items = make([]catalog.Item, n)
	for i := range c.Items {
		id := strconv.Itoa(i)
		c.Items[i] = catalog.Item{ID: id, URL: "/" + id, Title: "t"}
		if item != nil {
			item(i, &c.Items[i])
		}
	}
	return c
}

// amplified is the catalogue of the memory amplification attack: n valid
// items, each with 64 empty key terms, a byte each on the wire and a
// 16-byte string header each once decoded.
func amplified(n int) []byte {
	c := shaped(n, 0, nil, func(i int, it *catalog.Item) { it.Terms = make([]string, 64) })
	b, err := c.Encode()
	if err != nil {
		panic(err)
	}
	return b
}

// TestDecode_chargesWhatItAllocates holds the limiter's charges to what
// decoding a catalogue (Decode: the codec, Validate) and building the
// engine's index of it (rank.New) really allocate, for catalogues that
// exercise each column: the charge, made before anything is allocated,
// must cover it.
func TestDecode_chargesWhatItAllocates(t *testing.T) {
	const n = 20_000
	vocabulary := make([]string, 1<<16)
	for i := range vocabulary {
		vocabulary[i] = "t" + strconv.Itoa(i)
	}
	ids := func(k int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = strconv.Itoa(i)
		}
		return out
	}
	tests := []struct {
		name string
		c    *catalog.Catalogue
	}{
		{"ids, URLs and titles", shaped(n, 0, nil, nil)},
		{"a section per item", shaped(n, 0, nil, func(i int, it *catalog.Item) { it.Section = strconv.Itoa(i) })},
		{"summaries", shaped(n, 0, nil, func(i int, it *catalog.Item) { it.Summary = "s" })},
		{"topics", shaped(n, 0, []string{"a", "b", "c", "d"}, func(i int, it *catalog.Item) {
			it.Topics = []catalog.TopicWeight{{Topic: 0, Weight: 1}, {Topic: 1, Weight: 0.5}, {Topic: 3, Weight: 0.25}}
		})},
		{"one topic", shaped(n, 0, []string{"a"}, func(i int, it *catalog.Item) {
			it.Topics = []catalog.TopicWeight{{Topic: 0, Weight: 1}}
		})},
		{"64 empty terms", shaped(n, 0, nil, func(i int, it *catalog.Item) { it.Terms = make([]string, 64) })},
		{"numbers", shaped(n, 0, nil, func(i int, it *catalog.Item) { it.Published, it.Popularity = int64(i), 0.5 })},
		{"vectors", shaped(n, 32, nil, func(i int, it *catalog.Item) { it.Vector, it.Scale = make([]byte, 32), 0.1 })},
		{"dim without vectors", shaped(n, 256, nil, nil)},
		{"thumbnails", shaped(n, 0, nil, func(i int, it *catalog.Item) { it.Thumb = []byte(strconv.Itoa(i)) })},
		{"largest vocabulary", shaped(10, 0, vocabulary, nil)},
		{"gram", func() *catalog.Catalogue {
			c := shaped(10, 256, nil, nil)
			c.Gram, c.Lambda = make([]float32, 256*256), 0.1
			return c
		}()},
		{"policy lists", func() *catalog.Catalogue {
			c := shaped(n, 0, nil, nil)
			c.Policy.Pinned, c.Policy.Excluded = ids(10_000), ids(10_000)
			c.Policy.Sensitive = ids(10_000)
			for i := range 10_000 {
				c.Policy.SectionCaps = append(c.Policy.SectionCaps, catalog.SectionCap{Section: strconv.Itoa(i), Max: 1})
			}
			return c
		}()},
		{"a catalogue of the builder's", shaped(n, 32, vocabulary[:64], func(i int, it *catalog.Item) {
			id := strconv.Itoa(i)
			it.ID, it.URL = "item"+id, "https://example.com/articles/"+id+"/a-readable-slug"
			it.Title, it.Section = "A headline of a typical length for item "+id, []string{"news", "sport", "culture"}[i%3]
			it.Published, it.Popularity = 1_700_000_000-int64(i)*3600, float32(i%100)/100
			it.Vector, it.Scale = make([]byte, 32), 0.01
			it.Topics = []catalog.TopicWeight{{Topic: uint16(i % 64), Weight: 1}, {Topic: uint16((i + 7) % 64), Weight: 0.4}}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.c.Encode()
			require.NoError(t, err)
			charged, _, err := catalog.Charge(b)
			require.NoError(t, err)
			var c *catalog.Catalogue
			got := allocated(func() {
				c, err = catalog.DecodeLimits(b, catalog.Unlimited)
				if err == nil {
					rank.New(c)
				}
			})
			require.NoError(t, err)
			t.Logf("%d bytes: charged %d (%.1f per byte), allocated %d (%.2f of the charge)",
				len(b), charged, float64(charged)/float64(len(b)), got, float64(got)/float64(charged))
			require.LessOrEqual(t, got, charged, "decoding and ranking allocate more than the limiter charged")
		})
	}
}

// TestDecode_amplification is the memory amplification attack: a valid
// catalogue of 200,000 items, each with 64 empty key terms, 16 MB raw
// (under 0.5 MB as gzip), which decoded to 265 MB. It is refused before
// the terms are allocated, having allocated the copy of the input its
// strings share and the columns before the terms: 1.6 bytes per byte.
func TestDecode_amplification(t *testing.T) {
	b := amplified(200_000)
	var err error
	got := allocated(func() { _, err = catalog.Decode(b) })
	require.ErrorIs(t, err, catalog.ErrTooLarge)
	require.Contains(t, err.Error(), "item terms: decoded size over the")
	t.Logf("%d bytes: refused, %d bytes allocated (%.1f per byte): %v", len(b), got, float64(got)/float64(len(b)), err)
	require.Less(t, got, 3*len(b), "allocated before refusing")
}

// TestDecode_budget: the budget is the smaller of MaxMemory and
// MaxMemoryRatio bytes per encoded byte, and at least 1 MiB.
func TestDecode_budget(t *testing.T) {
	b := amplified(2_000) // 160 KB, 2 MB once decoded
	tests := []struct {
		name string
		lim  catalog.Limits
		ok   bool
	}{
		{"defaults: 8 bytes per byte", catalog.Limits{}, false},
		{"a larger ratio", catalog.Limits{MaxMemoryRatio: 20}, true},
		{"a larger ratio, under MaxMemory", catalog.Limits{MaxMemoryRatio: 20, MaxMemory: 2 << 20}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.DecodeLimits(b, tt.lim)
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, catalog.ErrTooLarge)
			require.True(t, strings.Contains(err.Error(), "-byte budget"), err.Error())
		})
	}
	// A catalogue of a few items charges far more than 8 bytes per byte,
	// and decodes under the 1 MiB floor.
	small, err := shaped(100, 0, nil, nil).Encode()
	require.NoError(t, err)
	charged, _, err := catalog.Charge(small)
	require.NoError(t, err)
	require.Greater(t, charged, 8*len(small))
	_, err = catalog.Decode(small)
	require.NoError(t, err)
}
