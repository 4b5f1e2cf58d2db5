//go:build !hearthlean

package profile

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

// The lean codec's single walk (readChecked, what the engine runs) against
// prescan followed by the msgp-generated decoder: both accept the same
// profiles with the same values, and refuse the same bytes.

// requireSameLimits decodes b both ways. A profile broken in two ways may be
// refused for one by the single walk and for the other by prescan, which
// sees every header before anything is decoded: one says too large and the
// other corrupt. Any other difference fails.
func requireSameLimits(t testing.TB, b []byte) (accepted bool) {
	if !wiretest.MsgpSafe(b) {
		// msgp would trust a header claiming billions of elements; prescan
		// refuses it before, and so must the single walk.
		if _, err := decodeWith(b, readChecked); err != nil {
			return false
		}
	}
	// msgp reads a current profile with its numbers in their fields'
	// kinds, as only the lean codec reads them (wiretest.Canonical); both
	// migrate version 1 with msgp here.
	c := b
	if v, _ := version(b); v != 1 {
		c = wiretest.Canonical(b, &Profile{})
	}
	ref, refErr := decodeWith(c, unmarshalChecked)
	got, err := decodeWith(b, readChecked)
	if refErr == nil {
		require.NoError(t, err, "prescan and msgp accept % x", b)
		require.True(t, wiretest.Equal(ref, got), "values differ for % x", b)
		return true
	}
	require.Error(t, err, "prescan and msgp refuse % x: %v", b, refErr)
	for _, class := range []error{ErrVersion, ErrNewer, ErrInvalid} {
		require.Equal(t, errors.Is(refErr, class), errors.Is(err, class), "% x: %v, and the single walk: %v", b, refErr, err)
	}
	if !errors.Is(refErr, ErrTooLarge) && !errors.Is(refErr, ErrCorrupt) {
		require.Equal(t, refErr.Error(), err.Error())
		return false
	}
	require.True(t, errors.Is(err, ErrTooLarge) || errors.Is(err, ErrCorrupt), "% x: %v, and the single walk: %v", b, refErr, err)
	if errors.Is(refErr, ErrTooLarge) && errors.Is(err, ErrTooLarge) {
		require.Equal(t, refErr.Error(), err.Error(), "the same limit, the same message")
	}
	return false
}

func TestReadChecked_sameAsPrescan(t *testing.T) {
	p := fullProfile(t)
	p.Settings.Variety = 0.5
	p.Muted = []string{"m"}
	require.NoError(t, p.Validate())
	docs := [][]byte{p.appendMsg(nil), v1Bytes(t)}
	accepted, refused := 0, 0
	for _, doc := range docs {
		variants := wiretest.Variants(doc)
		require.Greater(t, len(variants), 300)
		for _, b := range variants {
			if requireSameLimits(t, b) {
				accepted++
			} else {
				refused++
			}
		}
	}
	require.Greater(t, accepted, 100)
	require.Greater(t, refused, 100)
	t.Log(accepted, "accepted,", refused, "refused")
}

// withField appends an unknown field to the top-level fixmap b.
func withField(b []byte, key string, value []byte) []byte {
	out := append([]byte{b[0] + 1}, b[1:]...)
	out = append(out, 0xa0|byte(len(key)))
	out = append(out, key...)
	return append(out, value...)
}

// array is an array header of n elements followed by n nils.
func array(n int) []byte {
	b := []byte{0xdc, byte(n >> 8), byte(n)}
	for range n {
		b = append(b, 0xc0)
	}
	return b
}

// The limits and the budget hold as prescan holds them: known arrays,
// pairs charged for their values, and the containers of unknown fields.
func TestReadChecked_limits(t *testing.T) {
	base := (&Profile{Version: FormatVersion, Events: []Event{{Item: "a", Kind: View}}}).appendMsg(nil)
	nested := func(depth int) []byte {
		var b []byte
		for range depth {
			b = append(b, 0x91)
		}
		return append(b, 0x01)
	}
	// An unknown map at depth 1 holding a map holding "c": an array at
	// depth 3 under "c", held to MaxCredit like an event's credit.
	deepC := func(n int) []byte {
		return append([]byte{0x81, 0xa1, 'y', 0x81, 0xa1, 'c'}, array(n)...)
	}
	credit := func(n int) []byte {
		p := &Profile{Version: FormatVersion, Events: []Event{{Item: "a", Kind: View, Credit: make([]Interest, n)}}}
		for i := range p.Events[0].Credit {
			p.Events[0].Credit[i].Topic = string(rune('a' + i%26))
		}
		return p.appendMsg(nil)
	}
	tests := []struct {
		name string
		b    []byte
		want error
		msg  string
	}{
		{"shallow unknown field", withField(base, "x", nested(6)), nil, ""},
		{"too deep", withField(base, "x", nested(8)), ErrCorrupt, "nested too deeply"},
		{"unknown list at the limit", withField(base, "x", array(MaxList)), nil, ""},
		{"unknown list over the limit", withField(base, "x", array(MaxList+1)), ErrTooLarge, "x has 10001 entries, limit 10000"},
		{"unknown list under c at depth 3", withField(base, "x", deepC(MaxCredit+1)), ErrTooLarge, "c has 65 entries, limit 64"},
		{"credit over the limit", credit(MaxCredit + 1), ErrTooLarge, "c has 65 entries, limit 64"},
		{"read over the limit", (&Profile{Version: FormatVersion, ReadItems: make([]string, MaxList+1)}).appendMsg(nil), ErrTooLarge, "read has 10001 entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameLimits(t, tt.b)
			_, err := decodeWith(tt.b, readChecked)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			require.ErrorContains(t, err, tt.msg)
		})
	}
}

// The budget: 64 MiB at 100 bytes an element of any array, a pair charged
// for its two values too. With 67 unknown lists of MaxList nils it has
// room for 1,088 more elements: 362 interests (1,086) fit, 363 do not.
func TestReadChecked_budget(t *testing.T) {
	withLists := func(interests int) []byte {
		p := &Profile{Version: FormatVersion}
		for i := range interests {
			p.Interests = append(p.Interests, Interest{Topic: "t" + strconv.Itoa(1000+i), Weight: 1})
		}
		fields := p.appendMsg(nil)[1:] // the 8 fields after their fixmap header
		const lists = 67
		b := append([]byte{0xde, 0, 8 + lists}, fields...)
		for i := range lists {
			b = append(b, 0xa3, 'x', byte('0'+i/10), byte('0'+i%10))
			b = append(b, array(MaxList)...)
		}
		return b
	}
	for _, tt := range []struct {
		interests int
		ok        bool
	}{{362, true}, {363, false}} {
		b := withLists(tt.interests)
		requireSameLimits(t, b)
		_, err := decodeWith(b, readChecked)
		if tt.ok {
			require.NoError(t, err, "%d interests", tt.interests)
			continue
		}
		require.ErrorIs(t, err, ErrTooLarge, "%d interests", tt.interests)
		require.ErrorContains(t, err, "decoded size over the 67108864-byte budget")
	}
}

func FuzzReadChecked(f *testing.F) {
	valid, err := fullProfile(f).Encode()
	require.NoError(f, err)
	f.Add(valid[2 : len(valid)-4])
	f.Add(v1Bytes(f))
	f.Add([]byte{0x82, 0xa1, 'v', 0x02, 0xa1, 'x', 0x92, 0x91, 0x90, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		requireSameLimits(t, b)
	})
}
