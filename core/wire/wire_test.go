package wire_test

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"github.com/tinylib/msgp/msgp"

	"github.com/hearth-dev/hearth/core/wire"
)

// ints are the boundaries where msgp changes encoding, and their neighbours.
var ints = []int64{
	0, 1, 31, 32, 127, 128, 255, 256, 32767, 32768, 65535, 65536,
	math.MaxInt32, math.MaxInt32 + 1, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64,
	-1, -31, -32, -33, -127, -128, -129, -32767, -32768, -32769,
	math.MinInt32, math.MinInt32 - 1, math.MinInt64,
}

var lengths = []int{0, 1, 15, 16, 31, 32, 255, 256, 65535, 65536}

func TestAppend_matchesMsgp(t *testing.T) {
	type enc struct {
		name      string
		lean, ref []byte
	}
	var cases []enc
	add := func(name string, lean, ref []byte) { cases = append(cases, enc{name, lean, ref}) }
	for _, i := range ints {
		add("int64", wire.AppendInt64(nil, i), msgp.AppendInt64(nil, i))
		add("int", wire.AppendInt(nil, int(i)), msgp.AppendInt(nil, int(i)))
		add("uint64", wire.AppendUint64(nil, uint64(i)), msgp.AppendUint64(nil, uint64(i)))
		add("uint16", wire.AppendUint64(nil, uint64(uint16(i))), msgp.AppendUint16(nil, uint16(i)))
		add("uint8", wire.AppendUint64(nil, uint64(uint8(i))), msgp.AppendUint8(nil, uint8(i)))
	}
	for _, n := range lengths {
		s := string(bytes.Repeat([]byte{'x'}, n))
		add("string", wire.AppendString(nil, s), msgp.AppendString(nil, s))
		add("bytes", wire.AppendBytes(nil, []byte(s)), msgp.AppendBytes(nil, []byte(s)))
		add("map", wire.AppendMapHeader(nil, uint32(n)), msgp.AppendMapHeader(nil, uint32(n)))
		add("array", wire.AppendArrayHeader(nil, uint32(n)), msgp.AppendArrayHeader(nil, uint32(n)))
	}
	add("max map", wire.AppendMapHeader(nil, math.MaxUint32), msgp.AppendMapHeader(nil, math.MaxUint32))
	add("nil bytes", wire.AppendBytes(nil, nil), msgp.AppendBytes(nil, nil))
	for _, f := range []float64{0, math.Copysign(0, -1), 1.5, -3.25e38, math.Inf(1), math.NaN(), math.SmallestNonzeroFloat64} {
		add("float32", wire.AppendFloat32(nil, float32(f)), msgp.AppendFloat32(nil, float32(f)))
		add("float64", wire.AppendFloat64(nil, f), msgp.AppendFloat64(nil, f))
	}
	add("true", wire.AppendBool(nil, true), msgp.AppendBool(nil, true))
	add("false", wire.AppendBool(nil, false), msgp.AppendBool(nil, false))
	add("nil", wire.AppendNil(nil), msgp.AppendNil(nil))
	for _, c := range cases {
		require.Equal(t, c.ref, c.lean, c.name)
	}
}

