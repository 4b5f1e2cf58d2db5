package profile

import (
	"cmp"
	"errors"
	"strconv"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/sortx"
	"github.com/hearth-dev/hearth/core/wire"
)

// The export is the profile as a document of plain values (objects, lists,
// strings, numbers) that the reader keeps as a JSON file. This file maps
// the profile to that document and back, once: the engine reads and writes
// the document as a MessagePack tree through core/wire, and the JSON text
// is the platform's. The Worker parses a file with JSON.parse and writes
// one with JSON.stringify (js/hearth-worker.js); native code uses
// encoding/json (json.go, left out of the engine). So the engine links no
// JSON lexer or float parser (docs/size.md).

// ExportFormat names the export, so an import can refuse other files.
const ExportFormat = "hearth-profile"

// MaxJSONBytes bounds an imported file's text. The Worker and [ImportJSON]
// check it before parsing.
const MaxJSONBytes = 4 << 20

// MaxDocBytes bounds an imported document's MessagePack bytes. A document
// from a file within MaxJSONBytes is smaller: MessagePack writes strings,
// keys and structure in fewer bytes than JSON, and a number in at most 9
// bytes (a float64), where JSON needs at least 2 with its separator.
const MaxDocBytes = 2 * MaxJSONBytes

// maxDocObjects bounds the objects (events and interests, the taught ones
// included) of an imported document. Each list of objects is charged before
// its elements are allocated: an event takes about 100 bytes decoded, its
// empty object one byte of MessagePack.
const maxDocObjects = 4 * MaxList

// ExportDoc returns a readable copy of everything stored, as the export's
// document in MessagePack: plain field names, RFC 3339 times, kind names as
// words, and for each event what it taught ("taught": the topic weights it
// adds to the interests). Weights are as stored (as of "updated"); now is
// recorded as the export time. Lists are never null; an event leaves out
// its empty item, dwell_seconds, topic and taught.
func (p *Profile) ExportDoc(now int64) ([]byte, error) {
	w := &docWriter{}
	w.head(0x80, 10)
	w.str("format")
	w.str(ExportFormat)
	w.str("version")
	w.b = wire.AppendInt(w.b, FormatVersion)
	w.str("exported")
	w.time(now)
	w.str("updated")
	w.time(p.Updated)
	w.str("settings")
	w.head(0x80, 2)
	w.str("consent")
	w.str(p.Settings.Consent)
	w.str("variety")
	w.float(p.Settings.Variety)
	w.str("interests")
	w.interests(p.Interests)
	w.str("events")
	w.head(0x90, len(p.Events))
	for i := range p.Events {
		ev := &p.Events[i]
		n := 2
		for _, set := range [...]bool{ev.Item != "", ev.Dwell != 0, ev.Topic != "", len(ev.Credit) != 0} {
			if set {
				n++
			}
		}
		w.head(0x80, n)
		if ev.Item != "" {
			w.str("item")
			w.str(ev.Item)
		}
		w.str("kind")
		w.str(ev.Kind.String())
		w.str("time")
		w.time(ev.Time)
		if ev.Dwell != 0 {
			w.str("dwell_seconds")
			w.float(ev.Dwell)
		}
		if ev.Topic != "" {
			w.str("topic")
			w.str(ev.Topic)
		}
		if len(ev.Credit) != 0 {
			w.str("taught")
			w.interests(ev.Credit)
		}
	}
	for _, l := range [...]struct {
		key  string
		list []string
	}{{"read", p.ReadItems}, {"hidden", p.Hidden}, {"muted", p.Muted}} {
		w.str(l.key)
		w.head(0x90, len(l.list))
		for _, s := range l.list {
			w.str(s)
		}
	}
	if w.err != nil {
		return nil, errfmt.Wrap("export profile: ", w.err, "")
	}
	return w.b, nil
}

// docWriter appends the export's document. Each append is inside one of
// its small methods, not inlined: the wasm compiler expands every append
// call site into its own capacity check, growth and copy. The first error
// (a float JSON cannot hold) sticks.
type docWriter struct {
	b   []byte
	err error
}

//go:noinline
func (w *docWriter) str(s string) { w.b = wire.AppendString(w.b, s) }

// head appends the header of a map (0x80) or an array (0x90) of n entries.
//
//go:noinline
func (w *docWriter) head(kind byte, n int) {
	if kind == 0x80 {
		w.b = wire.AppendMapHeader(w.b, uint32(n))
	} else {
		w.b = wire.AppendArrayHeader(w.b, uint32(n))
	}
}

