// Package errfmt builds core's error messages without fmt.
//
// fmt costs the engine about 123 KB of brotli (docs/size.md): linking it in
// the wasm keeps reflect, os and their initialisation. Core's errors need
// only three of its verbs, so they are built by concatenation here: %w by
// [Wrap], %v of a float32 by [Float], %q by [Quote] and %d by
// strconv.Itoa. The messages are the ones fmt printed, but for [Quote]'s
// escaping of non-ASCII text.
package errfmt

import (
	"strconv"
	"unicode/utf8"
)

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

// Quote returns s in double quotes, escaped as strconv.QuoteToASCII does:
// printable ASCII as it is, everything else as a Go escape (\n, \x00,
// \u00e9, \U0001f600; \x for each byte of invalid UTF-8).
//
// strconv.Quote keeps printable non-ASCII runes, and telling those apart
// needs its tables of printable runes (strconv.IsPrint and its escaping,
// 9 KB of code and 3 KB of tables); escaping all of them here costs
// nothing, keeps error messages free of invisible or bidirectional
// characters, and is the same for ASCII, which nearly every message
// quotes. Not inlined, as Wrap.
//
//go:noinline
func Quote(s string) string {
	b := make([]byte, 1, len(s)+2)
	b[0] = '"'
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		// One append of a literal byte or an escape: \ and a letter,
		// then n hex digits of v.
		c, n, v := byte(r), 0, uint32(r)
		switch {
		case size == 1 && r == utf8.RuneError:
			c, n, v = 'x', 2, uint32(s[i])
		case r == '"' || r == '\\':
		case r >= ' ' && r < 0x7f:
			c = 0
		case r < ' ' || r == 0x7f:
			c, n = 'x', 2
			if r >= '\a' && r <= '\r' { // \a \b \t \n \v \f \r, in byte order
				c, n = "abtnvfr"[r-'\a'], 0
			}
		case r < 0x10000:
			c, n = 'u', 4
		default:
			c, n = 'U', 8
		}
		if c != 0 {
			b = append(b, '\\', c)
		} else {
			b = append(b, byte(r))
		}
		for n > 0 {
			n--
			b = append(b, "0123456789abcdef"[v>>(4*n)&0xF])
		}
		i += size
	}
	return string(append(b, '"'))
}

// Itoa is strconv.Itoa, not inlined: core's error messages call it about
// 250 times, each inlined with its own small-number path and call (-1.1 KB
// of brotli; a constant over 99 is formatted at run time either way).
//
//go:noinline
func Itoa(i int) string { return strconv.Itoa(i) }
