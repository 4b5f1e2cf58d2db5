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
		if w, ok := widened("int64", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
		return l, v, lr, len(o), le, err
	},
	"int": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Int() })
		v, o, err := msgp.ReadIntBytes(b)
		if w, ok := widened("int", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
		return l, v, lr, len(o), le, err
	},
	"uint64": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint64() })
		v, o, err := msgp.ReadUint64Bytes(b)
		if w, ok := widened("uint64", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
		return l, v, lr, len(o), le, err
	},
	"uint32": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint32() })
		v, o, err := msgp.ReadUint32Bytes(b)
		if w, ok := widened("uint32", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
		return l, v, lr, len(o), le, err
	},
	"uint16": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint16() })
		v, o, err := msgp.ReadUint16Bytes(b)
		if w, ok := widened("uint16", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
		return l, v, lr, len(o), le, err
	},
	"uint8": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return r.Uint8() })
		v, o, err := msgp.ReadUint8Bytes(b)
		if w, ok := widened("uint8", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
		return l, v, lr, len(o), le, err
	},
	"float32": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return math.Float32bits(r.Float32()) })
		v, o, err := msgp.ReadFloat32Bytes(b)
		if w, ok := widened("float32", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
		return l, math.Float32bits(v), lr, len(o), le, err
	},
	"float64": func(b []byte) (any, any, int, int, error, error) {
		l, lr, le := leanRead(b, func(r *wire.Reader) any { return math.Float64bits(r.Float64()) })
		v, o, err := msgp.ReadFloat64Bytes(b)
		if w, ok := widened("float64", b); ok && err != nil {
			return l, w.v, lr, w.rest, le, w.err
		}
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

// widening is what the lean reader of a number makes of b where msgp's
// refuses it for its kind of number.
type widening struct {
	v    any
	rest int
	err  error
}

// integerRanges are the values of each integer kind: [lo, hi).
var integerRanges = map[string][2]float64{
	"int64": {math.MinInt64, 1 << 63}, "int": {math.MinInt64, 1 << 63}, "uint64": {0, 1 << 64},
	"uint32": {0, 1 << 32}, "uint16": {0, 1 << 16}, "uint8": {0, 1 << 8},
}

// widened is the reference of the readers' one difference from msgp, any
// number that converts (read.go): b's number, read with msgp, converted
// to kind name, or an error when it does not convert. ok is false when b
// does not start with a number, or when name is an integer kind and b an
// integer: msgp's verdict stands.
func widened(name string, b []byte) (w widening, ok bool) {
	var i int64
	var u uint64
	var f float64
	var o []byte
	var err error
	isInt, isUint := false, false
	switch msgp.NextType(b) {
	case msgp.IntType:
		i, o, err = msgp.ReadInt64Bytes(b)
		isInt = true
	case msgp.UintType:
		u, o, err = msgp.ReadUint64Bytes(b)
		isUint = true
	case msgp.Float32Type:
		var f32 float32
		f32, o, err = msgp.ReadFloat32Bytes(b)
		f = float64(f32)
	case msgp.Float64Type:
		f, o, err = msgp.ReadFloat64Bytes(b)
	default:
		return w, false
	}
	if err != nil {
		return widening{err: err}, true
	}
	w.rest = len(o)
	outOfRange := widening{err: wire.ErrRange}
	switch name {
	case "float32":
		switch {
		case isInt:
			w.v = math.Float32bits(float32(i))
		case isUint:
			w.v = math.Float32bits(float32(u))
		case math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0):
			return outOfRange, true
		default:
			w.v = math.Float32bits(float32(f))
		}
		return w, true
	case "float64":
		switch {
		case isInt:
			w.v = math.Float64bits(float64(i))
		case isUint:
			w.v = math.Float64bits(float64(u))
		default:
			w.v = math.Float64bits(f)
		}
		return w, true
	}
	if isInt || isUint {
		return w, false
	}
	// An integer kind: a whole float within its range.
	r := integerRanges[name]
	if f != math.Trunc(f) || f < r[0] || f >= r[1] {
		return outOfRange, true
	}
	w.v = map[string]any{
		"int64": int64(f), "int": int(f), "uint64": uint64(f), "uint32": uint32(f), "uint16": uint16(f), "uint8": uint8(f),
	}[name]
	return w, true
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
		for _, b := range [][]byte{msgp.AppendFloat64(nil, float64(i)), msgp.AppendFloat32(nil, float32(i)),
			msgp.AppendFloat64(nil, float64(i)+0.5), msgp.AppendFloat64(nil, math.Ldexp(float64(i), 80))} {
			for _, name := range []string{"int64", "int", "uint64", "uint32", "uint16", "uint8", "float32", "float64"} {
				checkRead(t, name, b)
			}
		}
		n := lengths[rng.IntN(len(lengths))]
		s := make([]byte, n)
		for _, name := range []string{"string", "key", "bytes", "skip"} {
			checkRead(t, name, msgp.AppendString(nil, string(s)))
			checkRead(t, name, msgp.AppendBytes(nil, s))
		}
	}
}

