// Package wiretest helps test a codec built on core/wire
// against the msgp-generated reference: it fills values from fuzz input with
// every encoding width msgp can choose, compares decoded values exactly,
// tells when msgp-generated decoders may safely run on hostile bytes, and
// checks that what only the lean decoders accept differs from what msgp
// accepts in the kind of its numbers alone. It uses reflect and is imported
// by tests only, never by the engine.
package wiretest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tinylib/msgp/msgp"
)

// source hands out the bytes of a fuzz input, then zeros.
type source struct{ b []byte }

func (s *source) byte() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *source) bits(n int) uint64 {
	var u uint64
	for range n {
		u = u<<8 | uint64(s.byte())
	}
	return u
}

// Fill sets every field msgp encodes in the value ptr points to, deriving
// lengths and values from data. Lengths cross the fix/8/16-bit boundaries of
// str, bin and array headers, integers the boundaries of every integer
// encoding, floats include zero, negative zero, infinities and NaNs, and
// slices may be nil, empty or filled. The same data always gives the same
// value.
func Fill(ptr any, data []byte) {
	fill(reflect.ValueOf(ptr).Elem(), &source{b: data})
}

// intMagnitudes are the boundaries where msgp changes integer encoding.
var intMagnitudes = []uint64{0, 1, 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
	0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, math.MaxInt64, math.MaxUint64}

func (s *source) length() int {
	switch c := s.byte(); {
	case c < 0xc0:
		return int(c % 6)
	case c < 0xe0:
		return 15 + int(c%4) // around the fixarray and fixmap limit
	case c < 0xf0:
		return 29 + int(c%5) // around the fixstr limit
	case c < 0xf8:
		return 254 + int(c%4) // around the 8-bit limit
	}
	return 65534 + int(s.byte()%3) // around the 16-bit limit
}

func (s *source) number() uint64 {
	c := s.byte()
	if c < 0x80 {
		return s.bits(int(c % 9)) // random bytes of a random width
	}
	m := intMagnitudes[int(c)%len(intMagnitudes)]
	if c&0x40 != 0 {
		m = -m // two's complement: negative boundaries
	}
	return m + uint64(int64(int8(s.byte())%2)) // the boundary or a neighbour
}

func (s *source) float() float64 {
	specials := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), 0.5}
	c := s.byte()
	if int(c) < len(specials) {
		return specials[c]
	}
	return math.Float64frombits(s.bits(8))
}

func fill(v reflect.Value, s *source) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(s.byte()&1 == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		shift := 64 - v.Type().Bits()
		v.SetInt(int64(s.number()<<shift) >> shift)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		shift := 64 - v.Type().Bits()
		v.SetUint(s.number() << shift >> shift)
	case reflect.Float32:
		if s.byte()&1 == 0 {
			v.SetFloat(s.float())
		} else {
			f := math.Float32frombits(uint32(s.bits(4)))
			setFloat32(v, f)
		}
	case reflect.Float64:
		v.SetFloat(s.float())
	case reflect.String:
		b := make([]byte, s.length())
		for i := range b {
			b[i] = s.byte()
		}
		v.SetString(string(b))
	case reflect.Slice:
		switch c := s.byte(); {
		case c < 0x20:
			v.SetZero()
			return
		case c < 0x40:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		n := s.length()
		if v.Type().Elem().Kind() != reflect.Uint8 && n > 20 {
			n = 16 + n%4 // arrays of structs: cross the fixarray limit only
		}
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(v.Index(i), s)
		}
	case reflect.Map:
		if s.byte() < 0x20 {
			v.SetZero()
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		for n := s.length() % 20; n > 0; n-- {
			k := reflect.New(v.Type().Key()).Elem()
			e := reflect.New(v.Type().Elem()).Elem()
			fill(k, s)
			fill(e, s)
			v.SetMapIndex(k, e)
		}
	case reflect.Pointer:
		if s.byte() < 0x40 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || strings.HasPrefix(f.Tag.Get("msg"), "-") {
				continue // msgp does not encode it
			}
			fill(v.Field(i), s)
		}
	default:
		panic("wiretest: cannot fill a " + v.Type().String())
	}
}

// setFloat32 stores f bit for bit: SetFloat goes through float64, which
// turns a signalling NaN into a quiet one on some machines.
func setFloat32(v reflect.Value, f float32) {
	*(*float32)(v.Addr().UnsafePointer()) = f
}

