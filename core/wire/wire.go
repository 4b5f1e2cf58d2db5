// Package wire reads and writes MessagePack byte for byte as the
// github.com/tinylib/msgp runtime does, without fmt, reflect, encoding/json
// or time, so the wasm engine can decode and encode its documents without
// linking the msgp runtime.
//
// # Why
//
// Importing the msgp runtime costs every reader about 250 KB of brotli in
// the wasm download even when no msgp function is called: its package
// initialisation links encoding/json, reflect and fmt (see docs/size.md).
// The msgp-generated codecs stay the reference; the lean codecs built on
// this package, generated from the same declarations by
// core/internal/leangen (catalog_lean_gen.go, profile_lean_gen.go,
// message_lean_gen.go), are fuzzed against them and must produce the same
// bytes and accept what they accept, with the same values.
//
// # Reading
//
// A [Reader] walks one input. Its methods mirror msgp's Read...Bytes
// functions and accept what they accept: integers of any width that fit,
// str or bin as map keys, and so on. They also accept any number that
// converts, where msgp wants one kind: an integral float for an integer,
// an integer or a float64 within range for a float32, so that a document
// re-encoded by a library that keeps only JavaScript's one kind of number
// still reads (docs/catalogue.md). Errors are sticky: after the first failure every method returns a
// zero value and [Reader.Err] reports the failure with its byte offset, so a
// decoder can read a whole structure and check once. Array and map headers
// are checked against the bytes that remain before the caller allocates
// anything, so a five-byte header cannot claim four billion elements.
//
// # Writing
//
// The Append functions append one value to a byte slice, choosing the same
// encodings as msgp's Append functions (for example a non-negative int64
// below 128 is a positive fixint, up to 32767 an int16), so an encoder that
// appends fields in msgp's order reproduces MarshalMsg.
//
// # Example
//
//	r := wire.NewReader(b)
//	for n := r.MapHeader(); n > 0; n-- {
//		switch string(r.Key()) {
//		case "op":
//			req.Op = r.String()
//		case "now":
//			req.Now = r.Int64()
//		default:
//			r.Skip()
//		}
//	}
//	if err := r.Err(); err != nil {
//		return err
//	}
//
//	b = wire.AppendMapHeader(b, 2)
//	b = wire.AppendString(b, "code")
//	b = wire.AppendString(b, resp.Code)
//	b = wire.AppendString(b, "learned")
//	b = wire.AppendBool(b, resp.Learned)
package wire

import (
	"errors"
	"strconv"
)

// Errors wrapped by [Error]; test with errors.Is.
var (
	// ErrShortBytes means the input ends inside a value, or a header claims
	// more elements than bytes remain.
	ErrShortBytes = errors.New("wire: unexpected end of input")
	// ErrType means the next value has a type the caller did not ask for,
	// or its first byte is not valid MessagePack.
	ErrType = errors.New("wire: unexpected type")
	// ErrRange means a number does not fit the requested type: an integer
	// out of range, a float that is not a whole number where an integer
	// is asked for, a float64 beyond float32's range.
	ErrRange = errors.New("wire: number out of range")
	// ErrDepth means [Reader.Skip] met containers nested deeper than
	// msgp.Skip allows.
	ErrDepth = errors.New("wire: nested too deeply")
)

// Error is a decoding failure at a byte offset of the input.
type Error struct {
	_      [0]func() // not comparable, so the engine links no equality function for it
	Offset int       // where the reader stopped
	Err    error     // ErrShortBytes, ErrType, ErrRange or ErrDepth
}

// Error returns the failure and its offset.
func (e *Error) Error() string {
	return e.Err.Error() + " at byte " + strconv.Itoa(e.Offset)
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }
