//go:build !hearthlean

package catalog

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

// The lean codec (wire.go) against the msgp-generated reference
// (catalog_gen.go): same bytes out, same values in, same refusals.

// requireSameEncoding requires the lean encoder to write exactly what
// MarshalMsg writes for c.
func requireSameEncoding(t testing.TB, c *Catalogue) {
	ref, err := c.MarshalMsg(nil)
	require.NoError(t, err)
	lean := c.appendMsg(nil)
	require.Equal(t, ref, lean, "lean encoding differs from msgp")
}

// requireSameDecoding requires both decoders to refuse b, or both to accept
// it with identical values and the same bytes left over.
func requireSameDecoding(t testing.TB, b []byte) {
	var lean Catalogue
	leanRest, leanErr := unmarshalLean(&lean, b)
	if leanErr != nil && !wiretest.MsgpSafe(b) {
		// msgp would trust a header claiming billions of elements and
		// exhaust memory before failing; the lean codec refused it.
		return
	}
	var ref Catalogue
	refRest, refErr := ref.UnmarshalMsg(b)
	if refErr != nil {
		require.Error(t, leanErr, "msgp refuses % x: %v", b, refErr)
		return
	}
	require.NoError(t, leanErr, "msgp accepts % x", b)
	require.True(t, wiretest.Equal(&ref, &lean), "decoded values differ for % x\nmsgp: %#v\nlean: %#v", b, ref, lean)
	require.Equal(t, len(refRest), len(leanRest), "bytes left over")
	// Decoding bytes it may keep (DecodeOwned) reads the same values.
	var owned Catalogue
	ownedRest, err := readLean(&owned, append([]byte(nil), b...), true)
	require.NoError(t, err)
	require.True(t, wiretest.Equal(&ref, &owned), "decoded values differ for % x in place\nmsgp: %#v\nlean: %#v", b, ref, owned)
	require.Equal(t, len(refRest), len(ownedRest), "bytes left over in place")
}

// randomCatalogue fills a catalogue from seed.
func randomCatalogue(seed uint64, size int) *Catalogue {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	c := new(Catalogue)
	wiretest.Fill(c, data)
	return c
}

func TestCatalogue_appendMsg(t *testing.T) {
	tests := []struct {
		name string
		c    *Catalogue
	}{
		{"zero", &Catalogue{}},
		{"small", &Catalogue{
			Version: FormatVersion, ID: "c1", Generated: 1_700_000_000, Dim: 2, Lambda: 0.1,
			Topics: []string{"go", "wasm"}, Gram: []float32{1, 0, 0, 1},
			Policy: Policy{Diversity: 0.3, Consent: ConsentOptIn, RetentionDays: 90, SectionCaps: []SectionCap{{"news", 3}}},
			Items:  []Item{{ID: "a", URL: "/a", Topics: []TopicWeight{{1, 0.5}}, Vector: []byte{0x7f, 0x80}, Published: -1}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameEncoding(t, tt.c)
		})
	}
	t.Run("random", func(t *testing.T) {
		for seed := range uint64(300) {
			c := randomCatalogue(seed, 4096)
			requireSameEncoding(t, c)
			b := c.appendMsg(nil)
			require.GreaterOrEqual(t, c.sizeHint(), len(b), "sizeHint is an upper bound")
			requireSameDecoding(t, b)
			for _, n := range []int{1, len(b) / 2, len(b) - 1} {
				requireSameDecoding(t, b[:n]) // truncated
			}
		}
	})
}

func TestCatalogue_readMsg(t *testing.T) {
	// Inputs msgp accepts that the lean encoder never writes, and inputs
	// msgp refuses; each must get the same answer from both decoders.
	tests := []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"empty map", []byte{0x80}, true},
		{"unknown keys skipped", []byte{0x83, 0xa1, 'x', 0x92, 0x80, 0xc7, 0x01, 0x05, 0xaa, 0xa1, 'v', 0x01, 0xa1, 'y', 0xc0}, true},
		{"bin key", []byte{0x81, 0xc4, 0x01, 'v', 0x01}, true},
		{"wide int for v", []byte{0x81, 0xa1, 'v', 0xd3, 0, 0, 0, 0, 0, 0, 0, 1}, true},
		{"uint64 over int64", []byte{0x81, 0xa1, 'v', 0xcf, 0xff, 0, 0, 0, 0, 0, 0, 0}, false},
		{"map16 header", []byte{0xde, 0x00, 0x01, 0xa2, 'i', 'd', 0xa1, 'x'}, true},
		{"float64 for lambda", []byte{0x81, 0xa6, 'l', 'a', 'm', 'b', 'd', 'a', 0xcb, 0, 0, 0, 0, 0, 0, 0, 0}, false},
		{"nil topics", []byte{0x81, 0xa6, 't', 'o', 'p', 'i', 'c', 's', 0xc0}, false},
		{"empty topics", []byte{0x81, 0xa6, 't', 'o', 'p', 'i', 'c', 's', 0x90}, true},
		{"topic weight not a pair", []byte{0x81, 0xa5, 'i', 't', 'e', 'm', 's', 0x91, 0x81, 0xa6, 't', 'o', 'p', 'i', 'c', 's', 0x91, 0x93, 0x01, 0xca, 0, 0, 0, 0, 0xc0}, false},
		{"topic index over uint16", []byte{0x81, 0xa5, 'i', 't', 'e', 'm', 's', 0x91, 0x81, 0xa6, 't', 'o', 'p', 'i', 'c', 's', 0x91, 0x92, 0xce, 0, 1, 0, 0, 0xca, 0, 0, 0, 0}, false},
		{"str vector", []byte{0x81, 0xa5, 'i', 't', 'e', 'm', 's', 0x91, 0x81, 0xa3, 'v', 'e', 'c', 0xa1, 0x01}, false},
		{"duplicate items keep reused fields", []byte{0x82,
			0xa5, 'i', 't', 'e', 'm', 's', 0x91, 0x82, 0xa2, 'i', 'd', 0xa1, 'a', 0xa3, 'u', 'r', 'l', 0xa1, 'u',
			0xa5, 'i', 't', 'e', 'm', 's', 0x91, 0x81, 0xa2, 'i', 'd', 0xa1, 'b'}, true},
		{"items header longer than input", []byte{0x81, 0xa5, 'i', 't', 'e', 'm', 's', 0xdd, 0xff, 0xff, 0xff, 0xff, 0x80}, false},
		{"truncated", []byte{0x82, 0xa1, 'v', 0x01}, false},
		{"not a map", []byte{0x90}, false},
		{"invalid byte in skipped value", []byte{0x81, 0xa1, 'x', 0xc1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Catalogue
			_, err := unmarshalLean(&c, tt.in)
			if tt.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			requireSameDecoding(t, tt.in)
		})
	}
}