// Equal reports whether the values a and b point to are identical: floats
// bit for bit (so NaN equals NaN), nil and empty slices and maps told apart,
// unexported fields included.
func Equal(a, b any) bool {
	return equal(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

func equal(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	case reflect.Float32:
		return *(*uint32)(a.Addr().UnsafePointer()) == *(*uint32)(b.Addr().UnsafePointer())
	case reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.String:
		return a.String() == b.String()
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equal(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return false
			}
			// Map elements are not addressable: copy them.
			av, bc := reflect.New(a.Type().Elem()).Elem(), reflect.New(a.Type().Elem()).Elem()
			av.Set(a.MapIndex(k))
			bc.Set(bv)
			if !equal(av, bc) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equal(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !equal(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() { // none for the blank [0]func() of an incomparable type
			if !equal(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	}
	panic("wiretest: cannot compare a " + a.Type().String())
}

// MsgpSafe reports whether msgp-generated decoders can run on data without
// risking an allocation far beyond its size. They trust array and map
// headers, and an array32 or map32 header claiming billions of elements
// would exhaust memory before the decoder finds the bytes missing. It looks
// for such a header at every offset, so it may refuse harmless data, never
// the reverse; 16-bit headers claim at most 65,535 elements and are safe.
func MsgpSafe(data []byte) bool {
	for i := 0; i+5 <= len(data); i++ {
		if (data[i] == 0xdd || data[i] == 0xdf) && binary.BigEndian.Uint32(data[i+1:]) > uint32(len(data)) {
			return false
		}
	}
	return true
}

// Variants returns copies of the MessagePack document b in which one value
// at a time is written differently: an integer in every other width that
// holds it and as floats, a float32 as a float64, a float64 that fits as a
// float32, a str as a wider str and as a bin, a bin as a wider bin and as a
// str, a container header in a wider form, and any value replaced by each
// of the probes (nil, integers at the edges of every integer type, one value
// of every other type). A decoder tested against its reference on every variant of a document that sets
// every field is held to the reference's choice for each field and type.
func Variants(b []byte) [][]byte {
	var out [][]byte
	replace := func(start, end int, with []byte) {
		v := make([]byte, 0, len(b)-end+start+len(with))
		v = append(append(append(v, b[:start]...), with...), b[end:]...)
		out = append(out, v)
	}
	var walk func(off int) int
	walk = func(off int) int {
		rest := b[off:]
		after, err := msgp.Skip(rest)
		if err != nil {
			return len(b)
		}
		end := off + len(rest) - len(after)
		for _, p := range probes {
			replace(off, end, p)
		}
		switch msgp.NextType(rest) {
		case msgp.MapType, msgp.ArrayType:
			isMap := msgp.NextType(rest) == msgp.MapType
			var n uint32
			var body []byte
			if isMap {
				n, body, _ = msgp.ReadMapHeaderBytes(rest)
			} else {
				n, body, _ = msgp.ReadArrayHeaderBytes(rest)
			}
			hdr := off + len(rest) - len(body)
			base := byte(0xdc)
			if isMap {
				base = 0xde
			}
			replace(off, hdr, appendWidth(nil, base, uint64(n), 2))
			replace(off, hdr, appendWidth(nil, base+1, uint64(n), 4))
			elems := int(n)
			if isMap {
				elems *= 2
			}
			p := hdr
			for range elems {
				p = walk(p)
			}
		case msgp.IntType, msgp.UintType:
			var u uint64
			var neg bool
			if i, _, err := msgp.ReadInt64Bytes(rest); err == nil {
				u, neg = uint64(i), i < 0
			} else {
				u, _, _ = msgp.ReadUint64Bytes(rest)
			}
			for _, w := range intWidths(u, neg) {
				replace(off, end, w)
			}
			replace(off, end, msgp.AppendFloat32(nil, float32(int64(u))))
			replace(off, end, msgp.AppendFloat64(nil, float64(int64(u))))
		case msgp.Float32Type:
			f, _, _ := msgp.ReadFloat32Bytes(rest)
			replace(off, end, msgp.AppendFloat64(nil, float64(f)))
			if f == float32(int64(f)) {
				replace(off, end, msgp.AppendInt64(nil, int64(f)))
			}
		case msgp.Float64Type:
			f, _, _ := msgp.ReadFloat64Bytes(rest)
			replace(off, end, msgp.AppendFloat32(nil, float32(f)))
		case msgp.StrType:
			s, _, _ := msgp.ReadStringZC(rest)
			replace(off, end, append(appendWidth(nil, 0xda, uint64(len(s)), 2), s...))
			replace(off, end, append(appendWidth(nil, 0xdb, uint64(len(s)), 4), s...))
			replace(off, end, msgp.AppendBytes(nil, s))
		case msgp.BinType:
			s, _, _ := msgp.ReadBytesZC(rest)
			replace(off, end, append(appendWidth(nil, 0xc5, uint64(len(s)), 2), s...))
			replace(off, end, append(appendWidth(nil, 0xc6, uint64(len(s)), 4), s...))
			replace(off, end, msgp.AppendStringFromBytes(nil, s))
		}
		return end
	}
	walk(0)
	return out
}

// probes replace every value in turn: values at the edges of each integer
// type, and one of every other type.
var probes = [][]byte{
	{0xc0}, {0xc2}, {0xff}, {0xd0, 0x80}, {0xcc, 0xff}, {0xd1, 0x80, 0x00}, {0xcd, 0xff, 0xff},
	{0xce, 0x00, 0x01, 0x00, 0x00}, {0xce, 0xff, 0xff, 0xff, 0xff}, {0xd2, 0x80, 0x00, 0x00, 0x00},
	{0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0}, {0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0},
	{0xca, 0x3f, 0x80, 0, 0}, {0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0}, {0xa1, 'x'}, {0xc4, 0x01, 'x'},
	{0x90}, {0x80}, {0x92, 0x01, 0xca, 0, 0, 0, 0}, {0xd4, 0x01, 0x00},
}

// intWidths encodes u (an int64 when neg) in every integer form that holds it.
func intWidths(u uint64, neg bool) [][]byte {
	i := int64(u)
	var out [][]byte
	if !neg && u < 0x80 || neg && i >= -32 {
		out = append(out, []byte{byte(u)})
	}
	for k, size := range []int{1, 2, 4, 8} {
		bits := uint(8 * size)
		if !neg && (size == 8 || u < 1<<bits) {
			out = append(out, appendWidth(nil, 0xcc+byte(k), u, size))
		}
		if size == 8 || (i >= -1<<(bits-1) && i < 1<<(bits-1)) {
			out = append(out, appendWidth(nil, 0xd0+byte(k), u, size))
		}
	}
	return out
}

// appendWidth appends type byte t and the size low bytes of u, big-endian.
func appendWidth(b []byte, t byte, u uint64, size int) []byte {
	b = append(b, t)
	for k := size - 1; k >= 0; k-- {
		b = append(b, byte(u>>(8*k)))
	}
	return b
}

// Canonical returns b, a MessagePack document of the type ptr points to,
// with every number of a numeric field rewritten in the kind msgp's decoder
// of the field reads, when it converts as core/wire's Reader converts it:
// a whole float of an integer field within its range as an integer, an
// integer or a float64 within float32's range of a float32 field as a
// float32 (rounded to the nearest), an integer of a float64 field as a
// float64. Everything else (numbers that do not convert, unknown fields,
// values of the wrong type, bytes after the document) is copied as it is.
func Canonical(b []byte, ptr any) []byte {
	out, rest := canonical(nil, b, reflect.TypeOf(ptr).Elem())
	return append(out, rest...)
}

// canonical appends the value at the start of in, its numbers canonical
// for t, and returns the bytes after it; a value it cannot walk is copied
// with everything after it.
func canonical(out, in []byte, t reflect.Type) ([]byte, []byte) {
	rest, err := msgp.Skip(in)
	if err != nil {
		return append(out, in...), nil
	}
	raw := in[:len(in)-len(rest)]
	next := msgp.NextType(in)
	switch t.Kind() {
	case reflect.Pointer:
		if next != msgp.NilType {
			return canonical(out, in, t.Elem())
		}
	case reflect.Struct:
		switch next {
		case msgp.MapType:
			n, body, _ := msgp.ReadMapHeaderBytes(in)
			out = append(out, in[:len(in)-len(body)]...)
			for range n {
				key, after, err := msgp.ReadMapKeyZC(body)
				if err != nil { // not a key msgp reads: it refuses the document
					return append(out, body[:len(body)-len(rest)]...), rest
				}
				out = append(out, body[:len(body)-len(after)]...)
				if f, ok := fieldByKey(t, string(key)); ok {
					out, body = canonical(out, after, f.Type)
				} else {
					out, body = copyValue(out, after)
				}
			}
			return out, rest
		case msgp.ArrayType: // a //msgp:tuple type
			n, body, _ := msgp.ReadArrayHeaderBytes(in)
			out = append(out, in[:len(in)-len(body)]...)
			fields := encodedFields(t)
			for k := range int(n) {
				if k < len(fields) {
					out, body = canonical(out, body, fields[k].Type)
				} else {
					out, body = copyValue(out, body)
				}
			}
			return out, rest
		}
	case reflect.Slice, reflect.Map:
		if t.Kind() == reflect.Slice && t.Elem() == reflect.TypeFor[byte]() {
			break // a bin ([]Kind of a named byte type is an array)
		}
		var n uint32
		var body []byte
		if t.Kind() == reflect.Slice && next == msgp.ArrayType {
			n, body, _ = msgp.ReadArrayHeaderBytes(in)
		} else if t.Kind() == reflect.Map && next == msgp.MapType {
			n, body, _ = msgp.ReadMapHeaderBytes(in)
		} else {
			break
		}
		out = append(out, in[:len(in)-len(body)]...)
		for range n {
			if t.Kind() == reflect.Map {
				out, body = copyValue(out, body) // the key
			}
			out, body = canonical(out, body, t.Elem())
		}
		return out, rest
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if f, ok := readFloat(in, next); ok && f == math.Trunc(f) && f >= -math.Ldexp(1, t.Bits()-1) && f < math.Ldexp(1, t.Bits()-1) {
			return msgp.AppendInt64(out, int64(f)), rest
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if f, ok := readFloat(in, next); ok && f == math.Trunc(f) && f >= 0 && f < math.Ldexp(1, t.Bits()) {
			return msgp.AppendUint64(out, uint64(f)), rest
		}
	case reflect.Float32:
		switch next {
		case msgp.IntType:
			i, _, _ := msgp.ReadInt64Bytes(in)
			return msgp.AppendFloat32(out, float32(i)), rest
		case msgp.UintType:
			u, _, _ := msgp.ReadUint64Bytes(in)
			return msgp.AppendFloat32(out, float32(u)), rest
		case msgp.Float64Type:
			if f, _, _ := msgp.ReadFloat64Bytes(in); math.Abs(f) <= math.MaxFloat32 || math.IsInf(f, 0) || f != f {
				return msgp.AppendFloat32(out, float32(f)), rest
			}
		}
	case reflect.Float64:
		switch next {
		case msgp.IntType:
			i, _, _ := msgp.ReadInt64Bytes(in)
			return msgp.AppendFloat64(out, float64(i)), rest
		case msgp.UintType:
			u, _, _ := msgp.ReadUint64Bytes(in)
			return msgp.AppendFloat64(out, float64(u)), rest
		}
	}
	return append(out, raw...), rest
}

// readFloat reads a float32 or float64 at the start of in.
func readFloat(in []byte, next msgp.Type) (float64, bool) {
	switch next {
	case msgp.Float32Type:
		f, _, err := msgp.ReadFloat32Bytes(in)
		return float64(f), err == nil
	case msgp.Float64Type:
		f, _, err := msgp.ReadFloat64Bytes(in)
		return f, err == nil
	}
	return 0, false
}

// copyValue appends the value at the start of in as it is.
func copyValue(out, in []byte) ([]byte, []byte) {
	rest, err := msgp.Skip(in)
	if err != nil {
		return append(out, in...), nil
	}
	return append(out, in[:len(in)-len(rest)]...), rest
}

// encodedFields are the fields of struct type t that msgp encodes.
func encodedFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && !strings.HasPrefix(f.Tag.Get("msg"), "-") {
			out = append(out, f)
		}
	}
	return out
}

// keyed caches the fields of each struct type by their msgp keys.
var keyed sync.Map // reflect.Type → map[string]reflect.StructField

// fieldByKey is the field of struct type t that msgp keys key.
func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	m, ok := keyed.Load(t)
	if !ok {
		byKey := map[string]reflect.StructField{}
		for _, f := range encodedFields(t) {
			name, _, _ := strings.Cut(f.Tag.Get("msg"), ",")
			if name == "" {
				name = f.Name
			}
			byKey[name] = f
		}
		m, _ = keyed.LoadOrStore(t, byKey)
	}
	f, ok := m.(map[string]reflect.StructField)[key]
	return f, ok
}

// Widened reports whether b, which a lean decoder read into lean (a
// pointer) with leanRest bytes left where msgp's decoder refuses it,
// differs from a document msgp accepts in the kind of its numbers alone:
// with its numbers [Canonical], fresh (a value equal to what lean was
// before, of the same type; nil for a zero value) must decode it to the
// same value with the same bytes left. It returns nil, or what is wrong.
func Widened(b []byte, lean any, fresh msgp.Unmarshaler, leanRest int) error {
	if fresh == nil {
		fresh = reflect.New(reflect.TypeOf(lean).Elem()).Interface().(msgp.Unmarshaler)
	}
	c := Canonical(b, lean)
	if bytes.Equal(c, b) {
		return errors.New("msgp refuses it, and no number of it converts to its field's kind")
	}
	rest, err := fresh.UnmarshalMsg(c)
	switch {
	case err != nil:
		return errors.New("msgp refuses it with its numbers canonical: " + err.Error())
	case !Equal(fresh, lean):
		return errors.New("msgp decodes it with its numbers canonical to another value")
	case len(rest) != leanRest:
		return errors.New("bytes left over: " + strconv.Itoa(leanRest) + ", msgp " + strconv.Itoa(len(rest)))
	}
	return nil
}

// WriteSeed writes b as the seed name of the fuzz target under
// testdata/fuzz, in the file format go test reads its seed corpora in.
func WriteSeed(t testing.TB, target, name string, b []byte) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(b)) + ")\n"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
