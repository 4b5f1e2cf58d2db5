package catalog_test

import (
	"fmt"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
	"github.com/stretchr/testify/require"
)

const t0 = 1_700_000_000

// segmentItem is item k of the segment tests: newer for smaller k.
func segmentItem(k int, topic uint16) catalog.Item {
	return catalog.Item{
		ID: fmt.Sprintf("i%02d", k), URL: fmt.Sprintf("/p/%d", k), Title: fmt.Sprintf("Post %d", k),
		Section: []string{"news", "blog", "sport"}[k%3],
		Topics:  []catalog.TopicWeight{{Topic: topic, Weight: 1}},
		Vector:  []byte{byte(k), byte(k * 7), byte(40 - k), 3}, Scale: 0.02,
		Published: t0 - int64(k)*3600, Popularity: float32(k%10) / 10,
	}
}

func encode(t *testing.T, c *catalog.Catalogue) []byte {
	t.Helper()
	b, err := c.Encode()
	require.NoError(t, err)
	return b
}

func encodeSegment(t *testing.T, s *catalog.Segment) []byte {
	t.Helper()
	b, err := s.Encode()
	require.NoError(t, err)
	return b
}

// chain returns a base and two segments, and the one catalogue of the
// same items a build would write.
func chain(t *testing.T) (base, seg1, seg2 []byte, whole *catalog.Catalogue) {
	t.Helper()
	pol := catalog.Policy{Consent: catalog.ConsentOptIn}.WithDefaults()
	b := &catalog.Catalogue{Version: catalog.FormatVersion, ID: "base", Generated: t0 - 10*3600, Policy: pol,
		Topics: []string{"go", "wasm", "health"}, Dim: 4}
	for k := 10; k < 40; k++ {
		b.Items = append(b.Items, segmentItem(k, uint16(k%3)))
	}
	gone := segmentItem(45, 0)
	gone.ID = "gone"
	b.Items = append(b.Items, gone)
	s1 := &catalog.Segment{ID: "s1", Base: "base", Generated: t0 - 5*3600, Topics: []string{"rust"}, Dim: 4}
	for k := 5; k < 10; k++ {
		s1.Items = append(s1.Items, segmentItem(k, uint16(k%4)))
	}
	pol2 := pol
	pol2.Pinned = []string{"i03"}
	s2 := &catalog.Segment{ID: "s2", Base: "base", Generated: t0, Policy: pol2, Dim: 4, Removed: []string{"gone"}}
	for k := range 5 {
		s2.Items = append(s2.Items, segmentItem(k, uint16(k%4)))
	}
	changed := segmentItem(20, 2)
	changed.Title = "Post 20, corrected"
	s2.Items = append(s2.Items, changed)

	whole = &catalog.Catalogue{Version: catalog.FormatVersion, ID: "s2", Generated: t0, Policy: pol2,
		Topics: []string{"go", "wasm", "health", "rust"}, Dim: 4}
	for k := range 40 {
		it := segmentItem(k, uint16(k%4))
		if k >= 10 {
			it = segmentItem(k, uint16(k%3))
		}
		if k == 20 {
			it = changed
		}
		whole.Items = append(whole.Items, it)
	}
	require.NoError(t, whole.Validate())
	return encode(t, b), encodeSegment(t, s1), encodeSegment(t, s2), whole
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDecodeChain_sameAsOneCatalogue(t *testing.T) {
	base, seg1, seg2, whole := chain(t)
	got, err := catalog.DecodeChain(concat(base, seg1, seg2), catalog.Limits{}, false)
	require.NoError(t, err)
	require.Equal(t, encode(t, whole), encode(t, got), "base and segments decode to the catalogue of their items")
	i, ok := got.Find("i20")
	require.True(t, ok)
	require.Equal(t, "Post 20, corrected", got.Items[i].Title)
	_, ok = got.Find("gone")
	require.False(t, ok)

	// Ranked as the one catalogue is, for a reader and for none.
	one, err := catalog.Decode(encode(t, whole))
	require.NoError(t, err)
	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	for _, id := range []string{"i07", "i11", "i19", "i03"} {
		_, err := p.Track(got, profile.Event{Item: id, Kind: profile.View}, t0)
		require.NoError(t, err)
	}
	for _, req := range []rank.Request{{Count: 10, Now: t0}, {Count: 5, Current: "i07", Related: true, Now: t0}, {Count: 8, Seed: 3, Now: t0}} {
		require.Equal(t, rank.New(one).Recommend(p, req), rank.New(got).Recommend(p, req))
		require.Equal(t, rank.New(one).Recommend(profile.New(), req), rank.New(got).Recommend(profile.New(), req))
	}

	// One catalogue alone decodes as DecodeLimits decodes it.
	alone, err := catalog.DecodeChain(base, catalog.Limits{}, true)
	require.NoError(t, err)
	require.Equal(t, base, encode(t, alone))
}

// An item dated before items of the documents before it comes with its
// segment's, not in a build's order.
func TestDecodeChain_order(t *testing.T) {
	base, _, _, _ := chain(t)
	late := segmentItem(50, 1)
	late.ID = "late"
	s := &catalog.Segment{ID: "s", Base: "base", Generated: t0, Dim: 4, Items: []catalog.Item{segmentItem(1, 0), late}}
	got, err := catalog.DecodeChain(concat(base, encodeSegment(t, s)), catalog.Limits{}, false)
	require.NoError(t, err)
	var ids []string
	for _, it := range got.Items[:4] {
		ids = append(ids, it.ID)
	}
	require.Equal(t, []string{"i01", "late", "i10", "i11"}, ids)
}

func TestDecodeChain_refuses(t *testing.T) {
	base, seg1, seg2, _ := chain(t)
	seg := func(change func(s *catalog.Segment)) []byte {
		s := &catalog.Segment{ID: "x", Base: "base", Generated: t0, Dim: 4, Items: []catalog.Item{segmentItem(1, 0)}}
		change(s)
		return encodeSegment(t, s)
	}
	tests := []struct {
		name  string
		bytes []byte
		lim   catalog.Limits
		is    error
		want  string
	}{
		{"a segment first", concat(seg1, base), catalog.Limits{}, catalog.ErrInvalid, `document 0 (base "base", dim 4): want a base, then segments that name it`},
		{"another base's segment", concat(base, seg(func(s *catalog.Segment) { s.Base = "other" })), catalog.Limits{}, catalog.ErrInvalid, `document 1 (base "other", dim 4)`},
		{"another dim", concat(base, seg(func(s *catalog.Segment) {
			s.Dim = 3
			s.Items[0].Vector = s.Items[0].Vector[:3]
		})), catalog.Limits{}, catalog.ErrInvalid, `document 1 (base "base", dim 3)`},
		{"a topic outside the vocabulary", concat(base, seg(func(s *catalog.Segment) { s.Items[0].Topics[0].Topic = 3 })), catalog.Limits{}, catalog.ErrInvalid, "topic index 3, vocabulary has 3"},
		{"a topic twice", concat(base, seg(func(s *catalog.Segment) { s.Topics = []string{"go"} })), catalog.Limits{}, catalog.ErrInvalid, `"go" appears twice`},
		{"trailing bytes", concat(base, seg1, []byte{0xc1}), catalog.Limits{}, catalog.ErrCorrupt, ""},
		{"a truncated segment", concat(base, seg1[:len(seg1)-3]), catalog.Limits{}, catalog.ErrCorrupt, ""},
		{"over the size limit", concat(base, seg1, seg2), catalog.Limits{MaxBytes: len(base) + len(seg1)}, catalog.ErrTooLarge, "bytes, limit"},
		{"more items than allowed together", concat(base, seg1), catalog.Limits{MaxItems: 33}, catalog.ErrTooLarge, "36 items, limit 33"},
		{"another version", concat(base, func() []byte {
			b := seg(func(*catalog.Segment) {})
			require.Equal(t, []byte{0xa1, 'v', 0x02}, b[1:4])
			b[3] = 0x03
			return b
		}()), catalog.Limits{}, catalog.ErrVersion, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.DecodeChain(tt.bytes, tt.lim, false)
			require.ErrorIs(t, err, tt.is)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// The memory budget is the whole input's, as for one catalogue: segments
// that claim many items are refused before they are allocated.
func TestDecodeChain_budget(t *testing.T) {
	base, _, _, _ := chain(t)
	// A segment of 60,000 empty ids: 60 KB that would take 18 MB.
	hostile := []byte{0x82, 0xa4, 'b', 'a', 's', 'e', 0xa4, 'b', 'a', 's', 'e', 0xa5, 'i', 't', 'e', 'm', 's', 0x81, 0xa2, 'i', 'd', 0xdc, 0xea, 0x60}
	hostile = append(hostile, make([]byte, 60_000)...)
	for k := len(hostile) - 60_000; k < len(hostile); k++ {
		hostile[k] = 0xa0
	}
	_, err := catalog.DecodeChain(concat(base, hostile), catalog.Limits{}, false)
	require.ErrorIs(t, err, catalog.ErrTooLarge)
	require.ErrorContains(t, err, "budget")
}

func TestSegment_Encode(t *testing.T) {
	_, err := (&catalog.Segment{ID: "x"}).Encode()
	require.ErrorIs(t, err, catalog.ErrInvalid)
}
