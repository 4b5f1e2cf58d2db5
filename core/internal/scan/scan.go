// Package scan walks MessagePack bytes without decoding them, so a decoder
// can refuse a hostile document before it allocates anything.
//
// # Why
//
// A generated MessagePack decoder trusts array and map headers: a five-byte
// header claiming four billion items makes it allocate four billion items.
// [Walk] checks every header against the bytes that remain (each element
// needs at least one byte) and reports every container to a [Visitor], which
// enforces the owner's per-field limits and memory budget. It imports only
// the standard library, so it costs the wasm almost nothing.
package scan

import (
	"errors"
	"math"
)

// Errors returned by [Walk].
var (
	// ErrTruncated means the bytes end inside a value.
	ErrTruncated = errors.New("msgpack: truncated")
	// ErrMalformed means a byte is not valid MessagePack or a header claims
	// more elements than bytes remain.
	ErrMalformed = errors.New("msgpack: malformed")
	// ErrTooDeep means containers nest deeper than allowed.
	ErrTooDeep = errors.New("msgpack: nested too deeply")
)

// Visitor is called for every array or map before its elements are walked.
// depth is 0 for the top-level value; key is the key of the nearest
// enclosing map entry (nil at the top level), inherited through arrays, so
// the elements of "items" and their own containers can be told apart by
// depth. n is the element count (entries for a map). The key aliases the
// input and must not be retained. A non-nil error stops the walk.
type Visitor func(depth int, key []byte, n int, isMap bool) error

// Walk checks that b starts with one well-formed MessagePack value nested at
// most maxDepth deep, calling visit (which may be nil) for every container.
// It returns the bytes after the value.
func Walk(b []byte, maxDepth int, visit Visitor) (rest []byte, err error) {
	return WalkFrom(b, 0, nil, maxDepth, visit)
}

// WalkFrom is [Walk] for a value found at depth under key inside a larger
// document: a decoder that walks the known parts of a document itself
// hands it the values it does not know, and visit sees them exactly as a
// Walk of the whole document would.
func WalkFrom(b []byte, depth int, key []byte, maxDepth int, visit Visitor) (rest []byte, err error) {
	w := walker{visit: visit, maxDepth: maxDepth}
	return w.value(b, depth, key)
}

type walker struct {
	visit    Visitor
	maxDepth int
}

func (w *walker) value(b []byte, depth int, key []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, ErrTruncated
	}
	t, b := b[0], b[1:]
	switch {
	case t <= 0x7f || t >= 0xe0:
		return b, nil
	case t <= 0x8f:
		return w.container(b, depth, key, int(t&0x0f), true)
	case t <= 0x9f:
		return w.container(b, depth, key, int(t&0x0f), false)
	case t <= 0xbf:
		return skip(b, int(t&0x1f))
	}
	e := types[t-0xc0]
	var n int
	if e.lenBytes > 0 {
		var err error
		if n, b, err = length(b, int(e.lenBytes)); err != nil {
			return nil, err
		}
	}
	switch e.counts {
	case elements:
		return w.container(b, depth, key, n, false)
	case entries:
		return w.container(b, depth, key, n, true)
	case invalid:
		return nil, ErrMalformed
	}
	return skip(b, int(e.fixed)+n)
}

// types describes the types 0xc0 to 0xdf for value: bytes of payload that
// always follow the type byte, bytes of a length field after them, and
// what that length counts (the table of core/wire's Reader.Skip). A table
// rather than a case per type made the walker 5 KB of code smaller, 0.4 KB
// of the engine's brotli.
var types = [32]struct{ fixed, lenBytes, counts uint8 }{
	0x00: {0, 0, payload}, 0x01: {0, 0, invalid}, 0x02: {0, 0, payload}, 0x03: {0, 0, payload},
	0x04: {0, 1, payload}, 0x05: {0, 2, payload}, 0x06: {0, 4, payload}, // bin
	0x07: {1, 1, payload}, 0x08: {1, 2, payload}, 0x09: {1, 4, payload}, // ext: length, type byte, data
	0x0a: {4, 0, payload}, 0x0b: {8, 0, payload}, // float32, float64
	0x0c: {1, 0, payload}, 0x0d: {2, 0, payload}, 0x0e: {4, 0, payload}, 0x0f: {8, 0, payload},
	0x10: {1, 0, payload}, 0x11: {2, 0, payload}, 0x12: {4, 0, payload}, 0x13: {8, 0, payload},
	0x14: {2, 0, payload}, 0x15: {3, 0, payload}, 0x16: {5, 0, payload}, 0x17: {9, 0, payload}, 0x18: {17, 0, payload},
	0x19: {0, 1, payload}, 0x1a: {0, 2, payload}, 0x1b: {0, 4, payload}, // str
	0x1c: {0, 2, elements}, 0x1d: {0, 4, elements}, 0x1e: {0, 2, entries}, 0x1f: {0, 4, entries},
}

// What the length field of a types entry counts.
const (
	payload  = iota // bytes after it
	elements        // array elements
	entries         // map entries
	invalid         // 0xc1 is never used
)

