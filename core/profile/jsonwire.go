package profile

import (
	"errors"
	"math"
	"slices"
	"strconv"
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
	var err error
	b = append(b, '{')
	b = jsonKey(b, 1, "format", true)
	b = jsonString(b, x.Format)
	b = jsonKey(b, 1, "version", false)
	b = strconv.AppendInt(b, int64(x.Version), 10)
	b = jsonKey(b, 1, "exported", false)
	b = jsonString(b, x.Exported)
	b = jsonKey(b, 1, "updated", false)
	b = jsonString(b, x.Updated)
	b = jsonKey(b, 1, "settings", false)
	b = append(b, '{')
	b = jsonKey(b, 2, "consent", true)
	b = jsonString(b, x.Settings.Consent)
	b = jsonKey(b, 2, "variety", false)
	if b, err = jsonFloat(b, x.Settings.Variety); err != nil {
		return nil, err
	}
	b = jsonClose(b, 1, '}')
	b = jsonKey(b, 1, "interests", false)
	if b, err = appendInterestsJSON(b, 1, x.Interests); err != nil {
		return nil, err
	}
	b = jsonKey(b, 1, "events", false)
	if x.Events == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
	}
	for i := range x.Events {
		e := &x.Events[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonIndent(b, 2)
		b = append(b, '{')
		first := true
		if e.Item != "" {
			b = jsonKey(b, 3, "item", true)
			b = jsonString(b, e.Item)
			first = false
		}
		b = jsonKey(b, 3, "kind", first)
		b = jsonString(b, e.Kind)
		b = jsonKey(b, 3, "time", false)
		b = jsonString(b, e.Time)
		if e.DwellSeconds != 0 {
			b = jsonKey(b, 3, "dwell_seconds", false)
			if b, err = jsonFloat(b, e.DwellSeconds); err != nil {
				return nil, err
			}
		}
		if e.Topic != "" {
			b = jsonKey(b, 3, "topic", false)
			b = jsonString(b, e.Topic)
		}
		if len(e.Taught) != 0 {
			b = jsonKey(b, 3, "taught", false)
			if b, err = appendInterestsJSON(b, 3, e.Taught); err != nil {
				return nil, err
			}
		}
		b = jsonClose(b, 2, '}')
	}
	if x.Events != nil {
		b = jsonCloseList(b, 1, len(x.Events))
	}
	for _, l := range []struct {
		key string
		v   []string
	}{{"read", x.Read}, {"hidden", x.Hidden}, {"muted", x.Muted}} {
		b = jsonKey(b, 1, l.key, false)
		if l.v == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for i, s := range l.v {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonIndent(b, 2)
			b = jsonString(b, s)
		}
		b = jsonCloseList(b, 1, len(l.v))
	}
	return jsonClose(b, 0, '}'), nil
}

// appendInterestsJSON appends a list of interests at the given depth.
func appendInterestsJSON(b []byte, depth int, list []interestJSON) ([]byte, error) {
	if list == nil {
		return append(b, "null"...), nil
	}
	var err error
	b = append(b, '[')
	for i, in := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonIndent(b, depth+1)
		b = append(b, '{')
		b = jsonKey(b, depth+2, "topic", true)
		b = jsonString(b, in.Topic)
		b = jsonKey(b, depth+2, "weight", false)
		if b, err = jsonFloat(b, in.Weight); err != nil {
			return nil, err
		}
		b = jsonClose(b, depth+1, '}')
	}
	return jsonCloseList(b, depth, len(list)), nil
}

// jsonKey appends the separator before a member (none before the first),
// the indentation and `"key": `. Keys are plain ASCII.
func jsonKey(b []byte, depth int, key string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = jsonIndent(b, depth)
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':', ' ')
}

func jsonIndent(b []byte, depth int) []byte {
	b = append(b, '\n')
	for range depth {
		b = append(b, ' ', ' ')
	}
	return b
}

