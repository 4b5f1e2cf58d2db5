package profile

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
)

// The export's JSON, written and read by hand. encoding/json would cost
// the engine about 144 KB of brotli and keep fmt and reflect linked
// (docs/size.md); the format is six small fixed types. jsonwire_test.go
// holds encoding/json's version as the reference: both must write the same
// bytes, and refuse the same inputs or read the same values.

// appendJSON appends x as json.MarshalIndent(x, "", "  ") writes it.
func (x *exportJSON) appendJSON(b []byte) ([]byte, error) {
	w := &jsonWriter{b: b}
	w.byte('{')
	w.key(1, "format", true)
	w.string(x.Format)
	w.key(1, "version", false)
	w.b = strconv.AppendInt(w.b, int64(x.Version), 10)
	w.key(1, "exported", false)
	w.string(x.Exported)
	w.key(1, "updated", false)
	w.string(x.Updated)
	w.key(1, "settings", false)
	w.byte('{')
	w.key(2, "consent", true)
	w.string(x.Settings.Consent)
	w.key(2, "variety", false)
	w.float(x.Settings.Variety)
	w.close(1, '}')
	w.key(1, "interests", false)
	w.interests(1, x.Interests)
	w.key(1, "events", false)
	if x.Events == nil {
		w.str("null")
	} else {
		w.byte('[')
	}
	for i := range x.Events {
		e := &x.Events[i]
		w.item(i, 2)
		w.byte('{')
		first := true
		if e.Item != "" {
			w.key(3, "item", true)
			w.string(e.Item)
			first = false
		}
		w.key(3, "kind", first)
		w.string(e.Kind)
		w.key(3, "time", false)
		w.string(e.Time)
		if e.DwellSeconds != 0 {
			w.key(3, "dwell_seconds", false)
			w.float(e.DwellSeconds)
		}
		if e.Topic != "" {
			w.key(3, "topic", false)
			w.string(e.Topic)
		}
		if len(e.Taught) != 0 {
			w.key(3, "taught", false)
			w.interests(3, e.Taught)
		}
		w.close(2, '}')
	}
	if x.Events != nil {
		w.closeList(1, len(x.Events))
	}
	w.strings("read", x.Read)
	w.strings("hidden", x.Hidden)
	w.strings("muted", x.Muted)
	w.close(0, '}')
	if w.err != nil {
		return nil, w.err
	}
	return w.b, nil
}

// jsonWriter appends the export's JSON. Every append is inside one of its
// small methods: the wasm compiler expands each append call site into its
// own capacity check, growth and copy, and appendJSON written as a chain of
// appends was 31 KB of code; on jsonWriter all of the writer is 12 KB and
// the engine 2.1 KB of brotli smaller. The first error (a float without a
// JSON form) sticks.
//
// The methods that append are marked go:noinline: inlined, each call site
// would get its own copy of append's expansion again.
type jsonWriter struct {
	b   []byte
	err error
}

//go:noinline
func (w *jsonWriter) byte(c byte) { w.b = append(w.b, c) }

//go:noinline
func (w *jsonWriter) str(s string) { w.b = append(w.b, s...) }

// interests writes a list of interests at the given depth.
func (w *jsonWriter) interests(depth int, list []interestJSON) {
	if list == nil {
		w.str("null")
		return
	}
	w.byte('[')
	for i, in := range list {
		w.item(i, depth+1)
		w.byte('{')
		w.key(depth+2, "topic", true)
		w.string(in.Topic)
		w.key(depth+2, "weight", false)
		w.float(in.Weight)
		w.close(depth+1, '}')
	}
	w.closeList(depth, len(list))
}

// strings writes a top-level member holding a list of strings.
func (w *jsonWriter) strings(key string, list []string) {
	w.key(1, key, false)
	if list == nil {
		w.str("null")
		return
	}
	w.byte('[')
	for i, s := range list {
		w.item(i, 2)
		w.string(s)
	}
	w.closeList(1, len(list))
}

// item starts the i-th element of a list at depth: a comma after the first.
//
//go:noinline
func (w *jsonWriter) item(i, depth int) {
	if i > 0 {
		w.byte(',')
	}
	w.indent(depth)
}

// key writes the separator before a member (none before the first), the
// indentation and `"key": `. Keys are plain ASCII.
//
//go:noinline
func (w *jsonWriter) key(depth int, key string, first bool) {
	if !first {
		w.byte(',')
	}
	w.indent(depth)
	w.byte('"')
	w.str(key)
	w.str(`": `)
}

func (w *jsonWriter) indent(depth int) {
	w.byte('\n')
	for range depth {
		w.str("  ")
	}
}

// close closes a non-empty object or list opened at depth.
//
//go:noinline
func (w *jsonWriter) close(depth int, c byte) {
	w.indent(depth)
	w.byte(c)
}

// closeList closes a list of n elements: an empty one stays "[]".
func (w *jsonWriter) closeList(depth, n int) {
	if n == 0 {
		w.byte(']')
		return
	}
	w.close(depth, ']')
}

// float writes f as encoding/json does: like ES6's number to string, 'f'
// form unless tiny or huge. NaN and infinities have no JSON form.
func (w *jsonWriter) float(f float32) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		if w.err == nil {
			w.err = errors.New("json: unsupported value: " + errfmt.Float(f))
		}
		return
	}
	format := byte('f')
	if abs := float32(math.Abs(float64(f))); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(w.b, float64(f), format, -1, 32)
	if format == 'e' {
		// e-09 is written e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.b = b
}

const hexDigits = "0123456789abcdef"

// string writes s quoted as encoding/json does, escaping HTML's <, > and &,
// U+2028 and U+2029, and replacing invalid UTF-8 with U+FFFD.
func (w *jsonWriter) string(s string) {
	w.byte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		esc := ""
		if c < utf8.RuneSelf {
			switch c {
			case '\\':
				esc = `\\`
			case '"':
				esc = `\"`
			case '\b':
				esc = `\b`
			case '\f':
				esc = `\f`
			case '\n':
				esc = `\n`
			case '\r':
				esc = `\r`
			case '\t':
				esc = `\t`
			default:
				if c >= 0x20 && c != '<' && c != '>' && c != '&' {
					i++
					continue
				}
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				esc = `\ufffd`
			case r == '\u2028':
				esc = `\u2028`
			case r == '\u2029':
				esc = `\u2029`
			default:
				i += size
				continue
			}
		}
		w.str(s[start:i])
		if esc != "" {
			w.str(esc)
		} else {
			w.str(`\u00`)
			w.byte(hexDigits[c>>4])
			w.byte(hexDigits[c&0xF])
		}
		i += size
		start = i
	}
	w.str(s[start:])
	w.byte('"')
}

// jsonReader reads the export as encoding/json's Decoder with
// DisallowUnknownFields reads it into exportJSON: keys match field names
// case-insensitively, a repeated key decodes again into the same field
// (objects merge, lists reuse their elements), null leaves a value as it
// is and empties a list to nil, numbers must fit their field's type.
type jsonReader struct {
	b []byte
	i int
}

// errJSONType is a value of the wrong JSON type for its field.
var errJSONType = errors.New("value of the wrong type")

func (r *jsonReader) fail(msg string) error {
	return errfmt.Wrap("", ErrInvalid, ": "+msg+" at byte "+errfmt.Itoa(r.i))
}

// readJSON decodes b, one JSON value and nothing after it, into x.
func (x *exportJSON) readJSON(b []byte) error {
	r := &jsonReader{b: b}
	r.space()
	if r.i == len(b) {
		return r.fail("no JSON value")
	}
	err := r.object(func(key []byte) error {
		switch {
		case foldKey(key, "format"):
			return r.str(&x.Format)
		case foldKey(key, "version"):
			return r.int(&x.Version)
		case foldKey(key, "exported"):
			return r.str(&x.Exported)
		case foldKey(key, "updated"):
			return r.str(&x.Updated)
		case foldKey(key, "settings"):
			return r.object(func(key []byte) error {
				switch {
				case foldKey(key, "consent"):
					return r.str(&x.Settings.Consent)
				case foldKey(key, "variety"):
					return r.float32(&x.Settings.Variety)
				}
				return r.unknown(key)
			})
		case foldKey(key, "interests"):
			return readList(r, &x.Interests, (*jsonReader).interest)
		case foldKey(key, "events"):
			return readList(r, &x.Events, (*jsonReader).event)
		case foldKey(key, "read"):
			return readList(r, &x.Read, (*jsonReader).str)
		case foldKey(key, "hidden"):
			return readList(r, &x.Hidden, (*jsonReader).str)
		case foldKey(key, "muted"):
			return readList(r, &x.Muted, (*jsonReader).str)
		}
		return r.unknown(key)
	})
	if err != nil {
		return err
	}
	r.space()
	if r.i != len(b) {
		return errfmt.Wrap("", ErrInvalid, ": data after the profile")
	}
	return nil
}

func (r *jsonReader) interest(in *interestJSON) error {
	return r.object(func(key []byte) error {
		switch {
		case foldKey(key, "topic"):
			return r.str(&in.Topic)
		case foldKey(key, "weight"):
			return r.float32(&in.Weight)
		}
		return r.unknown(key)
	})
}

func (r *jsonReader) event(e *eventJSON) error {
	return r.object(func(key []byte) error {
		switch {
		case foldKey(key, "item"):
			return r.str(&e.Item)
		case foldKey(key, "kind"):
			return r.str(&e.Kind)
		case foldKey(key, "time"):
			return r.str(&e.Time)
		case foldKey(key, "dwell_seconds"):
			return r.float32(&e.DwellSeconds)
		case foldKey(key, "topic"):
			return r.str(&e.Topic)
		case foldKey(key, "taught"):
			return readList(r, &e.Taught, (*jsonReader).interest)
		}
		return r.unknown(key)
	})
}

func (r *jsonReader) unknown(key []byte) error {
	return errfmt.Wrap("", ErrInvalid, ": unknown field "+errfmt.Quote(string(key)))
}

// foldKey reports whether key names the field name (lower-case ASCII) as
// encoding/json matches them: equal under Unicode simple case folding. The
// only non-ASCII runes that fold to ASCII letters are U+017F (ſ, to s) and
// U+212A (Kelvin sign, to k); TestFoldKey checks this against package unicode.
func foldKey(key []byte, name string) bool {
	j := 0
	for i := 0; i < len(key); {
		if j == len(name) {
			return false
		}
		c, want := key[i], name[j]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != want {
				return false
			}
			i++
			j++
			continue
		}
		r, size := utf8.DecodeRune(key[i:])
		if !(r == 0x17F && want == 's') && !(r == 0x212A && want == 'k') {
			return false
		}
		i += size
		j++
	}
	return j == len(name)
}

// space skips JSON whitespace. Not inlined, nor is peek: they are called
// at about 30 places.
//
//go:noinline
func (r *jsonReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// null consumes a null literal if one comes next.
func (r *jsonReader) null() (bool, error) {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == 'n' {
		if len(r.b)-r.i < 4 || string(r.b[r.i:r.i+4]) != "null" {
			return false, r.fail("invalid literal")
		}
		r.i += 4
		return true, nil
	}
	return false, nil
}

// expect consumes c after optional whitespace.
func (r *jsonReader) expect(c byte) error {
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != c {
		return r.fail("want '" + string(rune(c)) + "'")
	}
	r.i++
	return nil
}

// peek returns the next non-space byte, or 0 at the end.
//
//go:noinline
func (r *jsonReader) peek() byte {
	r.space()
	if r.i >= len(r.b) {
		return 0
	}
	return r.b[r.i]
}

// object reads an object (or null, which changes nothing), calling member
// with each key once the reader stands before its value.
func (r *jsonReader) object(member func(key []byte) error) error {
	if null, err := r.null(); null || err != nil {
		return err
	}
	if r.peek() != '{' {
		return r.fail("want an object")
	}
	r.i++
	if r.peek() == '}' {
		r.i++
		return nil
	}
	for {
		if r.peek() != '"' {
			return r.fail("want a key")
		}
		key, err := r.quoted()
		if err != nil {
			return err
		}
		if err := r.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return r.fail("want , or }")
		}
	}
}

// readList reads a list into *s as encoding/json does: null sets nil, []
// a new empty list; elements decode into those already there (up to the
// capacity), and the list is cut to the elements read. The brackets and
// commas are read by list, one body for every element type.
func readList[T any](r *jsonReader, s *[]T, elem func(*jsonReader, *T) error) error {
	list := *s
	n, err := r.list(func(i int) error {
		if i >= cap(list) {
			list = slices.Grow(list, 1)
		}
		if i >= len(list) {
			list = list[:i+1]
		}
		return elem(r, &list[i])
	})
	switch {
	case n < 0: // null
		if err == nil {
			*s = nil
		}
		return err
	case err != nil:
		*s = list // the elements decoded so far stay, as encoding/json leaves them
		return err
	case n == 0:
		list = make([]T, 0)
	case n < len(list):
		list = list[:n]
	}
	*s = list
	return nil
}

// list reads a JSON list (n < 0 for null), calling elem with the index of
// each element once the reader stands before it, and returns how many it
// read.
func (r *jsonReader) list(elem func(i int) error) (n int, err error) {
	if null, err := r.null(); null || err != nil {
		return -1, err
	}
	if r.peek() != '[' {
		return 0, r.fail("want a list")
	}
	r.i++
	if r.peek() != ']' {
		for {
			if err := elem(n); err != nil {
				return n, err
			}
			n++
			if c := r.peek(); c == ',' {
				r.i++
				continue
			} else if c != ']' {
				return n, r.fail("want , or ]")
			}
			break
		}
	}
	r.i++
	return n, nil
}

// str reads a string (or null, which changes nothing) into *s.
func (r *jsonReader) str(s *string) error {
	if null, err := r.null(); null || err != nil {
		return err
	}
	if r.peek() != '"' {
		return r.typeError()
	}
	v, err := r.quoted()
	if err != nil {
		return err
	}
	*s = string(v)
	return nil
}

// int reads an integer (or null) into *n; fractions and exponents are
// refused, as encoding/json refuses them for an int.
func (r *jsonReader) int(n *int) error {
	if null, err := r.null(); null || err != nil {
		return err
	}
	num, err := r.number()
	if err != nil {
		return err
	}
	v, ok := parseInt(num)
	if !ok {
		return errfmt.Wrap("", ErrInvalid, ": number "+string(num)+" is not an integer")
	}
	*n = v
	return nil
}

// parseInt reads a JSON number as an int, as strconv.ParseInt(s, 10, 0)
// does for the numbers number returns: false for a fraction, an exponent
// or a value out of range. strconv's error (NumError) would link its
// quoting and tables of printable runes (docs/size.md).
func parseInt(num []byte) (int, bool) {
	neg := len(num) > 0 && num[0] == '-'
	if neg {
		num = num[1:]
	}
	// Counted towards the negative side, which holds one more value.
	v := 0
	for _, c := range num {
		if c < '0' || c > '9' || v < math.MinInt/10 {
			return 0, false
		}
		v = v*10 - int(c-'0')
		if v > 0 {
			return 0, false
		}
	}
	if !neg {
		if v == math.MinInt {
			return 0, false
		}
		v = -v
	}
	return v, len(num) > 0
}

// float32 reads a number (or null) into *f; numbers out of float32's range
// are refused, and so is what parseFloat32 cannot decide.
func (r *jsonReader) float32(f *float32) error {
	if null, err := r.null(); null || err != nil {
		return err
	}
	num, err := r.number()
	if err != nil {
		return err
	}
	v, err := parseFloat32(num)
	if err != nil {
		return errfmt.Wrap("", ErrInvalid, ": number "+string(num)+" "+err.Error())
	}
	*f = v
	return nil
}

func (r *jsonReader) typeError() error {
	return errfmt.Wrap("", ErrInvalid, ": "+errJSONType.Error()+" at byte "+errfmt.Itoa(r.i))
}

// number returns the bytes of a JSON number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) number() ([]byte, error) {
	r.space()
	start := r.i
	digits := func() int {
		n := 0
		for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.b) && r.b[r.i] == '0':
		r.i++
	case digits() == 0:
		if r.i == start {
			return nil, r.typeError()
		}
		return nil, r.fail("invalid number")
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return nil, r.fail("invalid number")
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return nil, r.fail("invalid number")
		}
	}
	return r.b[start:r.i], nil
}

// quoted reads a string at r.i (a '"') and returns it unquoted as
// encoding/json does: invalid UTF-8 and lone surrogates become U+FFFD.
func (r *jsonReader) quoted() ([]byte, error) {
	r.i++ // '"'
	var out []byte
	start := r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			if out == nil {
				out = r.b[start:r.i]
			} else {
				out = append(out, r.b[start:r.i]...)
			}
			r.i++
			return out, nil
		case c < 0x20:
			return nil, r.fail("control character in string")
		case c == '\\' || c >= utf8.RuneSelf:
			// An escape or a byte of invalid UTF-8 (U+FFFD): the text
			// before it, then its rune, in one place.
			end := r.i
			rr, size := utf8.RuneError, 1
			if c >= utf8.RuneSelf {
				if rr, size = utf8.DecodeRune(r.b[r.i:]); rr != utf8.RuneError || size != 1 {
					r.i += size
					continue
				}
			} else {
				r.i++
				if r.i >= len(r.b) {
					return nil, r.fail("unterminated string")
				}
				if e := r.b[r.i]; e != 'u' {
					j := strings.IndexByte(`"\/bfnrt`, e)
					if j < 0 {
						return nil, r.fail("invalid escape")
					}
					rr = rune("\"\\/\b\f\n\r\t"[j])
				} else {
					if rr = hex4(r.b[r.i+1:]); rr < 0 {
						return nil, r.fail("invalid \\u escape")
					}
					r.i += 4
					if 0xD800 <= rr && rr < 0xE000 {
						// A high surrogate followed by an escaped low one is
						// one rune; any other surrogate is replaced.
						if rest := r.b[r.i+1:]; rr < 0xDC00 && len(rest) >= 2 && rest[0] == '\\' && rest[1] == 'u' {
							if lo := hex4(rest[2:]); 0xDC00 <= lo && lo < 0xE000 {
								rr = 0x10000 + (rr-0xD800)<<10 + (lo - 0xDC00)
								r.i += 6
							} else {
								rr = utf8.RuneError
							}
						} else {
							rr = utf8.RuneError
						}
					}
				}
			}
			out = utf8.AppendRune(append(out, r.b[start:end]...), rr)
			r.i++
			start = r.i
		default:
			r.i++
		}
	}
	return nil, r.fail("unterminated string")
}

// hex4 returns the value of four hex digits at the start of b, or -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var v rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		v = v<<4 | rune(c)
	}
	return v
}
