//go:build !hearthlean

package catalog

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// v1 encodes c in format 1 with its msgp-generated codec.
func v1(t *testing.T, c *Catalogue) []byte {
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

// Ordinary builds read format 1 and upgrade it; the engine's codec says
// which format it got instead of calling the bytes corrupt.
func TestDecode_format1(t *testing.T) {
	c := testCatalogue(5)
	c.Items[2].Terms = []string{"a"}
	c.Items[3].Summary = "s"
	b := v1(t, c)
	require.Equal(t, 1, formatOf(b))
	got, err := Decode(b)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Equal(t, c, got, "format 1 reads as the same catalogue, in format 2")

	_, err = decodeWith(b, Limits{}, false, readChecked)
	require.ErrorIs(t, err, ErrVersion)
	require.ErrorContains(t, err, "unsupported catalogue version 1 (this code reads 2): rebuild the catalogue")

	// Format 1's limits hold: counted at its own layout.
	_, err = DecodeLimits(b, Limits{MaxItems: 4})
	require.ErrorIs(t, err, ErrTooLarge)
	require.ErrorContains(t, err, "5 items, limit 4")
	_, err = DecodeLimits(b, Limits{MaxTermsPerItem: 0, MaxTopicsPerItem: 1})
	require.NoError(t, err)
	c.Items[1].Topics = append(c.Items[1].Topics, TopicWeight{Topic: 2, Weight: 1})
	_, err = DecodeLimits(v1(t, c), Limits{MaxTopicsPerItem: 1})
	require.ErrorIs(t, err, ErrTooLarge)
	require.ErrorContains(t, err, "an item has 2 topics, limit 1")
	_, err = Decode(v1(t, c)[:40])
	require.ErrorIs(t, err, ErrCorrupt)
}

func FuzzDecode_format1(f *testing.F) {
	f.Add(v1(&testing.T{}, testCatalogue(2)))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			return
		}
		// What decodes is valid and in this code's format.
		require.NoError(t, c.Validate())
		require.Equal(t, FormatVersion, c.Version)
	})
}
