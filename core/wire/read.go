package wire

import (
	"math"
	"strconv"
	"unsafe"
)

// maxDepth is msgp's recursionLimit: Skip refuses the same nesting msgp.Skip
// refuses, so both codecs accept the same documents.
const maxDepth = 100000

// Reader decodes MessagePack values one after another from a byte slice.
// The zero value reads an empty input; use [NewReader].
type Reader struct {
	b    []byte
	off  int
	err  error
	s    string // a copy of b after ShareStrings, b itself after ShareInput
	str  bool   // String returns slices of s
	bins bool   // Bytes returns slices of b (ShareInput)
}

// NewReader returns a Reader positioned at the start of b. The Reader never
// modifies b; [Reader.Key] returns slices of it.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// ShareStrings makes [Reader.String] return substrings of one copy of the
// whole input, made now, instead of a copy of each string: one allocation
// instead of one per string (a 10,000-item catalogue has 90,000), at the
// cost of keeping the whole input in memory for as long as any string read
// from it is. Use it for documents that live as long as their strings.
func (r *Reader) ShareStrings() {
	r.s, r.str = string(r.b), true
}

// ShareInput is [Reader.ShareStrings] without the copy: [Reader.String]
// returns substrings of the input itself, so the caller must never change
// the input afterwards. Use it for input that is read once and then kept,
// as the engine keeps the catalogue it was given (a copy of 5 MB saved at
// 10,000 items). [Reader.Bytes] returns slices of the input too (capped,
// so that appending to one copies): the catalogue's vectors, one bin of
// 6.4 MB at 100,000 items, stay where they arrived instead of in a second
// copy.
func (r *Reader) ShareInput() {
	if len(r.b) > 0 {
		r.s, r.str, r.bins = unsafe.String(&r.b[0], len(r.b)), true, true
	}
}

// Err returns the first failure, an *[Error], or nil.
func (r *Reader) Err() error { return r.err }

// Offset returns the number of bytes consumed.
func (r *Reader) Offset() int { return r.off }

// Rest returns the bytes not consumed yet.
func (r *Reader) Rest() []byte { return r.b[r.off:] }

// Fail stops the reader as a failure of its own would: a caller that
// refuses what it read (a count over its limits) makes every later read
// return zero values, so its decoding ends without allocating more. Err
// then returns err at the current offset.
func (r *Reader) Fail(err error) { r.fail(err) }

// fail is not inlined: it is called at about 30 places, all on error
// paths, and inlined each carried its own allocation.
//
//go:noinline
func (r *Reader) fail(err error) {
	if r.err == nil {
		r.err = &Error{Offset: r.off, Err: err}
	}
}

// take consumes n bytes, or fails and returns nil.
func (r *Reader) take(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)-r.off) {
		r.fail(ErrShortBytes)
		return nil
	}
	p := r.b[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(n)
	return p
}

// lead consumes the type byte of the next value. After a failure it returns
// 0xc1, the one byte MessagePack never uses, so no case of a caller matches.
func (r *Reader) lead() byte {
	p := r.take(1)
	if p == nil {
		return 0xc1
	}
	return p[0]
}

// uintN consumes a big-endian unsigned integer of n (1, 2, 4 or 8) bytes.
func (r *Reader) uintN(n uint64) uint64 {
	p := r.take(n)
	switch len(p) {
	case 1:
		return uint64(p[0])
	case 2:
		return uint64(p[0])<<8 | uint64(p[1])
	case 4:
		return uint64(p[0])<<24 | uint64(p[1])<<16 | uint64(p[2])<<8 | uint64(p[3])
	case 8:
		return uint64(p[0])<<56 | uint64(p[1])<<48 | uint64(p[2])<<40 | uint64(p[3])<<32 |
			uint64(p[4])<<24 | uint64(p[5])<<16 | uint64(p[6])<<8 | uint64(p[7])
	}
	return 0 // after a failure
}

// count returns n after checking that n elements of at least size bytes
// each fit in what remains, so callers can allocate n elements safely.
func (r *Reader) count(n uint64, size uint64) int {
	if r.err != nil {
		return 0
	}
	if n > uint64(len(r.b)-r.off)/size {
		r.fail(ErrShortBytes)
		return 0
	}
	return int(n)
}

// IsNil reports whether the next value is nil, without consuming it.
func (r *Reader) IsNil() bool {
	return r.err == nil && r.off < len(r.b) && r.b[r.off] == 0xc0
}

// Nil consumes a nil.
func (r *Reader) Nil() {
	if r.lead() != 0xc0 {
		r.fail(ErrType)
	}
}