// Any number that converts reads as any kind of number: what a document
// re-encoded by a library with one kind of number (JavaScript's) holds.
func TestReader_numbers(t *testing.T) {
	f32 := func(f float32) []byte { return msgp.AppendFloat32(nil, f) }
	f64 := func(f float64) []byte { return msgp.AppendFloat64(nil, f) }
	tests := []struct {
		name string
		in   []byte
		read func(r *wire.Reader) any
		want any // nil: refused as out of range
	}{
		{"integer as float32", msgp.AppendInt(nil, 554), func(r *wire.Reader) any { return r.Float32() }, float32(554)},
		{"negative integer as float32", msgp.AppendInt(nil, -3), func(r *wire.Reader) any { return r.Float32() }, float32(-3)},
		{"large uint64 as float32", msgp.AppendUint64(nil, math.MaxUint64), func(r *wire.Reader) any { return r.Float32() }, float32(math.MaxUint64)},
		{"float64 as float32", f64(0.30000001192092896), func(r *wire.Reader) any { return r.Float32() }, float32(0.3)},
		{"float64 rounded to float32", f64(0.1), func(r *wire.Reader) any { return r.Float32() }, float32(0.1)},
		{"float64 infinity as float32", f64(math.Inf(-1)), func(r *wire.Reader) any { return r.Float32() }, float32(math.Inf(-1))},
		{"float64 beyond float32", f64(1e39), func(r *wire.Reader) any { return r.Float32() }, nil},
		{"integer as float64", msgp.AppendInt(nil, -7), func(r *wire.Reader) any { return r.Float64() }, float64(-7)},
		{"whole float64 as int", f64(3), func(r *wire.Reader) any { return r.Int() }, 3},
		{"whole float32 as int64", f32(-2), func(r *wire.Reader) any { return r.Int64() }, int64(-2)},
		{"smallest int64 as a float", f64(math.MinInt64), func(r *wire.Reader) any { return r.Int64() }, int64(math.MinInt64)},
		{"2^63 as int64", f64(1 << 63), func(r *wire.Reader) any { return r.Int64() }, nil},
		{"fraction as int", f64(3.5), func(r *wire.Reader) any { return r.Int() }, nil},
		{"NaN as int", f64(math.NaN()), func(r *wire.Reader) any { return r.Int() }, nil},
		{"infinity as int64", f32(float32(math.Inf(1))), func(r *wire.Reader) any { return r.Int64() }, nil},
		{"whole float as uint16", f64(65535), func(r *wire.Reader) any { return r.Uint16() }, uint16(65535)},
		{"2^16 as uint16", f64(65536), func(r *wire.Reader) any { return r.Uint16() }, nil},
		{"negative float as uint64", f64(-1), func(r *wire.Reader) any { return r.Uint64() }, nil},
		{"negative zero as uint64", f64(math.Copysign(0, -1)), func(r *wire.Reader) any { return r.Uint64() }, uint64(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := wire.NewReader(tt.in)
			got := tt.read(r)
			if tt.want == nil {
				require.ErrorIs(t, r.Err(), wire.ErrRange)
				return
			}
			require.NoError(t, r.Err())
			require.Equal(t, tt.want, got)
			require.Empty(t, r.Rest())
		})
	}
	// A float32 keeps its bits, a signalling NaN's too.
	r := wire.NewReader(f32(math.Float32frombits(0x7f800001)))
	require.Equal(t, uint32(0x7f800001), math.Float32bits(r.Float32()))
	// Anything but a number is still the wrong type.
	r = wire.NewReader([]byte{0xa1, '1'})
	r.Float32()
	require.ErrorIs(t, r.Err(), wire.ErrType)
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
	require.Same(t, &in[5], &v[0], "Bytes returns a slice of the input")
	require.Equal(t, 2, cap(v), "capped, so that an append copies")
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
