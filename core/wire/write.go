package wire

import "math"

// appendUint appends the n low bytes of u, big-endian, after the type byte
// t. Not inlined, and one loop rather than a case per width: inlined with
// four appends into every appender and encoder, it cost the engine 1.9 KB
// of brotli.
//
//go:noinline
func appendUint(b []byte, t byte, u uint64, n int) []byte {
	b = append(b, t)
	for s := 8 * (n - 1); s >= 0; s -= 8 {
		b = append(b, byte(u>>s))
	}
	return b
}

// AppendMapHeader appends a header for a map of n entries.
func AppendMapHeader(b []byte, n uint32) []byte {
	switch {
	case n <= 15:
		return append(b, 0x80|byte(n))
	case n <= math.MaxUint16:
		return appendUint(b, 0xde, uint64(n), 2)
	}
	return appendUint(b, 0xdf, uint64(n), 4)
}

// AppendArrayHeader appends a header for an array of n elements.
func AppendArrayHeader(b []byte, n uint32) []byte {
	switch {
	case n <= 15:
		return append(b, 0x90|byte(n))
	case n <= math.MaxUint16:
		return appendUint(b, 0xdc, uint64(n), 2)
	}
	return appendUint(b, 0xdd, uint64(n), 4)
}

// AppendRaw appends bytes that are already MessagePack, such as a map
// header and key that a generated encoder encoded when it was generated:
// one copy at run time instead of a header and a string to encode. It is
// not inlined: the wasm compiler expands every append where it stands, and
// inlined at every key it cost the engine 3.6 KB of brotli.
//
//go:noinline
func AppendRaw(b []byte, raw string) []byte { return append(b, raw...) }

// AppendNil appends nil.
func AppendNil(b []byte) []byte { return append(b, 0xc0) }

// AppendBool appends a bool.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 0xc3)
	}
	return append(b, 0xc2)
}

// AppendInt64 appends i in the smallest encoding msgp.AppendInt64 chooses:
// a fixint, else a signed int8, int16, int32 or int64 (never unsigned).
func AppendInt64(b []byte, i int64) []byte {
	switch {
	case i >= -32 && i <= math.MaxInt8:
		return append(b, byte(i)) // positive or negative fixint
	case i >= math.MinInt8 && i < 0:
		return appendUint(b, 0xd0, uint64(i), 1)
	case i >= math.MinInt16 && i <= math.MaxInt16:
		return appendUint(b, 0xd1, uint64(i), 2)
	case i >= math.MinInt32 && i <= math.MaxInt32:
		return appendUint(b, 0xd2, uint64(i), 4)
	}
	return appendUint(b, 0xd3, uint64(i), 8)
}

// AppendInt appends i as [AppendInt64] does.
func AppendInt(b []byte, i int) []byte { return AppendInt64(b, int64(i)) }

// AppendUint64 appends u as msgp.AppendUint64 does: a positive fixint, else
// the smallest of uint8, uint16, uint32 and uint64. msgp's AppendUint8,
// AppendUint16 and AppendUint32 encode the same way.
func AppendUint64(b []byte, u uint64) []byte {
	switch {
	case u <= math.MaxInt8:
		return append(b, byte(u))
	case u <= math.MaxUint8:
		return appendUint(b, 0xcc, u, 1)
	case u <= math.MaxUint16:
		return appendUint(b, 0xcd, u, 2)
	case u <= math.MaxUint32:
		return appendUint(b, 0xce, u, 4)
	}
	return appendUint(b, 0xcf, u, 8)
}

// AppendFloat32 appends a float32.
func AppendFloat32(b []byte, f float32) []byte {
	u := math.Float32bits(f)
	return append(b, 0xca, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// AppendFloat64 appends a float64.
func AppendFloat64(b []byte, f float64) []byte {
	return appendUint(b, 0xcb, math.Float64bits(f), 8)
}

// appendLen appends the header of a str (base 0xd9, fix 0xa0) or bin (base
// 0xc4, no fix form) of n bytes.
func appendLen(b []byte, fix, base byte, n int) []byte {
	switch {
	case fix != 0 && n <= 31:
		return append(b, fix|byte(n))
	case n <= math.MaxUint8:
		return appendUint(b, base, uint64(n), 1)
	case n <= math.MaxUint16:
		return appendUint(b, base+1, uint64(n), 2)
	}
	return appendUint(b, base+2, uint64(n), 4)
}

// AppendString appends a str.
func AppendString(b []byte, s string) []byte {
	if len(s) <= 31 {
		return append(append(b, 0xa0|byte(len(s))), s...)
	}
	return append(appendLen(b, 0xa0, 0xd9, len(s)), s...)
}

// AppendBytes appends a bin; nil and empty slices both encode as an empty
// bin, as in msgp.
func AppendBytes(b []byte, v []byte) []byte {
	return append(appendLen(b, 0, 0xc4, len(v)), v...)
}

// The slice appenders below append an array of a basic type, for the
// generated encoders, as the slice readers of read.go read one.

// AppendStrings appends an array of str.
func AppendStrings(b []byte, s []string) []byte {
	b = AppendArrayHeader(b, uint32(len(s)))
	for _, v := range s {
		b = AppendString(b, v)
	}
	return b
}

// AppendFloat32s appends an array of float32.
func AppendFloat32s(b []byte, s []float32) []byte {
	b = AppendArrayHeader(b, uint32(len(s)))
	for _, v := range s {
		b = AppendFloat32(b, v)
	}
	return b
}

// AppendUint16s appends an array of uint16, each as msgp.AppendUint16.
func AppendUint16s(b []byte, s []uint16) []byte {
	b = AppendArrayHeader(b, uint32(len(s)))
	for _, v := range s {
		b = AppendUint64(b, uint64(v))
	}
	return b
}

// AppendInt64s appends an array of int64.
func AppendInt64s(b []byte, s []int64) []byte {
	b = AppendArrayHeader(b, uint32(len(s)))
	for _, v := range s {
		b = AppendInt64(b, v)
	}
	return b
}
