package catalog

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The catalogue format is public MessagePack (docs/catalogue.md): a
// catalogue decoded and encoded again by an independent library must decode
// to the same catalogue. JavaScript has one kind of number, so such a
// library writes a float32 field's 554 as an integer and its 0.4 as a
// float64; both are read (core/wire's Reader).

// interopCatalogue sets every field of the format, with whole and
// fractional values in the float fields.
func interopCatalogue() *Catalogue {
	c := &Catalogue{
		Version: FormatVersion, ID: "interop", Generated: 1_700_000_000,
		Policy: Policy{FreshnessHalfLifeDays: 554, InterestHalfLifeDays: 30.5, Diversity: 0.4, Exploration: 0.1,
			Weights:     Weights{Similarity: 1, Topic: 0.1, Freshness: 0.2, Popularity: 2},
			SectionCaps: []SectionCap{{Section: "news", Max: 3}}, Pinned: []string{"a"}, Excluded: []string{"c"},
			Sensitive: []string{"health"}, RetentionDays: 90, MaxEvents: 500, Consent: ConsentOptOut,
			TopicReasonMin: 0.7, Hosts: []string{"example.com"}},
		Topics: []string{"go", "wasm", "health"}, Dim: 2, Gram: []float32{1, 0.25, 0.25, 3.5}, Lambda: 0.1,
	}
	c.Items = []Item{
		{ID: "a", URL: "https://example.com/a", Title: "A", Summary: "About a.", Section: "news",
			Topics: []TopicWeight{{Topic: 0, Weight: 1}, {Topic: 1, Weight: 0.35}}, Terms: []string{"alpha", "beta"},
			Vector: []byte{0x7f, 0x81}, Scale: 0.0125, Published: 1_699_999_000, Popularity: 1, Thumb: []byte{1, 2, 3}},
		{ID: "b", URL: "/b", Title: "B", Section: "blog", Published: -86_400, Popularity: 0.25},
		{ID: "c", URL: "https://example.com/c", Title: "C", Topics: []TopicWeight{{Topic: 2, Weight: 0.5}},
			Vector: []byte{1, 0}, Scale: 3, Published: 1_700_000_000},
	}
	return c
}

// interopFile is the catalogue as @msgpack/msgpack (tests/package.json)
// decoded and encoded it with its default options.
var interopFile = filepath.Join("testdata", "interop", "msgpack-js.msgpack")

func TestDecode_reencodedByMsgpackJS(t *testing.T) {
	want := interopCatalogue()
	require.NoError(t, want.Validate())
	ours, err := want.Encode()
	require.NoError(t, err)
	theirs, err := os.ReadFile(interopFile)
	require.NoError(t, err)
	require.False(t, bytes.Equal(ours, theirs), "the library writes other bytes")
	for name, decode := range map[string]func([]byte) (*Catalogue, error){"Decode": Decode, "DecodeOwned": DecodeOwned} {
		got, err := decode(bytes.Clone(theirs))
		require.NoError(t, err, name)
		require.Equal(t, want, got, name)
	}
}
