package wiretest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tinylib/msgp/msgp"
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

func TestCanonical(t *testing.T) {
	doc := func(n, u, f, m, pf, x func([]byte) []byte) []byte {
		b := msgp.AppendMapHeader(nil, 6)
		b = n(msgp.AppendString(b, "N"))
		b = u(msgp.AppendString(b, "U"))
		b = f(msgp.AppendString(b, "F"))
		b = msgp.AppendMapHeader(msgp.AppendString(b, "M"), 1)
		b = m(msgp.AppendString(b, "a"))
		b = msgp.AppendMapHeader(msgp.AppendString(b, "P"), 1)
		b = pf(msgp.AppendString(b, "F"))
		return x(msgp.AppendString(b, "x"))
	}
	f32 := func(f float32) func([]byte) []byte { return func(b []byte) []byte { return msgp.AppendFloat32(b, f) } }
	f64 := func(f float64) func([]byte) []byte { return func(b []byte) []byte { return msgp.AppendFloat64(b, f) } }
	i64 := func(i int64) func([]byte) []byte { return func(b []byte) []byte { return msgp.AppendInt64(b, i) } }
	u64 := func(u uint64) func([]byte) []byte { return func(b []byte) []byte { return msgp.AppendUint64(b, u) } }
	tests := []struct {
		name     string
		in, want []byte
	}{
		{"every number converts, unknown fields stay",
			doc(f64(3), f32(7), i64(554), i64(1), f64(0.1), f64(2)),
			doc(i64(3), u64(7), f32(554), f32(1), f32(0.1), f64(2))},
		{"numbers that do not convert stay",
			doc(f64(3.5), f64(-1), f64(1e300), f64(-1e300), f64(math.NaN()), i64(1)),
			doc(f64(3.5), f64(-1), f64(1e300), f64(-1e300), f32(float32(math.NaN())), i64(1))},
		{"canonical already", doc(i64(-3), u64(7), f32(1), f32(2), f32(3), i64(1)), doc(i64(-3), u64(7), f32(1), f32(2), f32(3), i64(1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Canonical(tt.in, &sample{}))
			// Bytes after the document are copied; bytes that are not a
			// document are copied as they are.
			require.Equal(t, append(tt.want, 0xc1, 0x01), Canonical(append(tt.in, 0xc1, 0x01), &sample{}))
			require.Equal(t, tt.in[:5], Canonical(tt.in[:5], &sample{}))
		})
	}
	// A key msgp cannot read (an integer) ends the rewriting of its map,
	// which is copied as it is, and only it.
	in := msgp.AppendMapHeader(nil, 2)
	in = msgp.AppendFloat64(msgp.AppendString(in, "N"), 3)
	in = msgp.AppendInt(msgp.AppendInt(in, 7), 1)
	in = append(in, 0xa1, 'x')
	want := msgp.AppendMapHeader(nil, 2)
	want = msgp.AppendInt64(msgp.AppendString(want, "N"), 3)
	want = msgp.AppendInt(msgp.AppendInt(want, 7), 1)
	want = append(want, 0xa1, 'x')
	require.Equal(t, want, Canonical(in, &sample{}))
}
