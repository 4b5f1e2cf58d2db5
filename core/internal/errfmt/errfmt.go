// Package errfmt builds core's error messages without fmt.
//
// fmt costs the engine about 123 KB of brotli (docs/size.md): linking it in
// the wasm keeps reflect, os and their initialisation. Core's errors need
// only three of its verbs, so they are built by concatenation here: %w by
// [Wrap], %v of a float32 by [Float], %q by strconv.Quote and %d by
// strconv.Itoa. The messages are the ones fmt printed.
package errfmt

import "strconv"

// wrapError is fmt.Errorf's error for a format with one %w: its own
// message, unwrapping to the wrapped error so that errors.Is and errors.As
// see through it.
type wrapError struct {
	_   [0]func() // not comparable, so the engine links no equality function for it
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }

func (e *wrapError) Unwrap() error { return e.err }

// Wrap returns an error reading prefix + err.Error() + suffix that wraps
// err, as fmt.Errorf(prefix+"%w"+suffix, err) does.
//
// Not inlined: core has about 90 calls of Wrap and Float, all on error
// paths, and inlined each one carries its own copy of the concatenation
// and allocation; out of line the engine is 9.9 KB of brotli smaller.
//
//go:noinline
func Wrap(prefix string, err error, suffix string) error {
	return &wrapError{msg: prefix + err.Error() + suffix, err: err}
}

// Float formats v as fmt's %v does: the shortest 'g' form that reads back
// as the same float32 ("0.5", "1e+40", "NaN", "+Inf"). Not inlined, as Wrap.
//
//go:noinline
func Float(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }
