//go:build !hearthlean

package catalog

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

// The lean codec (catalog_lean_gen.go) against the msgp-generated reference
// (catalog_gen.go): same bytes out, same values in, same refusals, but for
// numbers of another kind than the field's, which only the lean codec reads.

// requireSameEncoding requires the lean encoder to write exactly what
// MarshalMsg writes for d.
func requireSameEncoding(t testing.TB, d *document) {
	ref, err := d.MarshalMsg(nil)
	require.NoError(t, err)
	lean := d.appendMsg(nil)
	require.Equal(t, ref, lean, "lean encoding differs from msgp")
}

// requireSameDecoding requires both decoders to refuse b, or both to accept
// it with identical values and the same bytes left over, or the lean one
// alone to accept b, then as msgp accepts b with its numbers in their
// fields' kinds (wiretest.Widened).
func requireSameDecoding(t testing.TB, b []byte) {
	var lean document
	leanRest, leanErr := readLean(&lean, b, false)
	if leanErr != nil && !wiretest.MsgpSafe(b) {
		// msgp would trust a header claiming billions of elements and
		// exhaust memory before failing; the lean codec refused it.
		return
	}
	var ref document
	refRest, refErr := ref.UnmarshalMsg(b)
	if refErr != nil && leanErr == nil {
		require.NoError(t, wiretest.Widened(b, &lean, &document{}, len(leanRest)), "msgp refuses % x: %v", b, refErr)
		return
	}
	if refErr != nil {
		return
	}
	require.NoError(t, leanErr, "msgp accepts % x", b)
	require.True(t, wiretest.Equal(&ref, &lean), "decoded values differ for % x\nmsgp: %#v\nlean: %#v", b, ref, lean)
	require.Equal(t, len(refRest), len(leanRest), "bytes left over")
	// Decoding bytes it may keep (DecodeOwned) reads the same values.
	var owned document
	ownedRest, err := readLean(&owned, append([]byte(nil), b...), true)
	require.NoError(t, err)
	require.True(t, wiretest.Equal(&ref, &owned), "decoded values differ for % x in place\nmsgp: %#v\nlean: %#v", b, ref, owned)
	require.Equal(t, len(refRest), len(ownedRest), "bytes left over in place")
}

// randomDocument fills a document from seed: columns of any lengths, which
// the codecs carry as they are (columns.go judges them).
func randomDocument(seed uint64, size int) *document {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	d := new(document)
	wiretest.Fill(d, data)
	return d
}

// encodeDoc is the document of c, which must convert.
func encodeDoc(t testing.TB, c *Catalogue) *document {
	d, err := c.document()
	require.NoError(t, err)
	return d
}

func TestDocument_appendMsg(t *testing.T) {
	tests := []struct {
		name string
		d    *document
	}{
		{"zero", &document{}},
		{"small", encodeDoc(t, &Catalogue{
			Version: FormatVersion, ID: "c1", Generated: 1_700_000_000, Dim: 2, Lambda: 0.1,
			Topics: []string{"go", "wasm"}, Gram: []float32{1, 0, 0, 1},
			Policy: Policy{Diversity: 0.3, Consent: ConsentOptIn, RetentionDays: 90, SectionCaps: []SectionCap{{"news", 3}}},
			Items: []Item{{ID: "a", URL: "/a", Topics: []TopicWeight{{1, 0.5}}, Vector: []byte{0x7f, 0x80}, Scale: 1, Published: -1},
				{ID: "b", URL: "/b", Terms: []string{"t"}, Thumb: []byte{1}}},
		})},
		{"bench", encodeDoc(t, benchCatalogue(3))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameEncoding(t, tt.d)
			requireSameDecoding(t, tt.d.appendMsg(nil))
		})
	}
	t.Run("random", func(t *testing.T) {
		for seed := range uint64(300) {
			d := randomDocument(seed, 4096)
			requireSameEncoding(t, d)
			b := d.appendMsg(nil)
			require.GreaterOrEqual(t, d.sizeHint(), len(b), "sizeHint is an upper bound")
			requireSameDecoding(t, b)
			for _, n := range []int{1, len(b) / 2, len(b) - 1} {
				requireSameDecoding(t, b[:n]) // truncated
			}
		}
	})
}

// items is a document whose items map holds the given raw entries.
func items(n byte, entries ...byte) []byte {
	return append([]byte{0x81, 0xa5, 'i', 't', 'e', 'm', 's', 0x80 | n}, entries...)
}