func (w *docWriter) time(sec int64) { w.b = wire.AppendString(w.b, rfc3339(sec)) }

func (w *docWriter) interests(list []Interest) {
	w.head(0x90, len(list))
	for _, in := range list {
		w.head(0x80, 2)
		w.str("topic")
		w.str(in.Topic)
		w.str("weight")
		w.float(in.Weight)
	}
}

// float appends f as a float64: docFloat's. NaN and infinities have no JSON
// form.
//
//go:noinline
func (w *docWriter) float(f float32) {
	if !finite(f) {
		if w.err == nil {
			w.err = errors.New("unsupported value: " + errfmt.Float(f))
		}
		return
	}
	w.b = wire.AppendFloat64(w.b, docFloat(f))
}

// docFloat returns the float64 nearest the shortest decimal that reads back
// as f (strconv.FormatFloat(f, 'g', -1, 32)'s digits), for the export's
// readers: JSON.stringify and encoding/json write a float64 as its shortest
// decimal, and for this float64 that is the decimal (one of at most 9
// digits is the shortest of its nearest float64). So the file shows 0.1 for
// the float32 nearest 0.1, not 0.10000000149011612. The nearest float64 is
// one exact multiplication or division, by a power of ten up to 1e22 (exact
// in a float64); past that (no stored weight, dwell or variety is so small
// or large), the value is f's own float64, which reads back as f all the
// same, in more digits. Zero is written +0: JSON.stringify writes -0 as 0.
func docFloat(f float32) float64 {
	if f == 0 {
		return 0
	}
	var buf [24]byte
	s := strconv.AppendFloat(buf[:0], float64(f), 'e', -1, 32) // -d.ddde-dd
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var m int64
	digits, i := 0, 0
	for ; s[i] != 'e'; i++ {
		if s[i] != '.' {
			m = m*10 + int64(s[i]-'0')
			digits++
		}
	}
	e := 0
	for _, c := range s[i+2:] {
		e = e*10 + int(c-'0')
	}
	if s[i+1] == '-' {
		e = -e
	}
	e -= digits - 1 // the value is m * 10^e
	if e < -22 || e > 22 {
		return float64(f)
	}
	pow := 1.0
	for range max(e, -e) {
		pow *= 10
	}
	v := float64(m)
	if e < 0 {
		v /= pow
	} else {
		v *= pow
	}
	if neg {
		v = -v
	}
	return v
}

// ImportDoc reads an export's document, as [Profile.ExportDoc] writes it or
// the Worker builds it from a file with JSON.parse. It is strict: unknown
// fields, values of the wrong type, another format or version, unknown
// kinds, bad or missing times and oversized documents or lists are refused
// with an error naming the problem and the field. A null is a field left
// out. Interests may come in any order; they are sorted. A number is read
// into a float32 field as its nearest float32: a float64 from JSON.parse or
// encoding/json is rounded a second time (only a decimal of more than 9
// digits can lie so near a halfway point between two float32s that this
// differs from rounding it once; an export writes at most 9). Times are
// kept as written: ones more than [MaxClockSkew] after the importer's clock
// are brought back to it by the first [Profile.Prune] (the bridge's import
// commits through it).
func ImportDoc(doc []byte) (*Profile, error) {
	p, err := readDoc(doc)
	if err != nil {
		return nil, errfmt.Wrap("import profile: ", err, "")
	}
	return p, nil
}

