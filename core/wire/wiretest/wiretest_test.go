package wiretest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

type sample struct {
	N    int
	U    uint16
	F    float32
	S    string
	B    []byte
	L    []string
	M    map[string]float32
	P    *sample
	skip int
	Dash int `msg:"-"`
}

func TestFill(t *testing.T) {
	data := []byte{0x85, 0x01, 0x90, 0x00, 0x05, 0xe1, 'a', 'b', 0x41, 0x02, 0x7f, 0x7f}
	var a, b sample
	Fill(&a, data)
	Fill(&b, data)
	require.True(t, Equal(&a, &b), "the same data gives the same value")
	var zero sample
	Fill(&zero, nil)
	require.True(t, Equal(&zero, &sample{}), "no data gives the zero value")
	var c sample
	Fill(&c, []byte{0x81})
	require.NotZero(t, c.N)
}

func TestEqual(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name string
		a, b sample
		want bool
	}{
		{"NaN equals NaN", sample{F: nan}, sample{F: nan}, true},
		{"zero and negative zero differ", sample{F: 0}, sample{F: float32(math.Copysign(0, -1))}, false},
		{"nil and empty slices differ", sample{L: nil}, sample{L: []string{}}, false},
		{"nil and empty maps differ", sample{M: nil}, sample{M: map[string]float32{}}, false},
		{"map values compared", sample{M: map[string]float32{"a": 1}}, sample{M: map[string]float32{"a": 2}}, false},
		{"unexported fields compared", sample{skip: 1}, sample{}, false},
		{"pointers followed", sample{P: &sample{N: 1}}, sample{P: &sample{N: 1}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Equal(&tt.a, &tt.b))
		})
	}
}

func TestMsgpSafe(t *testing.T) {
	require.True(t, MsgpSafe([]byte{0xdd, 0, 0, 0, 1, 0x01}))
	require.False(t, MsgpSafe([]byte{0x81, 0xa1, 'x', 0xdd, 0xff, 0xff, 0xff, 0xff}))
	require.False(t, MsgpSafe([]byte{0xdf, 0x01, 0, 0, 0, 0x80}))
}

func TestVariants(t *testing.T) {
	doc := []byte{0x82, 0xa1, 'a', 0x05, 0xa1, 'b', 0x91, 0xca, 0x3f, 0x80, 0, 0}
	variants := Variants(doc)
	require.Contains(t, variants, []byte{0x82, 0xa1, 'a', 0xd1, 0x00, 0x05, 0xa1, 'b', 0x91, 0xca, 0x3f, 0x80, 0, 0}, "an int16 5")
	require.Contains(t, variants, []byte{0x82, 0xa1, 'a', 0x05, 0xa1, 'b', 0x91, 0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0}, "a float64 1")
	require.Contains(t, variants, []byte{0x82, 0xc4, 0x01, 'a', 0x05, 0xa1, 'b', 0x91, 0xca, 0x3f, 0x80, 0, 0}, "a bin key")
	require.Contains(t, variants, []byte{0xde, 0x00, 0x02, 0xa1, 'a', 0x05, 0xa1, 'b', 0x91, 0xca, 0x3f, 0x80, 0, 0}, "a map16 header")
	require.Contains(t, variants, []byte{0x82, 0xa1, 'a', 0x05, 0xa1, 'b', 0xc0}, "a nil array")
}