// MapHeader consumes a map header and returns the number of entries, which
// the caller reads as key and value pairs.
func (r *Reader) MapHeader() int {
	var n uint64
	switch t := r.lead(); {
	case t&0xf0 == 0x80:
		n = uint64(t & 0x0f)
	case t == 0xde:
		n = r.uintN(2)
	case t == 0xdf:
		n = r.uintN(4)
	default:
		r.fail(ErrType)
		return 0
	}
	return r.count(n, 2)
}

// ArrayHeader consumes an array header and returns the number of elements.
func (r *Reader) ArrayHeader() int {
	var n uint64
	switch t := r.lead(); {
	case t&0xf0 == 0x90:
		n = uint64(t & 0x0f)
	case t == 0xdc:
		n = r.uintN(2)
	case t == 0xdd:
		n = r.uintN(4)
	default:
		r.fail(ErrType)
		return 0
	}
	return r.count(n, 1)
}

// Tuple consumes an array header and fails unless it holds n elements, as
// msgp-generated decoders of //msgp:tuple types do.
func (r *Reader) Tuple(n int) {
	if r.ArrayHeader() != n {
		r.fail(ErrType)
	}
}

// Resize returns s with n elements, reusing its array when it has the
// capacity, as msgp-generated decoders do: decoding into a used value keeps
// the fields of reused elements that the input does not set, and an empty
// array decodes to a nil slice.
func Resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// The slice readers below read the n elements of an array whose header
// the caller consumed (and may have checked against limits of its own)
// into s, resized with [Resize]. Generated decoders call one per array of
// a basic type: a loop each in core/wire instead of one per field keeps
// the engine smaller.

// Strings reads n str into s.
func (r *Reader) Strings(s []string, n int) []string {
	s = Resize(s, n)
	for i := range s {
		s[i] = r.String()
	}
	return s
}

// Float32s reads n float32 into s.
func (r *Reader) Float32s(s []float32, n int) []float32 {
	s = Resize(s, n)
	for i := range s {
		s[i] = r.Float32()
	}
	return s
}

// Uint16s reads n integers that fit a uint16 into s.
func (r *Reader) Uint16s(s []uint16, n int) []uint16 {
	s = Resize(s, n)
	for i := range s {
		s[i] = r.Uint16()
	}
	return s
}

// Int64s reads n integers that fit an int64 into s.
func (r *Reader) Int64s(s []int64, n int) []int64 {
	s = Resize(s, n)
	for i := range s {
		s[i] = r.Int64()
	}
	return s
}

// raw consumes a str (and, with bin set, also a bin) value and returns its
// payload as a slice of the input.
func (r *Reader) raw(bin bool) []byte {
	var n uint64
	switch t := r.lead(); {
	case t&0xe0 == 0xa0:
		n = uint64(t & 0x1f)
	case t == 0xd9, bin && t == 0xc4:
		n = r.uintN(1)
	case t == 0xda, bin && t == 0xc5:
		n = r.uintN(2)
	case t == 0xdb, bin && t == 0xc6:
		n = r.uintN(4)
	default:
		r.fail(ErrType)
		return nil
	}
	return r.take(n)
}

// fixstr consumes a str of at most 31 bytes, the common case, in one call,
// or returns false and consumes nothing. Calls are dear in the wasm: the
// fast paths of Key, String, Float32, Int64, Uint64 and the headers make
// decoding a catalogue there about a third faster.
func (r *Reader) fixstr() ([]byte, bool) {
	if r.err == nil && r.off < len(r.b) {
		if t := r.b[r.off]; t&0xe0 == 0xa0 {
			start := r.off + 1
			end := start + int(t&0x1f)
			if end <= len(r.b) {
				r.off = end
				return r.b[start:end:end], true
			}
		}
	}
	return nil, false
}

// fixed returns the n bytes after type byte t and consumes both, or returns
// nil and consumes nothing when the next value is not a t or is short.
func (r *Reader) fixed(t byte, n int) []byte {
	if r.err == nil && r.off+n < len(r.b) && r.b[r.off] == t {
		start := r.off + 1
		r.off = start + n
		return r.b[start:r.off:r.off]
	}
	return nil
}

// fixint consumes a positive fixint, or returns false and consumes nothing.
func (r *Reader) fixint() (byte, bool) {
	if r.err == nil && r.off < len(r.b) && r.b[r.off] < 0x80 {
		r.off++
		return r.b[r.off-1], true
	}
	return 0, false
}

// Key consumes a map key, a str or a bin as msgp.ReadMapKeyZC accepts, and
// returns its bytes without copying. A switch on string(r.Key()) does not
// allocate.
func (r *Reader) Key() []byte {
	if p, ok := r.fixstr(); ok {
		return p
	}
	return r.raw(true)
}

// String consumes a str.
func (r *Reader) String() string {
	p, ok := r.fixstr()
	if !ok {
		p = r.raw(false)
	}
	if r.str {
		return r.s[r.off-len(p) : r.off]
	}
	return string(p)
}

