//go:build !hearthlean

package catalog

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/internal/scan"
	"github.com/hearth-dev/hearth/core/wire"
	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

// The lean codec's single walk (readChecked, what Decode runs) against
// prescan followed by the msgp-generated decoder: both accept the same
// catalogues with the same values, and refuse the same bytes, but for
// numbers of another kind than the field's, which only the lean codec
// reads.

// prescan walks the bytes before msgp's generated decoder sees them: it
// trusts array headers and would allocate whatever they claim. It returns
// its limiter, for the decoded document's charge, of a catalogue of size
// bytes.
func prescan(b []byte, lim Limits, size int) (*limiter, error) {
	l := newLimiter(lim, size)
	rest, err := scan.Walk(b, maxNesting, l.visit)
	return l, scanError(err, rest)
}

// msgpLimited is readChecked as prescan and msgp's decoder do it, in two
// walks, with the budget of a catalogue of size bytes.
func msgpLimited(b []byte, lim Limits, size int) (*Catalogue, error) {
	l, err := prescan(b, lim, size)
	if err != nil {
		return nil, formatError(b, err)
	}
	var d document
	rest, err := d.UnmarshalMsg(b)
	switch {
	case err != nil:
		return nil, formatError(b, corrupt(err))
	case len(rest) != 0:
		return nil, formatError(b, trailing(len(rest)))
	}
	if err := l.decoded(&d); err != nil {
		return nil, err
	}
	return d.catalogue()
}

// reference decodes b within lim as prescan and msgp do, once its numbers
// are rewritten in its fields' kinds (wiretest.Canonical), which only
// numbers msgp refuses are: so b itself when msgp reads it.
func reference(t testing.TB, b []byte, lim Limits) (*Catalogue, error) {
	c := wiretest.Canonical(b, &document{})
	if !bytes.Equal(c, b) {
		var d document
		_, err := d.UnmarshalMsg(b)
		require.Error(t, err, "msgp reads % x, whose numbers Canonical rewrote", b)
	}
	return decodeWith(c, lim, false, func(c []byte, lim Limits, _ bool) (*Catalogue, error) { return msgpLimited(c, lim, len(b)) })
}

// requireSameLimits decodes b within lim both ways. A document broken in two
// ways may be refused for one by the single walk and for the other by
// prescan, which sees every header before anything is decoded: one says
// too large and the other corrupt. Any other difference fails.
func requireSameLimits(t testing.TB, b []byte, lim Limits) (accepted bool) {
	ref, refErr := reference(t, b, lim)
	got, err := decodeWith(b, lim, false, readChecked)
	if v := FormatOf(b); v > 0 && v < FormatVersion && refErr != nil {
		// An older format is refused by both, as such unless a limit
		// is broken first, which one walk may meet before the other.
		require.Error(t, err, "prescan and msgp refuse % x: %v", b, refErr)
		for _, e := range []error{refErr, err} {
			require.True(t, errors.Is(e, ErrVersion) || errors.Is(e, ErrTooLarge), "% x: %v", b, e)
		}
		return false
	}
	if refErr == nil {
		require.NoError(t, err, "prescan and msgp accept % x", b)
		for _, it := range ref.Items {
			i, ok := ref.Find(it.ID)
			j, gotOK := got.Find(it.ID)
			require.Equal(t, [2]any{i, ok}, [2]any{j, gotOK}, "find %q in % x", it.ID, b)
		}
		ref.index, got.index = ids{}, ids{} // unexported: wiretest.Equal compares the rest
		require.True(t, wiretest.Equal(ref, got), "values differ for % x", b)
		return true
	}
	require.Error(t, err, "prescan and msgp refuse % x: %v", b, refErr)
	for _, class := range []error{ErrVersion, ErrInvalid} {
		require.Equal(t, errors.Is(refErr, class), errors.Is(err, class), "% x: %v, and the single walk: %v", b, refErr, err)
	}
	if !errors.Is(refErr, ErrTooLarge) && !errors.Is(refErr, ErrCorrupt) {
		return false
	}
	require.True(t, errors.Is(err, ErrTooLarge) || errors.Is(err, ErrCorrupt), "% x: %v, and the single walk: %v", b, refErr, err)
	if errors.Is(refErr, ErrTooLarge) && errors.Is(err, ErrTooLarge) {
		require.Equal(t, refErr.Error(), err.Error(), "the same limit, the same message")
	}
	return false
}

// tightLimits are limits a small catalogue can exceed, each picked by a bit
// of k, so that every limit is met and missed.
func tightLimits(k byte) Limits {
	var l Limits
	if k&1 != 0 {
		l.MaxItems = 1
	}
	if k&2 != 0 {
		l.MaxTopics = 2
	}
	if k&4 != 0 {
		l.MaxTopicsPerItem, l.MaxTermsPerItem = 1, 1
	}
	if k&8 != 0 {
		l.MaxPolicyList = 1
	}
	if k&16 != 0 {
		l.MaxMemory = sizeCatalogue + 2900 // about what the catalogue below needs
	}
	if k&32 != 0 {
		l.MaxDim, l.MaxString = 1, 4
	}
	return l
}

