package catalog

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The conversions of columns.go: a catalogue survives the trip through its
// columns, empty columns stand for zero values, and columns whose lengths
// disagree are refused.

func TestDocument_roundTrip(t *testing.T) {
	c := testCatalogue(4)
	c.Items[0].Terms = []string{"a", "b"}
	c.Items[2].Terms = []string{"c"}
	c.Items[1].Topics = nil
	c.Items[3].Topics = []TopicWeight{{0, 0.5}, {2, 1}}
	c.Items[1].Vector, c.Items[1].Scale = nil, 0
	c.Items[2].Thumb = []byte{1, 2}
	c.Items[3].Summary = "s"
	d, err := c.document()
	require.NoError(t, err)
	cols := &d.Items
	require.Equal(t, []uint16{1, 0, 1, 2}, cols.TopicCount)
	require.Equal(t, []uint16{0, 2, 0, 2}, cols.Topic)
	require.Equal(t, []string{"a", "b", "c"}, cols.Term)
	require.Equal(t, []float32{0.01, 0, 0.01, 0.01}, cols.Scale, "an item without a vector has scale 0")
	require.Len(t, cols.Vector, 4*c.Dim)
	require.Equal(t, []string{"", "", "", "s"}, cols.Summary)
	got, err := d.catalogue()
	require.NoError(t, err)
	require.Equal(t, c, got)
}

func TestDocument_emptyColumns(t *testing.T) {
	c := &Catalogue{Version: FormatVersion, Items: []Item{{ID: "a"}, {ID: "b"}}}
	d, err := c.document()
	require.NoError(t, err)
	cols := d.Items
	require.Equal(t, []string{"a", "b"}, cols.ID)
	cols.ID = nil
	require.Zero(t, cols, "every column but the ids is empty when no item has the field")
	got, err := d.catalogue()
	require.NoError(t, err)
	require.Equal(t, c, got)
}

func TestDocument_refusesVectors(t *testing.T) {
	c := testCatalogue(2)
	c.Items[1].Vector = []byte{1, 2}
	_, err := c.document()
	require.ErrorIs(t, err, ErrInvalid)
	require.ErrorContains(t, err, `item 1 "i1": a vector of 2 bytes`)
	c = testCatalogue(2)
	c.Items[0].Scale = 0
	_, err = c.Encode()
	require.ErrorIs(t, err, ErrInvalid)
	require.ErrorContains(t, err, `encode catalogue: `)
}

func TestDocument_columnLengths(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(cols *itemColumns)
		want   string
	}{
		{"short url column", func(cols *itemColumns) { cols.URL = cols.URL[:2] }, `column "url" has 2 entries, want 3 (one per item) or none`},
		{"long pop column", func(cols *itemColumns) { cols.Popularity = append(cols.Popularity, 1) }, `column "pop" has 4 entries`},
		{"topics beyond the counts", func(cols *itemColumns) { cols.Topic = append(cols.Topic, 1) }, `column "topic" has 4 entries, want 3`},
		{"weights short of the counts", func(cols *itemColumns) { cols.Weight = cols.Weight[:1] }, `column "weight" has 1 entries, want 3`},
		{"terms without counts", func(cols *itemColumns) { cols.Term = []string{"x"} }, `column "term" has 1 entries, want 0`},
		{"vector of another dim", func(cols *itemColumns) { cols.Vector = cols.Vector[:5] }, `column "vec" has 5 entries`},
		{"vectors without scales", func(cols *itemColumns) { cols.Scale = nil }, "vectors and scales must come together"},
		{"scales without vectors", func(cols *itemColumns) { cols.Vector = nil }, "vectors and scales must come together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := testCatalogue(3).document()
			require.NoError(t, err)
			tt.break_(&d.Items)
			_, err = d.catalogue()
			require.ErrorIs(t, err, ErrCorrupt)
			require.ErrorContains(t, err, tt.want)
			// Decoding refuses the bytes the same way.
			b := d.appendMsg(nil)
			_, err = Decode(b)
			require.ErrorIs(t, err, ErrCorrupt)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestDocument_noVectors(t *testing.T) {
	c := testCatalogue(3)
	for i := range c.Items {
		c.Items[i].Vector, c.Items[i].Scale = nil, 0
	}
	d, err := c.document()
	require.NoError(t, err)
	require.Empty(t, d.Items.Vector, "no vectors: an empty column, whatever the dim")
	require.Empty(t, d.Items.Scale)
	b, err := c.Encode()
	require.NoError(t, err)
	got, err := DecodeOwned(b)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Equal(t, c, got)
}