func TestDocument_readMsg(t *testing.T) {
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
		{"float64 for lambda", []byte{0x81, 0xa6, 'l', 'a', 'm', 'b', 'd', 'a', 0xcb, 0, 0, 0, 0, 0, 0, 0, 0}, true},
		{"float64 beyond float32 for lambda", []byte{0x81, 0xa6, 'l', 'a', 'm', 'b', 'd', 'a', 0xcb, 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, false},
		{"whole float for v", []byte{0x81, 0xa1, 'v', 0xca, 0x40, 0, 0, 0}, true},
		{"fraction for v", []byte{0x81, 0xa1, 'v', 0xca, 0x3f, 0xc0, 0, 0}, false},
		{"nil topics", []byte{0x81, 0xa6, 't', 'o', 'p', 'i', 'c', 's', 0xc0}, false},
		{"empty topics", []byte{0x81, 0xa6, 't', 'o', 'p', 'i', 'c', 's', 0x90}, true},
		{"items as an array", []byte{0x81, 0xa5, 'i', 't', 'e', 'm', 's', 0x91, 0x80}, false},
		{"unknown column skipped", items(1, 0xa1, 'x', 0x92, 0x01, 0x02), true},
		{"topic index over uint16", items(1, 0xa5, 't', 'o', 'p', 'i', 'c', 0x91, 0xce, 0, 1, 0, 0), false},
		{"negative topic count", items(1, 0xa6, 'n', 't', 'o', 'p', 'i', 'c', 0x91, 0xff), false},
		{"str vector", items(1, 0xa3, 'v', 'e', 'c', 0xa1, 0x01), false},
		{"int for a float column", items(1, 0xa3, 'p', 'o', 'p', 0x91, 0x01), true},
		{"str for a float column", items(1, 0xa3, 'p', 'o', 'p', 0x91, 0xa1, '1'), false},
		{"duplicate items keep reused columns", []byte{0x82,
			0xa5, 'i', 't', 'e', 'm', 's', 0x82, 0xa2, 'i', 'd', 0x91, 0xa1, 'a', 0xa3, 'u', 'r', 'l', 0x91, 0xa1, 'u',
			0xa5, 'i', 't', 'e', 'm', 's', 0x81, 0xa2, 'i', 'd', 0x91, 0xa1, 'b'}, true},
		{"column header longer than input", items(1, 0xa2, 'i', 'd', 0xdd, 0xff, 0xff, 0xff, 0xff, 0xa0), false},
		{"truncated", []byte{0x82, 0xa1, 'v', 0x01}, false},
		{"not a map", []byte{0x90}, false},
		{"invalid byte in skipped value", []byte{0x81, 0xa1, 'x', 0xc1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d document
			_, err := readLean(&d, tt.in, false)
			if tt.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			requireSameDecoding(t, tt.in)
		})
	}
}

func TestDocument_readMsgVariants(t *testing.T) {
	// Every field set, so every field's decoder meets every variant.
	c := benchCatalogue(1)
	c.Gram, c.Lambda = []float32{1.5}, 0.25
	c.Policy = Policy{FreshnessHalfLifeDays: 1, InterestHalfLifeDays: 2, Diversity: 3, Exploration: 4,
		Weights: Weights{1, 2, 3, 4}, SectionCaps: []SectionCap{{"a", 1}}, Pinned: []string{"p"},
		Excluded: []string{"e"}, Sensitive: []string{"s"}, RetentionDays: 5, MaxEvents: 6, Consent: "c"}
	c.Items[0].Thumb = []byte{1}
	variants := wiretest.Variants(encodeDoc(t, c).appendMsg(nil))
	require.Greater(t, len(variants), 500)
	for _, b := range variants {
		requireSameDecoding(t, b)
	}
}

func FuzzCatalogue_appendMsg(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x40, 0x01, 0x02, 0x03, 0xf9, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		var d document
		wiretest.Fill(&d, data)
		requireSameEncoding(t, &d)
		requireSameDecoding(t, d.appendMsg(nil))
	})
}

func FuzzCatalogue_readMsg(f *testing.F) {
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		requireSameDecoding(t, b)
	})
}

// TestCatalogue_writeWireCorpus refreshes the seed corpora of the fuzz
// targets above from sample catalogues: HEARTH_UPDATE_GOLDEN=1 go test.
func TestCatalogue_writeWireCorpus(t *testing.T) {
	if os.Getenv("HEARTH_UPDATE_GOLDEN") == "" {
		t.Skip("set HEARTH_UPDATE_GOLDEN=1 to rewrite testdata/fuzz")
	}
	for i, seed := range []uint64{1, 2, 3} {
		wiretest.WriteSeed(t, "FuzzCatalogue_readMsg", fmt.Sprintf("random-%d", i), randomDocument(seed, 512).appendMsg(nil))
	}
	wiretest.WriteSeed(t, "FuzzCatalogue_readMsg", "bench-3", encodeDoc(t, benchCatalogue(3)).appendMsg(nil))
	for i := range 3 {
		data := make([]byte, 256)
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		wiretest.WriteSeed(t, "FuzzCatalogue_appendMsg", fmt.Sprintf("random-%d", i), data)
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

// BenchmarkCatalogue_decode decodes a catalogue of 10,000 items from bytes
// to items, each codec followed by the conversion both share.
func BenchmarkCatalogue_decode(b *testing.B) {
	enc := encodeDoc(b, benchCatalogue(10_000)).appendMsg(nil)
	for _, codec := range []struct {
		name string
		read func(*document, []byte) ([]byte, error)
	}{
		{"lean", func(d *document, b []byte) ([]byte, error) { return readLean(d, b, false) }},
		{"msgp", (*document).UnmarshalMsg},
	} {
		b.Run(codec.name, func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			b.ReportAllocs()
			for b.Loop() {
				var d document
				if _, err := codec.read(&d, enc); err != nil {
					b.Fatal(err)
				}
				if _, err := d.catalogue(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCatalogue_encode encodes a catalogue of 10,000 items: the
// conversion to columns, then each codec.
func BenchmarkCatalogue_encode(b *testing.B) {
	c := benchCatalogue(10_000)
	for _, codec := range []struct {
		name  string
		write func(*document) []byte
	}{
		{"lean", func(d *document) []byte { return marshalLean(d, nil) }},
		{"msgp", func(d *document) []byte { b, _ := d.MarshalMsg(nil); return b }},
	} {
		b.Run(codec.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, err := c.document()
				if err != nil {
					b.Fatal(err)
				}
				codec.write(d)
			}
		})
	}
}