// The slice appenders and readers of the generated codecs round-trip with
// msgp's arrays, and the readers reuse the slice they are given.
func TestSlices_matchMsgp(t *testing.T) {
	strs := []string{"", "a", string(bytes.Repeat([]byte{'x'}, 40))}
	floats := []float32{0, -1.5, float32(math.Inf(1))}
	var u16s []uint16
	var i64s []int64
	for _, i := range ints {
		u16s = append(u16s, uint16(i))
		i64s = append(i64s, i)
	}
	ref := msgp.AppendArrayHeader(nil, uint32(len(strs)))
	for _, s := range strs {
		ref = msgp.AppendString(ref, s)
	}
	require.Equal(t, ref, wire.AppendStrings(nil, strs))
	ref = msgp.AppendArrayHeader(nil, uint32(len(floats)))
	for _, f := range floats {
		ref = msgp.AppendFloat32(ref, f)
	}
	require.Equal(t, ref, wire.AppendFloat32s(nil, floats))
	ref = msgp.AppendArrayHeader(nil, uint32(len(u16s)))
	for _, u := range u16s {
		ref = msgp.AppendUint16(ref, u)
	}
	require.Equal(t, ref, wire.AppendUint16s(nil, u16s))
	ref = msgp.AppendArrayHeader(nil, uint32(len(i64s)))
	for _, i := range i64s {
		ref = msgp.AppendInt64(ref, i)
	}
	require.Equal(t, ref, wire.AppendInt64s(nil, i64s))

	b := wire.AppendInt64s(wire.AppendUint16s(wire.AppendFloat32s(wire.AppendStrings(nil, strs), floats), u16s), i64s)
	r := wire.NewReader(b)
	used := make([]string, 1, 8)
	gotStrs := r.Strings(used, r.ArrayHeader())
	require.Equal(t, strs, gotStrs)
	require.Same(t, &used[0], &gotStrs[0], "a slice with the capacity is reused")
	require.Equal(t, floats, r.Float32s(nil, r.ArrayHeader()))
	require.Equal(t, u16s, r.Uint16s(nil, r.ArrayHeader()))
	require.Equal(t, i64s, r.Int64s(nil, r.ArrayHeader()))
	require.NoError(t, r.Err())
	require.Empty(t, r.Rest())
	require.Nil(t, wire.NewReader([]byte{0x90}).Strings(nil, 0), "an empty array into nil is nil, as in msgp")

	r = wire.NewReader(wire.AppendInt64s(nil, []int64{70000}))
	r.Uint16s(nil, r.ArrayHeader())
	require.ErrorIs(t, r.Err(), wire.ErrRange)
}

func TestAppendRaw(t *testing.T) {
	require.Equal(t, []byte{0x91, 0x81, 0xa1, 'v'}, wire.AppendRaw([]byte{0x91}, "\x81\xa1v"))
}

func TestAppend_appendsToExisting(t *testing.T) {
	b := wire.AppendString([]byte{0x92}, "a")
	b = wire.AppendInt(b, -200)
	require.Equal(t, []byte{0x92, 0xa1, 'a', 0xd1, 0xff, 0x38}, b)
}

// read decodes one value of kind k from b with the lean Reader and with the
// corresponding msgp function and returns both results as comparable values
// and the bytes each left.
type readFn func(b []byte) (lean, ref any, leanRest, refRest int, leanErr, refErr error)

func leanRead(b []byte, f func(r *wire.Reader) any) (any, int, error) {
	r := wire.NewReader(b)
	v := f(r)
	return v, len(r.Rest()), r.Err()
}