func readDoc(doc []byte) (*Profile, error) {
	if len(doc) > MaxDocBytes {
		return nil, errfmt.Wrap("", ErrTooLarge, ": "+errfmt.Itoa(len(doc))+" bytes, limit "+errfmt.Itoa(MaxDocBytes))
	}
	p := New()
	p.Updated = -1 // required
	var format string
	version := 0
	d := &docReader{r: wire.NewReader(doc)}
	d.object(func(key string) bool {
		switch key {
		case "format":
			d.str(&format)
		case "version":
			d.int(&version)
		case "exported":
			var s string // for the reader, not imported
			d.str(&s)
		case "updated":
			d.time(&p.Updated)
		case "settings":
			d.object(func(key string) bool {
				switch key {
				case "consent":
					d.str(&p.Settings.Consent)
				case "variety":
					d.float(&p.Settings.Variety)
				default:
					return false
				}
				return true
			})
		case "interests":
			p.Interests = d.interests(MaxList)
		case "events":
			p.Events = d.events()
		case "read":
			p.ReadItems = d.strings()
		case "hidden":
			p.Hidden = d.strings()
		case "muted":
			p.Muted = d.strings()
		default:
			return false
		}
		return true
	})
	switch {
	case d.err != nil:
		return nil, d.err
	case d.r.Err() != nil:
		return nil, errfmt.Wrap("", ErrInvalid, ": not a MessagePack document: "+d.r.Err().Error())
	case len(d.r.Rest()) != 0:
		return nil, errfmt.Wrap("", ErrInvalid, ": data after the profile")
	case format != ExportFormat:
		return nil, errfmt.Wrap("", ErrInvalid, ": format "+errfmt.Quote(clip(format))+", want "+errfmt.Quote(ExportFormat))
	case version != FormatVersion:
		return nil, errfmt.Wrap("", ErrVersion, " "+errfmt.Itoa(version)+" (this code imports "+errfmt.Itoa(FormatVersion)+")")
	case p.Updated < 0:
		return nil, errfmt.Wrap("", ErrInvalid, ": updated: missing")
	}
	p.Interests = nilIfEmpty(p.Interests)
	sortx.Func(p.Interests, func(a, b Interest) int { return cmp.Compare(a.Topic, b.Topic) })
	p.Events = nilIfEmpty(p.Events)
	p.ReadItems, p.Hidden, p.Muted = nilIfEmpty(p.ReadItems), nilIfEmpty(p.Hidden), nilIfEmpty(p.Muted)
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

func rfc3339(sec int64) string { return string(appendRFC3339(nil, sec)) }

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// docReader reads an export's document: the JSON types of its values are
// checked before each is read, and a failure names the field where the
// reader stands (path).
type docReader struct {
	r       *wire.Reader
	path    [4]docStep // the keys and list indexes to the value being read
	depth   int        // how many of path are in use
	objects int        // objects charged so far, at most maxDocObjects
	err     error      // the first refusal
}

// docStep is one step of a field's path: a key, and an index when the
// value is a list and the reader stands in it (else -1).
type docStep struct {
	key   string
	index int
}

// The JSON types of the document's values.
const (
	docNull = iota
	docBool
	docNumber
	docString
	docList
	docObject
	docOther // a MessagePack type JSON has not (bin, ext) or no type at all
)

var docTypeNames = [...]string{"null", "a boolean", "a number", "a string", "a list", "an object", "not a JSON value"}

// docType returns the JSON type of the MessagePack value whose first byte
// is t.
func docType(t byte) int {
	switch {
	case t < 0x80 || t >= 0xe0 || 0xca <= t && t <= 0xd3:
		return docNumber
	case t < 0x90 || t == 0xde || t == 0xdf:
		return docObject
	case t < 0xa0 || t == 0xdc || t == 0xdd:
		return docList
	case t < 0xc0 || 0xd9 <= t && t <= 0xdb:
		return docString
	case t == 0xc0:
		return docNull
	case t == 0xc2 || t == 0xc3:
		return docBool
	}
	return docOther
}

// where names the field the reader stands in: events[3].taught[0].weight.
func (d *docReader) where() string {
	s := ""
	for _, st := range d.path[:d.depth] {
		if s != "" {
			s += "."
		}
		s += clip(st.key)
		if st.index >= 0 {
			s += "[" + errfmt.Itoa(st.index) + "]"
		}
	}
	if s == "" {
		return "the document"
	}
	return s
}

// fail records the first refusal, err wrapped with the field and msg, and
// stops the reader, unless the reader stopped before (its own failure is
// the first).
//
//go:noinline
func (d *docReader) fail(err error, msg string) {
	if d.r.Err() == nil {
		d.refuse(err, msg)
	}
}

// refuse is fail for a value the reader has just failed on.
func (d *docReader) refuse(err error, msg string) {
	if d.err == nil {
		d.err = errfmt.Wrap("", err, ": "+d.where()+": "+msg)
		d.r.Fail(d.err)
	}
}

// is reports whether the next value has the JSON type t, ready to be read.
// A null is consumed: it leaves the field as it was, as JSON.parse's null
// read by encoding/json does. A value of another type is refused.
func (d *docReader) is(t int) bool {
	rest := d.r.Rest()
	if d.r.Err() != nil || len(rest) == 0 {
		d.r.Skip() // fails with the reader's error, or at the end of the input
		return false
	}
	switch got := docType(rest[0]); got {
	case t:
		return true
	case docNull:
		d.r.Nil()
	default:
		d.fail(ErrInvalid, "want "+docTypeNames[t]+", not "+docTypeNames[got])
	}
	return false
}

func (d *docReader) str(s *string) {
	if d.is(docString) {
		*s = d.r.String()
	}
}

// int reads a whole number within an int (JSON.parse gives 2.0 as 2).
func (d *docReader) int(n *int) {
	if d.is(docNumber) {
		v := d.r.Int()
		if d.r.Err() != nil {
			d.refuse(ErrInvalid, "not an integer")
			return
		}
		*n = v
	}
}

// float reads a number as the nearest float32; one beyond float32's range
// is refused. Zero is read as +0.
func (d *docReader) float(f *float32) {
	if d.is(docNumber) {
		v := d.r.Float32()
		if d.r.Err() != nil || !finite(v) {
			d.refuse(ErrInvalid, "number out of range")
			return
		}
		if v == 0 {
			v = 0
		}
		*f = v
	}
}

// time reads an RFC 3339 time, at or after 1970, as Unix seconds.
func (d *docReader) time(t *int64) {
	var s string
	d.str(&s)
	v, ok := parseRFC3339(s)
	switch {
	case !ok:
		d.fail(ErrInvalid, errfmt.Quote(clip(s))+" is not an RFC 3339 time")
	case v < 0:
		d.fail(ErrInvalid, clip(s)+" is before 1970")
	}
	*t = v
}

// kind reads an event kind by its name.
func (d *docReader) kind(k *Kind) {
	var s string
	d.str(&s)
	v, err := ParseKind(s)
	if err != nil {
		d.fail(ErrInvalid, "unknown event kind "+errfmt.Quote(clip(s)))
	}
	*k = v
}

// object reads an object (null: nothing), calling member with each key once
// the reader stands before its value; member returns false for a key the
// format does not have, which is refused.
func (d *docReader) object(member func(key string) bool) {
	if !d.is(docObject) {
		return
	}
	n := d.r.MapHeader()
	d.depth++
	for ; n > 0 && d.r.Err() == nil; n-- {
		d.path[d.depth-1] = docStep{key: string(d.r.Key()), index: -1}
		if d.r.Err() == nil && !member(d.path[d.depth-1].key) {
			d.fail(ErrInvalid, "unknown field")
		}
	}
	d.depth--
}

// list reads the header of a list (null: an empty one) of at most max
// elements, objects of them charged to maxDocObjects, and returns its
// length; the caller reads the elements, calling at with each index.
func (d *docReader) list(max int, objects bool) int {
	if !d.is(docList) {
		return 0
	}
	n := d.r.ArrayHeader()
	if n > max {
		d.fail(ErrTooLarge, errfmt.Itoa(n)+" entries, limit "+errfmt.Itoa(max))
		return 0
	}
	if objects {
		if d.objects += n; d.objects > maxDocObjects {
			d.fail(ErrTooLarge, "more than "+errfmt.Itoa(maxDocObjects)+" objects in the document")
			return 0
		}
	}
	return n
}

// at places the reader at element i of the list it reads, and reports
// whether reading goes on.
func (d *docReader) at(i int) bool {
	d.path[d.depth-1].index = i
	return d.r.Err() == nil
}

func (d *docReader) strings() []string {
	s := make([]string, d.list(MaxList, false))
	for i := 0; i < len(s) && d.at(i); i++ {
		d.str(&s[i])
	}
	return s
}

func (d *docReader) interests(max int) []Interest {
	s := make([]Interest, d.list(max, true))
	for i := 0; i < len(s) && d.at(i); i++ {
		in := &s[i]
		d.object(func(key string) bool {
			switch key {
			case "topic":
				d.str(&in.Topic)
			case "weight":
				d.float(&in.Weight)
			default:
				return false
			}
			return true
		})
	}
	return s
}

// events reads the events; each must have a time.
func (d *docReader) events() []Event {
	s := make([]Event, d.list(MaxList, true))
	for i := 0; i < len(s) && d.at(i); i++ {
		e := &s[i]
		e.Time = -1
		d.object(func(key string) bool {
			switch key {
			case "item":
				d.str(&e.Item)
			case "kind":
				d.kind(&e.Kind)
			case "time":
				d.time(&e.Time)
			case "dwell_seconds":
				d.float(&e.Dwell)
			case "topic":
				d.str(&e.Topic)
			case "taught":
				e.Credit = nilIfEmpty(d.interests(MaxCredit))
			default:
				return false
			}
			return true
		})
		if e.Time < 0 {
			d.fail(ErrInvalid, "no time")
		}
	}
	return s
}