func TestCatalogue_readMsgVariants(t *testing.T) {
	// Every field set, so every field's decoder meets every variant.
	c := benchCatalogue(1)
	c.Gram, c.Lambda = []float32{1.5}, 0.25
	c.Items[0].Thumb = []byte{1}
	c.Policy = Policy{FreshnessHalfLifeDays: 1, InterestHalfLifeDays: 2, Diversity: 3, Exploration: 4,
		Weights: Weights{1, 2, 3, 4}, SectionCaps: []SectionCap{{"a", 1}}, Pinned: []string{"p"},
		Excluded: []string{"e"}, Sensitive: []string{"s"}, RetentionDays: 5, MaxEvents: 6, Consent: "c"}
	variants := wiretest.Variants(c.appendMsg(nil))
	require.Greater(t, len(variants), 500)
	for _, b := range variants {
		requireSameDecoding(t, b)
	}
}

func FuzzCatalogue_appendMsg(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x40, 0x01, 0x02, 0x03, 0xf9, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Catalogue
		wiretest.Fill(&c, data)
		requireSameEncoding(t, &c)
		requireSameDecoding(t, c.appendMsg(nil))
	})
}

func FuzzCatalogue_readMsg(f *testing.F) {
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		requireSameDecoding(t, b)
	})
}

// TestCatalogue_writeWireCorpus refreshes the seed corpora of the fuzz
// targets above from sample catalogues: HEARTH_UPDATE_CORPUS=1 go test.
func TestCatalogue_writeWireCorpus(t *testing.T) {
	if os.Getenv("HEARTH_UPDATE_CORPUS") == "" {
		t.Skip("set HEARTH_UPDATE_CORPUS=1 to rewrite testdata/fuzz")
	}
	write := func(target, name string, b []byte) {
		dir := filepath.Join("testdata", "fuzz", target)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(b)) + ")\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	for i, seed := range []uint64{1, 2, 3} {
		c := randomCatalogue(seed, 512)
		write("FuzzCatalogue_readMsg", fmt.Sprintf("random-%d", i), c.appendMsg(nil))
	}
	write("FuzzCatalogue_readMsg", "bench-3", benchCatalogue(3).appendMsg(nil))
	for i := range 3 {
		data := make([]byte, 256)
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		write("FuzzCatalogue_appendMsg", fmt.Sprintf("random-%d", i), data)
	}
}

// benchCatalogue returns a catalogue of n items shaped like a real one: a
// 32-dimensional vector, 3 topics and 8 terms per item.
func benchCatalogue(n int) *Catalogue {
	c := &Catalogue{Version: FormatVersion, ID: "bench", Generated: 1_700_000_000, Dim: 32,
		Policy: Policy{Diversity: 0.3, Consent: ConsentOptIn, Sensitive: []string{"health"}}}
	for i := range 64 {
		c.Topics = append(c.Topics, "topic-"+strconv.Itoa(i))
	}
	for i := range n {
		id := strconv.Itoa(i)
		it := Item{ID: "item-" + id, URL: "https://example.com/articles/" + id + "/a-readable-slug",
			Title: "A headline of a typical length for item " + id, Section: "news",
			Summary:   "One or two sentences that summarise the article for the recommendation card, about this long.",
			Published: 1_700_000_000 - int64(i)*3600, Popularity: float32(i%100) / 100, Scale: 0.01,
			Vector: make([]byte, 32)}
		for k := range 3 {
			it.Topics = append(it.Topics, TopicWeight{Topic: uint16((i + k*7) % 64), Weight: 0.5})
		}
		for k := range 8 {
			it.Terms = append(it.Terms, "term"+strconv.Itoa((i+k)%500))
		}
		for k := range it.Vector {
			it.Vector[k] = byte(i * k)
		}
		c.Items = append(c.Items, it)
	}
	return c
}

func BenchmarkCatalogue_decode(b *testing.B) {
	enc := benchCatalogue(10_000).appendMsg(nil)
	b.Run("lean", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		b.ReportAllocs()
		for b.Loop() {
			var c Catalogue
			if _, err := unmarshalLean(&c, enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("msgp", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		b.ReportAllocs()
		for b.Loop() {
			var c Catalogue
			if _, err := c.UnmarshalMsg(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCatalogue_encode(b *testing.B) {
	c := benchCatalogue(10_000)
	b.Run("lean", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			marshalLean(c, nil)
		}
	})
	b.Run("msgp", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.MarshalMsg(nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
