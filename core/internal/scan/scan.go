// Package scan walks MessagePack bytes without decoding them, so a decoder
// can refuse a hostile document before it allocates anything.
//
// # Why
//
// A generated MessagePack decoder trusts array and map headers: a five-byte
// header claiming four billion items makes it allocate four billion items.
// [Walk] checks every header against the bytes that remain (each element
// needs at least one byte) and reports every container to a [Visitor], which
// enforces the owner's per-field limits and memory budget. It reads through
// core/wire's Reader, whose headers and Skip the lean decoders use too, so
// the engine links one MessagePack reader, not two.
package scan

import (
	"errors"

	"github.com/hearth-dev/hearth/core/wire"
)

// ErrTooDeep means containers nest deeper than allowed. Other malformed
// bytes are core/wire's errors (wire.ErrShortBytes, wire.ErrType, ...).
var ErrTooDeep = errors.New("msgpack: nested too deeply")

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
// Walk of the whole document would. Its errors are visit's, ErrTooDeep or
// core/wire's sentinels (without the offset, which is b's, not the
// document's).
func WalkFrom(b []byte, depth int, key []byte, maxDepth int, visit Visitor) (rest []byte, err error) {
	r := wire.NewReader(b)
	w := walker{visit: visit, maxDepth: maxDepth}
	if err := w.value(r, depth, key); err != nil {
		return nil, err
	}
	if e, ok := r.Err().(*wire.Error); ok {
		return nil, e.Err
	}
	return r.Rest(), nil
}

type walker struct {
	visit    Visitor
	maxDepth int
}

// value walks one value: a container through its header and elements,
// anything else with the Reader's Skip. It returns visit's refusal or
// ErrTooDeep; malformed bytes stop r, whose Err says why. (The walker holds
// no reader and no error: either held with the visitor would make the
// visitor's closure, and the limiter it holds, escape in every caller.)
func (w *walker) value(r *wire.Reader, depth int, key []byte) error {
	t := peek(r)
	isMap := t&0xf0 == 0x80 || t == 0xde || t == 0xdf
	if !isMap && t&0xf0 != 0x90 && t != 0xdc && t != 0xdd {
		r.Skip() // fails on an empty input, as on 0xc1
		return nil
	}
	var n int
	if isMap {
		n = r.MapHeader()
	} else {
		n = r.ArrayHeader()
	}
	switch {
	case r.Err() != nil:
		return nil
	case depth >= w.maxDepth:
		return ErrTooDeep
	case w.visit != nil:
		if err := w.visit(depth, key, n, isMap); err != nil {
			return err
		}
	}
	for ; n > 0 && r.Err() == nil; n-- {
		if isMap {
			// A str or bin key names a field, as the decoders read it;
			// other keys are legal MessagePack, walked as values.
			if k := peek(r); k >= 0xa0 && k <= 0xbf || k >= 0xd9 && k <= 0xdb || k >= 0xc4 && k <= 0xc6 {
				key = r.Key()
			} else if err := w.value(r, depth+1, key); err != nil {
				return err
			}
		}
		if err := w.value(r, depth+1, key); err != nil {
			return err
		}
	}
	return nil
}

// peek returns the next type byte, or 0xc1 (never valid) at the end.
func peek(r *wire.Reader) byte {
	if b := r.Rest(); len(b) > 0 && r.Err() == nil {
		return b[0]
	}
	return 0xc1
}
