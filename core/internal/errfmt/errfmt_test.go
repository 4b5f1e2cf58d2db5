package errfmt

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

var errSentinel = errors.New("sentinel")

func TestWrap(t *testing.T) {
	err := Wrap("decode: ", errSentinel, ": 3 bytes")
	require.Equal(t, fmt.Errorf("decode: %w: 3 bytes", errSentinel).Error(), err.Error())
	require.ErrorIs(t, err, errSentinel)
	outer := Wrap("load: ", err, "")
	require.ErrorIs(t, outer, errSentinel)
	require.Equal(t, "load: decode: sentinel: 3 bytes", outer.Error())
}

func TestFloat(t *testing.T) {
	for _, v := range []float32{0, -0.0, 0.5, -1, 1e-7, 1e6, 123456789, 1e21, math.MaxFloat32,
		math.SmallestNonzeroFloat32, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		require.Equal(t, fmt.Sprintf("%v", v), Float(v))
	}
}

func FuzzFloat(f *testing.F) {
	f.Add(uint32(0x3f000000))
	f.Fuzz(func(t *testing.T, bits uint32) {
		v := math.Float32frombits(bits)
		require.Equal(t, fmt.Sprintf("%v", v), Float(v))
	})
}

func TestQuote(t *testing.T) {
	for _, s := range []string{"", "plain", `say "hi" \ bye`, "tab\tnew\nline\a\b\f\r\v", "\x00\x1f\x7f",
		"caf\u00e9", "\u2028\u202e\ufeff", "\U0001f600", "\ufffd", "\xff\xfe", "ab\xe2\x82", "\xed\xa0\x80"} {
		t.Run(s, func(t *testing.T) {
			require.Equal(t, strconv.QuoteToASCII(s), Quote(s))
		})
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "x\"y\\", "\n\x00\x7f", "\u00e9\U0001f600", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		require.Equal(t, strconv.QuoteToASCII(s), Quote(s))
	})
}