// Bytes consumes a bin and returns its bytes in scratch when it has the
// capacity, else in a new slice, as msgp.ReadBytesBytes does: an empty bin
// read into a nil scratch is nil.
func (r *Reader) Bytes(scratch []byte) []byte {
	var n uint64
	switch r.lead() {
	case 0xc4:
		n = r.uintN(1)
	case 0xc5:
		n = r.uintN(2)
	case 0xc6:
		n = r.uintN(4)
	default:
		r.fail(ErrType)
		return nil
	}
	p := r.take(n)
	if r.err != nil {
		return nil
	}
	if r.bins && len(p) > 0 {
		return p[:len(p):len(p)]
	}
	v := scratch
	if cap(v) >= len(p) {
		v = v[:len(p)]
	} else {
		v = make([]byte, len(p))
	}
	copy(v, p)
	return v
}

// Bool consumes a bool.
func (r *Reader) Bool() bool {
	switch r.lead() {
	case 0xc3:
		return true
	case 0xc2:
	default:
		r.fail(ErrType)
	}
	return false
}

// The kinds of number [Reader.number] reads.
const (
	natural  = iota // a non-negative integer
	negative        // a negative integer
	float           // a float32 or float64
)

// number consumes any number: an integer as its bits (an int64 when
// negative, a uint64 otherwise), a float as a float64, and tells which; a
// value of another type fails with ErrType. The readers of each kind of
// number convert what it read: one switch on the type byte for all of
// them keeps the engine small.
func (r *Reader) number() (bits uint64, f float64, kind int) {
	switch t := r.lead(); {
	case t < 0x80:
		return uint64(t), 0, natural
	case t >= 0xe0:
		return uint64(int64(int8(t))), 0, negative
	case t >= 0xcc && t <= 0xcf: // uint 8 to 64
		return r.uintN(1 << (t - 0xcc)), 0, natural
	case t >= 0xd0 && t <= 0xd3: // int 8 to 64, sign-extended
		shift := 64 - 8<<(t-0xd0)
		i := int64(r.uintN(1<<(t-0xd0))<<shift) >> shift
		if i < 0 {
			return uint64(i), 0, negative
		}
		return uint64(i), 0, natural
	case t == 0xca:
		return 0, float64(math.Float32frombits(uint32(r.uintN(4)))), float
	case t == 0xcb:
		return 0, math.Float64frombits(r.uintN(8)), float
	}
	r.fail(ErrType)
	return 0, 0, natural
}

// whole returns f, a float read where an integer is wanted, when it is a
// whole number in [lo, hi), or fails: an encoder with one kind of number
// (JavaScript's) may write an integer as a float.
func (r *Reader) whole(f, lo, hi float64) float64 {
	if f != math.Trunc(f) || f < lo || f >= hi { // NaN and infinities too
		r.fail(ErrRange)
		return 0
	}
	return f
}

// Int64 consumes an integer of any MessagePack width that fits an int64,
// or a whole float within int64's range.
func (r *Reader) Int64() int64 {
	if v, ok := r.fixint(); ok {
		return int64(v)
	}
	bits, f, kind := r.number()
	switch {
	case kind == float:
		return int64(r.whole(f, -1<<63, 1<<63))
	case kind == natural && bits > math.MaxInt64:
		r.fail(ErrRange)
		return 0
	}
	return int64(bits)
}

// Int consumes an integer that fits an int (an int32 on 32-bit platforms,
// as msgp.ReadIntBytes).
func (r *Reader) Int() int {
	i := r.Int64()
	if strconv.IntSize == 32 && (i < math.MinInt32 || i > math.MaxInt32) {
		r.fail(ErrRange)
		return 0
	}
	return int(i)
}

// Uint64 consumes a non-negative integer of any MessagePack width, or a
// whole float within uint64's range.
func (r *Reader) Uint64() uint64 {
	if v, ok := r.fixint(); ok {
		return uint64(v)
	}
	bits, f, kind := r.number()
	switch kind {
	case float:
		return uint64(r.whole(f, 0, 1<<64))
	case negative:
		r.fail(ErrRange)
		return 0
	}
	return bits
}

// uintMax consumes an unsigned integer no larger than max.
func (r *Reader) uintMax(max uint64) uint64 {
	u := r.Uint64()
	if u > max {
		r.fail(ErrRange)
		return 0
	}
	return u
}

// Uint32 consumes a non-negative integer that fits a uint32.
func (r *Reader) Uint32() uint32 { return uint32(r.uintMax(math.MaxUint32)) }

// Uint16 consumes a non-negative integer that fits a uint16.
func (r *Reader) Uint16() uint16 { return uint16(r.uintMax(math.MaxUint16)) }