var readers = map[string]readFn{
	"int64": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Int64() })
		v, o, err := msgp.ReadInt64Bytes(b)
		return l, v, lr, len(o), le, err
	},
	"int": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Int() })
		v, o, err := msgp.ReadIntBytes(b)
		return l, v, lr, len(o), le, err
	},
	"uint64": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint64() })
		v, o, err := msgp.ReadUint64Bytes(b)
		return l, v, lr, len(o), le, err
	},
	"uint32": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint32() })
		v, o, err := msgp.ReadUint32Bytes(b)
		return l, v, lr, len(o), le, err
	},
	"uint16": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint16() })
		v, o, err := msgp.ReadUint16Bytes(b)
		return l, v, lr, len(o), le, err
	},
	"uint8": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint8() })
		v, o, err := msgp.ReadUint8Bytes(b)
		return l, v, lr, len(o), le, err
	},
	"float32": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return math.Float32bits(r.Float32()) })
		v, o, err := msgp.ReadFloat32Bytes(b)
		return l, math.Float32bits(v), lr, len(o), le, err
	},
	"float64": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return math.Float64bits(r.Float64()) })
		v, o, err := msgp.ReadFloat64Bytes(b)
		return l, math.Float64bits(v), lr, len(o), le, err
	},
	"bool": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Bool() })
		v, o, err := msgp.ReadBoolBytes(b)
		return l, v, lr, len(o), le, err
	},
	"nil": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { r.Nil(); return nil })
		o, err := msgp.ReadNilBytes(b)
		return l, nil, lr, len(o), le, err
	},
	"string": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.String() })
		v, o, err := msgp.ReadStringBytes(b)
		return l, v, lr, len(o), le, err
	},
	"key": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Key() })
		v, o, err := msgp.ReadMapKeyZC(b)
		return l, v, lr, len(o), le, err
	},
	"bytes": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Bytes(nil) })
		v, o, err := msgp.ReadBytesBytes(b, nil)
		return l, v, lr, len(o), le, err
	},
	"map": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return uint32(r.MapHeader()) })
		v, o, err := msgp.ReadMapHeaderBytes(b)
		if err == nil && uint64(v)*2 > uint64(len(o)) {
			// The lean reader refuses a header that claims more entries
			// than bytes remain; msgp would fail later, on the entries.
			err = msgp.ErrShortBytes
		}
		return l, v, lr, len(o), le, err
	},
	"array": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return uint32(r.ArrayHeader()) })
		v, o, err := msgp.ReadArrayHeaderBytes(b)
		if err == nil && uint64(v) > uint64(len(o)) {
			err = msgp.ErrShortBytes
		}
		return l, v, lr, len(o), le, err
	},
	"skip": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { r.Skip(); return nil })
		o, err := msgp.Skip(b)
		return l, nil, lr, len(o), le, err
	},
}

// checkRead requires the lean reader and msgp to agree on b: both fail, or
// both succeed with the same value and the same bytes left.
func checkRead(t *testing.T, name string, b []byte) {
	t.Helper()
	lean, ref, leanRest, refRest, leanErr, refErr := readers[name](b)
	if refErr != nil {
		require.Error(t, leanErr, "%s of % x: msgp fails with %v", name, b, refErr)
		var e *wire.Error
		require.True(t, errors.As(leanErr, &e), "%s: error type %T", name, leanErr)
		return
	}
	require.NoError(t, leanErr, "%s of % x", name, b)
	require.Equal(t, ref, lean, "%s of % x", name, b)
	require.Equal(t, refRest, leanRest, "%s of % x: bytes left", name, b)
}

func TestReader_matchesMsgp(t *testing.T) {
	// Every type byte, followed by bytes that make each width's value
	// differ, then truncated at every length.
	tails := [][]byte{
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11},
		{0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
		{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0x00, 0x00, 0x00, 0x01, 0x90, 0x90, 0x90, 0x90, 0x90},
		{0x02, 0xa1, 'a', 0x01, 0xa1, 'b', 0x02},
	}
	for name := range readers {
		t.Run(name, func(t *testing.T) {
			for lead := range 256 {
				for _, tail := range tails {
					b := append([]byte{byte(lead)}, tail...)
					for n := 0; n <= len(b); n++ {
						checkRead(t, name, b[:n])
					}
				}
			}
		})
	}
}

func TestReader_matchesMsgpOnAppended(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		i := ints[rng.IntN(len(ints))] + rng.Int64N(3) - 1
		b := msgp.AppendInt64(nil, i)
		for _, name := range []string{"int64", "int", "uint64", "uint32", "uint16", "uint8", "skip"} {
			checkRead(t, name, b)
		}
		b = msgp.AppendUint64(nil, uint64(i))
		for _, name := range []string{"int64", "uint64", "uint16", "skip"} {
			checkRead(t, name, b)
		}
		n := lengths[rng.IntN(len(lengths))]
		s := make([]byte, n)
		for _, name := range []string{"string", "key", "bytes", "skip"} {
			checkRead(t, name, msgp.AppendString(nil, string(s)))
			checkRead(t, name, msgp.AppendBytes(nil, s))
		}
	}
}