func (w *walker) container(b []byte, depth int, key []byte, n int, isMap bool) ([]byte, error) {
	if depth >= w.maxDepth {
		return nil, ErrTooDeep
	}
	need := n
	if isMap {
		need = 2 * n
	}
	if need > len(b) {
		return nil, ErrMalformed
	}
	if w.visit != nil {
		if err := w.visit(depth, key, n, isMap); err != nil {
			return nil, err
		}
	}
	var err error
	for range n {
		if isMap {
			var k []byte
			k, b, err = mapKey(b)
			if err != nil {
				// Other keys are legal MessagePack; walk them as values.
				if b, err = w.value(b, depth+1, key); err != nil {
					return nil, err
				}
			} else {
				key = k
			}
		}
		if b, err = w.value(b, depth+1, key); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// mapKey reads a map key as the decoders do (msgp's ReadMapKeyZC): a str
// or a bin, whose bytes it returns; on any other type it returns b
// unchanged and a non-nil error. A bin key names a field as a str does, so
// it must not escape the limits a str key's field has.
func mapKey(b []byte) ([]byte, []byte, error) {
	if len(b) > 0 && b[0] >= 0xc4 && b[0] <= 0xc6 {
		n, rest, err := length(b[1:], 1<<(b[0]-0xc4))
		if err != nil || n > len(rest) {
			return nil, b, ErrMalformed
		}
		return rest[:n], rest[n:], nil
	}
	return str(b)
}

// str reads a string header and returns its bytes; on any other type it
// returns b unchanged and a non-nil error.
func str(b []byte) ([]byte, []byte, error) {
	if len(b) == 0 {
		return nil, b, ErrTruncated
	}
	var n int
	var rest []byte
	var err error
	switch t := b[0]; {
	case t >= 0xa0 && t <= 0xbf:
		n, rest = int(t&0x1f), b[1:]
	case t == 0xd9:
		n, rest, err = length(b[1:], 1)
	case t == 0xda:
		n, rest, err = length(b[1:], 2)
	case t == 0xdb:
		n, rest, err = length(b[1:], 4)
	default:
		return nil, b, ErrMalformed
	}
	if err != nil || n > len(rest) {
		return nil, b, ErrMalformed
	}
	return rest[:n], rest[n:], nil
}

// length reads a big-endian header length by hand: encoding/binary would
// put reflect in the engine's dependencies (make check refuses it).
func length(b []byte, size int) (int, []byte, error) {
	if len(b) < size {
		return 0, nil, ErrTruncated
	}
	switch size {
	case 1:
		return int(b[0]), b[1:], nil
	case 2:
		return int(b[0])<<8 | int(b[1]), b[2:], nil
	}
	n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if uint64(n) > math.MaxInt32 {
		return 0, nil, ErrMalformed
	}
	return int(n), b[4:], nil
}

func skip(b []byte, n int) ([]byte, error) {
	if n > len(b) {
		return nil, ErrTruncated
	}
	return b[n:], nil
}

// MapInt returns the integer stored under key in the top-level map of b,
// with ok false when the key is absent. It reads only what it needs, so a
// decoder can dispatch on a format version before decoding.
func MapInt(b []byte, key string) (v int64, ok bool, err error) {
	if len(b) == 0 {
		return 0, false, ErrTruncated
	}
	var n int
	switch t := b[0]; {
	case t >= 0x80 && t <= 0x8f:
		n, b = int(t&0x0f), b[1:]
	case t == 0xde:
		n, b, err = length(b[1:], 2)
	case t == 0xdf:
		n, b, err = length(b[1:], 4)
	default:
		return 0, false, ErrMalformed
	}
	if err != nil {
		return 0, false, err
	}
	for range n {
		k, rest, err := str(b)
		if err != nil {
			return 0, false, err
		}
		if string(k) == key {
			v, err := readInt(rest)
			return v, err == nil, err
		}
		if b, err = Walk(rest, 64, nil); err != nil {
			return 0, false, err
		}
	}
	return 0, false, nil
}

func readInt(b []byte) (int64, error) {
	if len(b) == 0 {
		return 0, ErrTruncated
	}
	t := b[0]
	switch {
	case t <= 0x7f:
		return int64(t), nil
	case t >= 0xe0:
		return int64(int8(t)), nil
	}
	var size int
	switch t {
	case 0xcc, 0xd0:
		size = 1
	case 0xcd, 0xd1:
		size = 2
	case 0xce, 0xd2:
		size = 4
	case 0xcf, 0xd3:
		size = 8
	default:
		return 0, ErrMalformed
	}
	if len(b) < 1+size {
		return 0, ErrTruncated
	}
	p := b[1 : 1+size]
	var u uint64
	for _, c := range p {
		u = u<<8 | uint64(c)
	}
	if t >= 0xd0 { // signed: sign-extend from size bytes
		shift := 64 - 8*size
		return int64(u<<shift) >> shift, nil
	}
	if u > math.MaxInt64 {
		return 0, ErrMalformed
	}
	return int64(u), nil
}