// jsonClose closes a non-empty object or list opened at depth.
func jsonClose(b []byte, depth int, c byte) []byte {
	return append(jsonIndent(b, depth), c)
}

// jsonCloseList closes a list of n elements: an empty one stays "[]".
func jsonCloseList(b []byte, depth, n int) []byte {
	if n == 0 {
		return append(b, ']')
	}
	return jsonClose(b, depth, ']')
}

// jsonFloat appends f as encoding/json does: like ES6's number to string,
// 'f' form unless tiny or huge. NaN and infinities have no JSON form.
func jsonFloat(b []byte, f float32) ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return nil, errors.New("json: unsupported value: " + errfmt.Float(f))
	}
	format := byte('f')
	if abs := float32(math.Abs(float64(f))); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, float64(f), format, -1, 32)
	if format == 'e' {
		// e-09 is written e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// jsonString appends s quoted as encoding/json does, escaping HTML's <, >
// and &, U+2028 and U+2029, and replacing invalid UTF-8 with U+FFFD.
func jsonString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
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
	return errfmt.Wrap("", ErrInvalid, ": "+msg+" at byte "+strconv.Itoa(r.i))
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
	return errfmt.Wrap("", ErrInvalid, ": unknown field "+strconv.Quote(string(key)))
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

// space skips JSON whitespace.
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
		return r.fail("want " + strconv.QuoteRune(rune(c)))
	}
	r.i++
	return nil
}

// peek returns the next non-space byte, or 0 at the end.
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
// capacity), and the list is cut to the elements read.
func readList[T any](r *jsonReader, s *[]T, elem func(*jsonReader, *T) error) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*s = nil
		}
		return err
	}
	if r.peek() != '[' {
		return r.fail("want a list")
	}
	r.i++
	list := *s
	i := 0
	if r.peek() != ']' {
		for {
			if i >= cap(list) {
				list = slices.Grow(list, 1)
			}
			if i >= len(list) {
				list = list[:i+1]
			}
			if err := elem(r, &list[i]); err != nil {
				*s = list
				return err
			}
			i++
			if c := r.peek(); c == ',' {
				r.i++
				continue
			} else if c != ']' {
				*s = list
				return r.fail("want , or ]")
			}
			break
		}
	}
	r.i++
	if i < len(list) {
		list = list[:i]
	}
	if i == 0 {
		list = make([]T, 0)
	}
	*s = list
	return nil
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
	v, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil {
		return errfmt.Wrap("", ErrInvalid, ": number "+string(num)+" is not an integer")
	}
	*n = int(v)
	return nil
}

// float32 reads a number (or null) into *f; numbers out of float32's range
// are refused.
func (r *jsonReader) float32(f *float32) error {
	if null, err := r.null(); null || err != nil {
		return err
	}
	num, err := r.number()
	if err != nil {
		return err
	}
	v, err := strconv.ParseFloat(string(num), 32)
	if err != nil {
		return errfmt.Wrap("", ErrInvalid, ": number "+string(num)+" out of range")
	}
	*f = float32(v)
	return nil
}

func (r *jsonReader) typeError() error {
	return errfmt.Wrap("", ErrInvalid, ": "+errJSONType.Error()+" at byte "+strconv.Itoa(r.i))
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
		case c == '\\':
			out = append(out, r.b[start:r.i]...)
			r.i++
			if r.i >= len(r.b) {
				return nil, r.fail("unterminated string")
			}
			switch e := r.b[r.i]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				rr := hex4(r.b[r.i+1:])
				if rr < 0 {
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
				out = utf8.AppendRune(out, rr)
			default:
				return nil, r.fail("invalid escape")
			}
			r.i++
			start = r.i
		case c >= utf8.RuneSelf:
			rr, size := utf8.DecodeRune(r.b[r.i:])
			if rr == utf8.RuneError && size == 1 {
				out = append(out, r.b[start:r.i]...)
				out = append(out, "\uFFFD"...)
				r.i++
				start = r.i
				continue
			}
			r.i += size
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