func TestReader_Skip(t *testing.T) {
	nested := func(depth int) []byte {
		return append(bytes.Repeat([]byte{0x91}, depth), 0x01)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"scalar", []byte{0x05, 0xff}},
		{"empty map", []byte{0x80, 0x01}},
		{"map of arrays", []byte{0x82, 0xa1, 'a', 0x92, 0x01, 0x02, 0xa1, 'b', 0x90, 0xc0}},
		{"ext8", []byte{0xc7, 0x02, 0x05, 0xaa, 0xbb, 0x01}},
		{"fixext16", append([]byte{0xd8, 0x05}, make([]byte, 17)...)},
		{"array32 too long", []byte{0xdd, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"map16 truncated", []byte{0xde, 0x00, 0x02, 0xa1, 'a', 0x01}},
		{"invalid byte", []byte{0x91, 0xc1}},
		{"deep but allowed", nested(99999)},
		{"too deep", nested(100000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRead(t, "skip", tt.in)
		})
	}
	r := wire.NewReader(nested(100000))
	r.Skip()
	require.ErrorIs(t, r.Err(), wire.ErrDepth)
}

func TestReader_stickyError(t *testing.T) {
	r := wire.NewReader([]byte{0xa1, 'a', 0x05})
	require.Equal(t, int64(0), r.Int64(), "a str is not an int")
	require.Equal(t, "", r.String(), "after a failure every read returns zero")
	require.ErrorIs(t, r.Err(), wire.ErrType)
	require.EqualError(t, r.Err(), "wire: unexpected type at byte 1")
}

func TestReader_headerLongerThanInput(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		read func(r *wire.Reader) int
	}{
		{"array32", []byte{0xdd, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02}, (*wire.Reader).ArrayHeader},
		{"map16", []byte{0xde, 0x00, 0x02, 0xa1, 'a', 0x01}, (*wire.Reader).MapHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := wire.NewReader(tt.in)
			require.Zero(t, tt.read(r))
			require.ErrorIs(t, r.Err(), wire.ErrShortBytes)
		})
	}
}

func TestReader_Bytes(t *testing.T) {
	scratch := make([]byte, 0, 8)
	r := wire.NewReader([]byte{0xc4, 0x02, 0x01, 0x02, 0xc4, 0x00})
	v := r.Bytes(scratch)
	require.Equal(t, []byte{1, 2}, v)
	require.Same(t, &scratch[:1][0], &v[0], "reuses scratch with room")
	require.Nil(t, r.Bytes(nil), "an empty bin into nil scratch is nil, as in msgp")
	require.NoError(t, r.Err())
}

func TestReader_ShareInput(t *testing.T) {
	in := []byte{0xa2, 'h', 'i', 0xc4, 0x02, 0x01, 0x02, 0xc4, 0x00, 0xa0}
	r := wire.NewReader(in)
	r.ShareInput()
	s := r.String()
	v := r.Bytes(make([]byte, 0, 8))
	require.Equal(t, "hi", s)
	require.Equal(t, []byte{1, 2}, v)
	require.NotSame(t, &in[5], &v[0], "Bytes copies")
	require.Same(t, &in[1], unsafe.StringData(s), "String returns a substring of the input")
	require.Nil(t, r.Bytes(nil), "an empty bin into nil scratch is nil, as in msgp")
	require.Equal(t, "", r.String())
	require.NoError(t, r.Err())
	require.Empty(t, r.Rest())
}

func FuzzReader(f *testing.F) {
	names := []string{"int64", "int", "uint64", "uint32", "uint16", "uint8", "float32", "float64",
		"bool", "nil", "string", "key", "bytes", "map", "array", "skip"}
	f.Add(byte(0), []byte{0xd1, 0x01, 0x00})
	f.Add(byte(15), []byte{0x82, 0xa1, 'a', 0x92, 0x01, 0x02, 0xa1, 'b', 0xc7, 0x01, 0x05, 0xaa})
	f.Add(byte(12), []byte{0xc5, 0x00, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, which byte, b []byte) {
		checkRead(t, names[int(which)%len(names)], b)
	})
}