func TestReadChecked_sameAsPrescan(t *testing.T) {
	// A valid catalogue with every container the limits bound.
	c := testCatalogue(2)
	c.Gram, c.Lambda = make([]float32, 16), 0.25
	c.Items[0].Terms = []string{"a", "b"}
	c.Items[1].Topics = append(c.Items[1].Topics, TopicWeight{Topic: 0, Weight: 0.5})
	c.Policy.SectionCaps = []SectionCap{{"news", 1}}
	c.Policy.Excluded = []string{"i1", "x"}
	require.NoError(t, c.Validate())
	variants := wiretest.Variants(encodeDoc(t, c).appendMsg(nil))
	require.Greater(t, len(variants), 500)
	accepted, refused := 0, 0
	for k := range 64 {
		for _, b := range variants {
			if requireSameLimits(t, b, tightLimits(byte(k))) {
				accepted++
			} else {
				refused++
			}
		}
	}
	// Both outcomes are exercised: variants that are valid catalogues
	// under loose limits, and refusals of every kind.
	require.Greater(t, accepted, 100)
	require.Greater(t, refused, 100)
	t.Log(accepted, "accepted,", refused, "refused")
}

// Unknown fields are walked as prescan walks them: their containers count
// against the budget and the policy-list limit, and deep nesting is refused.
func TestReadChecked_unknownFields(t *testing.T) {
	base := encodeDoc(t, testCatalogue(1)).appendMsg(nil)
	withField := func(key string, value []byte) []byte {
		b := append([]byte{base[0] + 1}, base[1:]...) // one more entry in the fixmap
		b = append(b, 0xa0|byte(len(key)))
		b = append(b, key...)
		return append(b, value...)
	}
	nested := func(depth int) []byte {
		var b []byte
		for range depth {
			b = append(b, 0x91)
		}
		return append(b, 0x01)
	}
	// The charge of the catalogue with an empty list, to which a list of
	// three (3 bytes more) adds 3 policy entries.
	emptyList, _, err := Charge(withField("x", []byte{0x91, 0x90}))
	require.NoError(t, err)
	tests := []struct {
		name string
		b    []byte
		lim  Limits
		want error
	}{
		{"shallow unknown field", withField("x", nested(3)), Limits{}, nil},
		{"too deep", withField("x", nested(9)), Limits{}, ErrCorrupt},
		{"unknown list over the policy-list limit", withField("x", []byte{0x91, 0x93, 1, 2, 3}), Limits{MaxPolicyList: 2}, ErrTooLarge},
		{"unknown list over the budget", withField("x", []byte{0x91, 0x93, 1, 2, 3}), Limits{MaxMemory: emptyList + 100}, ErrTooLarge},
		{"unknown list within the budget", withField("x", []byte{0x91, 0x93, 1, 2, 3}), Limits{MaxMemory: emptyList + 200}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameLimits(t, tt.b, tt.lim)
			_, err := decodeWith(tt.b, tt.lim, false, readChecked)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

// A bin key names a field as a str key does, for prescan too: an id
// column under a bin key "id" counts the items.
func TestReadChecked_binKey(t *testing.T) {
	b := encodeDoc(t, testCatalogue(2)).appendMsg(nil)
	i := indexOf(b, []byte("\xa2id\x92"))
	require.Positive(t, i)
	b = append(append(append([]byte(nil), b[:i]...), 0xc4, 2), b[i+1:]...) // fixstr -> bin8
	for _, lim := range []Limits{{}, {MaxItems: 1}} {
		requireSameLimits(t, b, lim)
	}
	_, err := Decode(b)
	require.NoError(t, err)
	_, err = DecodeLimits(b, Limits{MaxItems: 1})
	require.ErrorIs(t, err, ErrTooLarge)
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}

func FuzzReadChecked(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		b, err := testCatalogue(n).Encode()
		require.NoError(f, err)
		f.Add(byte(0), b)
		f.Add(byte(0x3f), b)
	}
	f.Add(byte(0), hostileItems())
	f.Fuzz(func(t *testing.T, k byte, b []byte) {
		requireSameLimits(t, b, tightLimits(k))
	})
}

// format1 is a catalogue in format 1, one map per item, as releases before
// format 2 wrote it (build/pack reads and upgrades such files).
func format1() []byte {
	b := wire.AppendMapHeader(nil, 3)
	b = wire.AppendInt(wire.AppendString(b, "v"), 1)
	b = wire.AppendString(wire.AppendString(b, "id"), "old")
	b = wire.AppendArrayHeader(wire.AppendString(b, "items"), 1)
	b = wire.AppendMapHeader(b, 2)
	b = wire.AppendString(wire.AppendString(b, "id"), "a")
	return wire.AppendString(wire.AppendString(b, "url"), "/a")
}

// Both codecs refuse format 1 as such, not as corrupt bytes, and say what to do.
func TestDecode_format1(t *testing.T) {
	b := format1()
	require.Equal(t, 1, FormatOf(b))
	_, err := Decode(b)
	require.ErrorIs(t, err, ErrVersion)
	require.EqualError(t, err, "decode catalogue: unsupported catalogue version 1 (this code reads 2): "+
		"rebuild the catalogue with this release's hearth-catalog (its -previous reads the old format)")
	_, err = reference(t, b, Limits{})
	require.ErrorIs(t, err, ErrVersion)
	requireSameLimits(t, b, Limits{})
}
