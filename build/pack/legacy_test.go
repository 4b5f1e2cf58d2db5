package pack

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/catalog"
)

// legacyCatalogue is a small valid catalogue with every item field set
// somewhere.
func legacyCatalogue(n int) *catalog.Catalogue {
	c := &catalog.Catalogue{
		Version: catalog.FormatVersion, ID: "old", Generated: 1_700_000_000,
		Topics: []string{"go", "wasm", "health"}, Dim: 4,
		Policy: catalog.Policy{Sensitive: []string{"health"}, Pinned: []string{"i0"}},
	}
	for i := range n {
		id := string(rune('a' + i))
		c.Items = append(c.Items, catalog.Item{
			ID: "i" + id, URL: "https://example.org/p/" + id, Title: "Post " + id,
			Section: []string{"news", "blog"}[i%2],
			Topics:  []catalog.TopicWeight{{Topic: uint16(i % 3), Weight: 1}},
			Vector:  []byte{byte(i), 2, 3, 4}, Scale: 0.01,
			Published: 1_700_000_000 - int64(i)*3600, Popularity: float32(i%10) / 10,
		})
	}
	c.Items[0].Terms = []string{"a", "b"}
	c.Items[n-1].Summary, c.Items[n-1].Thumb = "s", []byte{1, 2}
	return c
}

// v1 encodes c in format 1 with its msgp-generated codec.
func v1(t testing.TB, c *catalog.Catalogue) []byte {
	d := documentV1{Version: 1, ID: c.ID, Generated: c.Generated, Policy: c.Policy,
		Topics: c.Topics, Dim: c.Dim, Gram: c.Gram, Lambda: c.Lambda}
	for _, it := range c.Items {
		v := itemV1{ID: it.ID, URL: it.URL, Title: it.Title, Summary: it.Summary, Section: it.Section,
			Terms: it.Terms, Vector: it.Vector, Scale: it.Scale, Published: it.Published,
			Popularity: it.Popularity, Thumb: it.Thumb}
		for _, tw := range it.Topics {
			v.Topics = append(v.Topics, topicWeightV1(tw))
		}
		d.Items = append(d.Items, v)
	}
	b, err := d.MarshalMsg(nil)
	require.NoError(t, err)
	return b
}

// The builder reads format 1 and upgrades it; core/catalog refuses it.
func TestRead_format1(t *testing.T) {
	c := legacyCatalogue(5)
	b := v1(t, c)
	require.Equal(t, 1, catalog.FormatOf(b))

	_, err := catalog.Decode(b)
	require.ErrorIs(t, err, catalog.ErrVersion, "core/catalog reads format 2 alone")
	require.ErrorContains(t, err, "unsupported catalogue version 1 (this code reads 2): rebuild the catalogue")

	path := filepath.Join(t.TempDir(), "old.msgpack")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	got, err := Read(path)
	require.NoError(t, err)
	want, err := catalog.Decode(encode(t, c))
	require.NoError(t, err)
	require.Equal(t, want, got, "format 1 reads as the same catalogue, in format 2")
	_, ok := got.Find("ic")
	require.True(t, ok, "the upgraded catalogue is indexed")

	// What is read in format 2 is read as before.
	require.NoError(t, os.WriteFile(path, encode(t, c), 0o644))
	got, err = Read(path)
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func encode(t testing.TB, c *catalog.Catalogue) []byte {
	b, err := c.Encode()
	require.NoError(t, err)
	return b
}

func TestDecodeV1_errors(t *testing.T) {
	valid := v1(t, legacyCatalogue(3))
	tooMany := legacyCatalogue(3)
	tooMany.Items[1].Topics = make([]catalog.TopicWeight, catalog.DefaultMaxTopicsPerItem+1)
	for i := range tooMany.Items[1].Topics {
		tooMany.Items[1].Topics[i] = catalog.TopicWeight{Topic: uint16(i % 3), Weight: 1}
	}
	badVector := legacyCatalogue(3)
	badVector.Items[2].Vector = []byte{1}
	tests := []struct {
		name string
		b    []byte
		want error
		msg  string
	}{
		{"truncated", valid[:len(valid)-3], catalog.ErrCorrupt, "format 1"},
		{"trailing bytes", append(append([]byte(nil), valid...), 0xc0), catalog.ErrCorrupt, "1 trailing bytes"},
		{"hostile header", []byte{0x82, 0xa1, 'v', 0x01, 0xa5, 'i', 't', 'e', 'm', 's', 0xdd, 0xff, 0xff, 0xff, 0xff}, catalog.ErrCorrupt, "format 1"},
		{"limits of format 2", v1(t, tooMany), catalog.ErrTooLarge, "33 topics, limit 32"},
		{"invalid item", v1(t, badVector), catalog.ErrInvalid, `item 2 "ic"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.b)
			require.ErrorIs(t, err, tt.want)
			require.ErrorContains(t, err, tt.msg)
		})
	}
}

func FuzzDecodeV1(f *testing.F) {
	f.Add(v1(f, legacyCatalogue(2)))
	f.Add(encode(f, legacyCatalogue(2)))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decode(b)
		if err != nil {
			return
		}
		// What decodes is valid, in this release's format, and encodes
		// to what the engine reads as the same catalogue.
		require.NoError(t, c.Validate())
		require.Equal(t, catalog.FormatVersion, c.Version)
		back, err := catalog.Decode(encode(t, c))
		require.NoError(t, err)
		require.Equal(t, c, back)
	})
}