// Uint8 consumes a non-negative integer that fits a uint8.
func (r *Reader) Uint8() uint8 { return uint8(r.uintMax(math.MaxUint8)) }

// Float32 consumes any number as a float32: a float32 as it is, a float64
// within float32's range (infinities and NaN included) or an integer
// rounded to the nearest float32. msgp.ReadFloat32Bytes takes a float32
// only, but an encoder that keeps only one kind of number (JavaScript's)
// writes 554 as an integer and 0.1 as a float64.
func (r *Reader) Float32() float32 {
	if p := r.fixed(0xca, 4); p != nil {
		return math.Float32frombits(uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3]))
	}
	bits, f, kind := r.number()
	switch kind {
	case natural:
		return float32(bits)
	case negative:
		return float32(int64(bits))
	}
	if math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0) {
		r.fail(ErrRange)
		return 0
	}
	return float32(f)
}

// Float64 consumes any number as a float64: a float64, a float32, or an
// integer rounded to the nearest float64 (msgp.ReadFloat64Bytes takes the
// two floats only).
func (r *Reader) Float64() float64 {
	bits, f, kind := r.number()
	switch kind {
	case natural:
		return float64(bits)
	case negative:
		return float64(int64(bits))
	}
	return f
}

// Skip consumes the next value whatever its type, a container with all its
// elements. Like msgp.Skip it refuses nesting 100,000 deep; unlike it, it
// uses a heap stack rather than recursion, which is cheaper in the wasm.
func (r *Reader) Skip() {
	var small [16]uint64
	open := small[:0] // elements still to skip in each open container
	for r.err == nil {
		if len(open) >= maxDepth {
			r.fail(ErrDepth)
			return
		}
		if n := r.skipOne(); n > 0 {
			open = append(open, n)
			continue
		}
		// A value is complete: it completes every container it was the
		// last element of.
		for len(open) > 0 {
			open[len(open)-1]--
			if open[len(open)-1] > 0 {
				break
			}
			open = open[:len(open)-1]
		}
		if len(open) == 0 {
			return
		}
	}
}

// skipTypes describes the types 0xc0 to 0xdf for skipOne: bytes of payload
// that always follow the type byte, bytes of a length field after them, and
// what that length counts. A table rather than a switch of take calls
// saves about 10 KB of wasm code.
var skipTypes = [32]struct{ fixed, lenBytes, counts uint8 }{
	0x00: {0, 0, payload}, 0x01: {0, 0, invalid}, 0x02: {0, 0, payload}, 0x03: {0, 0, payload},
	0x04: {0, 1, payload}, 0x05: {0, 2, payload}, 0x06: {0, 4, payload}, // bin
	0x07: {1, 1, payload}, 0x08: {1, 2, payload}, 0x09: {1, 4, payload}, // ext: type byte, length, data
	0x0a: {4, 0, payload}, 0x0b: {8, 0, payload}, // float32, float64
	0x0c: {1, 0, payload}, 0x0d: {2, 0, payload}, 0x0e: {4, 0, payload}, 0x0f: {8, 0, payload},
	0x10: {1, 0, payload}, 0x11: {2, 0, payload}, 0x12: {4, 0, payload}, 0x13: {8, 0, payload},
	0x14: {2, 0, payload}, 0x15: {3, 0, payload}, 0x16: {5, 0, payload}, 0x17: {9, 0, payload}, 0x18: {17, 0, payload},
	0x19: {0, 1, payload}, 0x1a: {0, 2, payload}, 0x1b: {0, 4, payload}, // str
	0x1c: {0, 2, elements}, 0x1d: {0, 4, elements}, 0x1e: {0, 2, entries}, 0x1f: {0, 4, entries},
}

// What the length field of a skipTypes entry counts.
const (
	payload  = iota // bytes after it
	elements        // array elements
	entries         // map entries
	invalid         // 0xc1 is never used
)

// skipOne consumes one value, or the header of a container, and returns the
// number of elements the container holds (keys and values of a map).
func (r *Reader) skipOne() uint64 {
	t := r.lead()
	switch {
	case t < 0x80 || t >= 0xe0:
		return 0
	case t < 0x90:
		return uint64(r.count(2*uint64(t&0x0f), 1))
	case t < 0xa0:
		return uint64(r.count(uint64(t&0x0f), 1))
	case t < 0xc0:
		r.take(uint64(t & 0x1f))
		return 0
	}
	e := skipTypes[t-0xc0]
	if e.counts == invalid {
		r.fail(ErrType)
		return 0
	}
	n := r.uintN(uint64(e.lenBytes)) // reads nothing when lenBytes is 0
	switch e.counts {
	case elements:
		return uint64(r.count(n, 1))
	case entries:
		return uint64(r.count(2*n, 1))
	}
	r.take(uint64(e.fixed) + n)
	return 0
}
