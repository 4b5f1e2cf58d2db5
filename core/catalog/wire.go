package catalog

import (
	"slices"

	"github.com/hearth-dev/hearth/core/internal/scan"
	"github.com/hearth-dev/hearth/core/wire"
)

// The lean codec: the catalogue's MessagePack encoding written by hand on
// core/wire, for the wasm build (see codec_lean.go), where linking the msgp
// runtime would cost every reader about 250 KB of brotli. It mirrors
// catalog_gen.go: same keys in the same order, same encodings, fields decoded
// in place with the same reuse of slices, unknown keys skipped. The fuzz
// tests in wire_test.go hold it to the generated codec byte for byte; when a
// field changes in catalog.go, change it here too.

// readMsg decodes d from r as document.UnmarshalMsg does. With a limiter
// it also enforces the limits prescan would, at each container (see
// limiter), and stops r at the first refusal.
func (d *document) readMsg(r *wire.Reader, l *limiter) {
	for n := r.MapHeader(); n > 0; n-- {
		switch key := r.Key(); string(key) {
		case "v":
			d.Version = r.Int()
		case "id":
			d.ID = r.String()
		case "gen":
			d.Generated = r.Int64()
		case "policy":
			d.Policy.readMsg(r, l)
		case "topics":
			d.Topics = readStrings(r, d.Topics, l, 1, key)
		case "dim":
			d.Dim = r.Int()
		case "gram":
			d.Gram = readFloat32s(r, d.Gram, l, 1, key)
		case "lambda":
			d.Lambda = r.Float32()
		case "items":
			d.Items.readMsg(r, l)
		default:
			l.skip(r, 1, key)
		}
	}
}

// appendMsg appends d as document.MarshalMsg does.
func (d *document) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 9)
	b = wire.AppendInt(wire.AppendString(b, "v"), d.Version)
	b = wire.AppendString(wire.AppendString(b, "id"), d.ID)
	b = wire.AppendInt64(wire.AppendString(b, "gen"), d.Generated)
	b = d.Policy.appendMsg(wire.AppendString(b, "policy"))
	b = wire.AppendStrings(wire.AppendString(b, "topics"), d.Topics)
	b = wire.AppendInt(wire.AppendString(b, "dim"), d.Dim)
	b = wire.AppendFloat32s(wire.AppendString(b, "gram"), d.Gram)
	b = wire.AppendFloat32(wire.AppendString(b, "lambda"), d.Lambda)
	return d.Items.appendMsg(wire.AppendString(b, "items"))
}

// readMsg decodes the item columns (depth 1); the columns are at depth 2.
// Each column is one loop over its entries, which is why format 2 decodes
// faster than one map per item: no key to read and compare per field.
func (cols *itemColumns) readMsg(r *wire.Reader, l *limiter) {
	for n := r.MapHeader(); n > 0; n-- {
		switch key := r.Key(); string(key) {
		case "id":
			cols.ID = readStrings(r, cols.ID, l, 2, key)
		case "url":
			cols.URL = readStrings(r, cols.URL, l, 2, key)
		case "title":
			cols.Title = readStrings(r, cols.Title, l, 2, key)
		case "sum":
			cols.Summary = readStrings(r, cols.Summary, l, 2, key)
		case "sec":
			cols.Section = readStrings(r, cols.Section, l, 2, key)
		case "ntopic":
			cols.TopicCount = readUint16s(r, cols.TopicCount, l, 2, key)
		case "topic":
			cols.Topic = readUint16s(r, cols.Topic, l, 2, key)
		case "weight":
			cols.Weight = readFloat32s(r, cols.Weight, l, 2, key)
		case "nterm":
			cols.TermCount = readUint16s(r, cols.TermCount, l, 2, key)
		case "term":
			cols.Term = readStrings(r, cols.Term, l, 2, key)
		case "vec":
			cols.Vector = r.Bytes(cols.Vector)
		case "scale":
			cols.Scale = readFloat32s(r, cols.Scale, l, 2, key)
		case "pub":
			cols.Published = wire.Resize(cols.Published, l.array(r, 2, key))
			for i := range cols.Published {
				cols.Published[i] = r.Int64()
			}
		case "pop":
			cols.Popularity = readFloat32s(r, cols.Popularity, l, 2, key)
		case "thumb":
			cols.Thumb = wire.Resize(cols.Thumb, l.array(r, 2, key))
			for i := range cols.Thumb {
				cols.Thumb[i] = r.Bytes(cols.Thumb[i])
			}
		default:
			l.skip(r, 2, key)
		}
	}
}

func (cols *itemColumns) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 15)
	b = wire.AppendStrings(wire.AppendString(b, "id"), cols.ID)
	b = wire.AppendStrings(wire.AppendString(b, "url"), cols.URL)
	b = wire.AppendStrings(wire.AppendString(b, "title"), cols.Title)
	b = wire.AppendStrings(wire.AppendString(b, "sum"), cols.Summary)
	b = wire.AppendStrings(wire.AppendString(b, "sec"), cols.Section)
	b = appendUint16s(wire.AppendString(b, "ntopic"), cols.TopicCount)
	b = appendUint16s(wire.AppendString(b, "topic"), cols.Topic)
	b = wire.AppendFloat32s(wire.AppendString(b, "weight"), cols.Weight)
	b = appendUint16s(wire.AppendString(b, "nterm"), cols.TermCount)
	b = wire.AppendStrings(wire.AppendString(b, "term"), cols.Term)
	b = wire.AppendBytes(wire.AppendString(b, "vec"), cols.Vector)
	b = wire.AppendFloat32s(wire.AppendString(b, "scale"), cols.Scale)
	b = wire.AppendArrayHeader(wire.AppendString(b, "pub"), uint32(len(cols.Published)))
	for _, v := range cols.Published {
		b = wire.AppendInt64(b, v)
	}
	b = wire.AppendFloat32s(wire.AppendString(b, "pop"), cols.Popularity)
	b = wire.AppendArrayHeader(wire.AppendString(b, "thumb"), uint32(len(cols.Thumb)))
	for _, v := range cols.Thumb {
		b = wire.AppendBytes(b, v)
	}
	return b
}

func appendUint16s(b []byte, s []uint16) []byte {
	b = wire.AppendArrayHeader(b, uint32(len(s)))
	for _, v := range s {
		b = wire.AppendUint64(b, uint64(v))
	}
	return b
}

// readMsg decodes the policy (depth 1); its fields are at depth 2.
func (p *Policy) readMsg(r *wire.Reader, l *limiter) {
	for n := r.MapHeader(); n > 0; n-- {
		switch key := r.Key(); string(key) {
		case "fresh_hl":
			p.FreshnessHalfLifeDays = r.Float32()
		case "interest_hl":
			p.InterestHalfLifeDays = r.Float32()
		case "diversity":
			p.Diversity = r.Float32()
		case "explore":
			p.Exploration = r.Float32()
		case "weights":
			p.Weights.readMsg(r, l)
		case "caps":
			p.SectionCaps = wire.Resize(p.SectionCaps, l.array(r, 2, key))
			for i := range p.SectionCaps {
				p.SectionCaps[i].readMsg(r, l)
			}
		case "pinned":
			p.Pinned = readStrings(r, p.Pinned, l, 2, key)
		case "excluded":
			p.Excluded = readStrings(r, p.Excluded, l, 2, key)
		case "sensitive":
			p.Sensitive = readStrings(r, p.Sensitive, l, 2, key)
		case "retention":
			p.RetentionDays = r.Int()
		case "max_events":
			p.MaxEvents = r.Int()
		case "consent":
			p.Consent = r.String()
		default:
			l.skip(r, 2, key)
		}
	}
}

func (p *Policy) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 12)
	b = wire.AppendFloat32(wire.AppendString(b, "fresh_hl"), p.FreshnessHalfLifeDays)
	b = wire.AppendFloat32(wire.AppendString(b, "interest_hl"), p.InterestHalfLifeDays)
	b = wire.AppendFloat32(wire.AppendString(b, "diversity"), p.Diversity)
	b = wire.AppendFloat32(wire.AppendString(b, "explore"), p.Exploration)
	b = p.Weights.appendMsg(wire.AppendString(b, "weights"))
	b = wire.AppendArrayHeader(wire.AppendString(b, "caps"), uint32(len(p.SectionCaps)))
	for _, sc := range p.SectionCaps {
		b = sc.appendMsg(b)
	}
	b = wire.AppendStrings(wire.AppendString(b, "pinned"), p.Pinned)
	b = wire.AppendStrings(wire.AppendString(b, "excluded"), p.Excluded)
	b = wire.AppendStrings(wire.AppendString(b, "sensitive"), p.Sensitive)
	b = wire.AppendInt(wire.AppendString(b, "retention"), p.RetentionDays)
	b = wire.AppendInt(wire.AppendString(b, "max_events"), p.MaxEvents)
	b = wire.AppendString(wire.AppendString(b, "consent"), p.Consent)
	return b
}

// readMsg decodes the policy's weights (depth 2); fields at depth 3.
func (w *Weights) readMsg(r *wire.Reader, l *limiter) {
	for n := r.MapHeader(); n > 0; n-- {
		switch key := r.Key(); string(key) {
		case "sim":
			w.Similarity = r.Float32()
		case "topic":
			w.Topic = r.Float32()
		case "fresh":
			w.Freshness = r.Float32()
		case "pop":
			w.Popularity = r.Float32()
		default:
			l.skip(r, 3, key)
		}
	}
}

func (w *Weights) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 4)
	b = wire.AppendFloat32(wire.AppendString(b, "sim"), w.Similarity)
	b = wire.AppendFloat32(wire.AppendString(b, "topic"), w.Topic)
	b = wire.AppendFloat32(wire.AppendString(b, "fresh"), w.Freshness)
	b = wire.AppendFloat32(wire.AppendString(b, "pop"), w.Popularity)
	return b
}

// readMsg decodes a section cap, an element of "caps" (depth 3); fields at
// depth 4.
func (sc *SectionCap) readMsg(r *wire.Reader, l *limiter) {
	for n := r.MapHeader(); n > 0; n-- {
		switch key := r.Key(); string(key) {
		case "sec":
			sc.Section = r.String()
		case "max":
			sc.Max = r.Int()
		default:
			l.skip(r, 4, key)
		}
	}
}

func (sc SectionCap) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 2)
	b = wire.AppendString(wire.AppendString(b, "sec"), sc.Section)
	return wire.AppendInt(wire.AppendString(b, "max"), sc.Max)
}

// readLean decodes b into a document with the lean codec and returns the
// bytes after it, as document.UnmarshalMsg does. Its strings share one copy
// of b ([wire.Reader.ShareStrings]): a catalogue lives as long as its
// strings, and one allocation instead of one per string makes decoding
// about twice as fast (BenchmarkCatalogue_decode). With owned set they
// share b itself ([wire.Reader.ShareInput]).
func readLean(d *document, b []byte, owned bool) ([]byte, error) {
	r := newReader(b, owned)
	d.readMsg(r, nil)
	return r.Rest(), r.Err()
}

func newReader(b []byte, owned bool) *wire.Reader {
	r := wire.NewReader(b)
	if owned {
		r.ShareInput()
	} else {
		r.ShareStrings()
	}
	return r
}

// readChecked decodes b with the lean codec, enforcing lim as it goes, so
// that the bytes are walked once: what [prescan] and the msgp decoder do
// in two walks. It refuses what they refuse, with the same errors, except
// that a document broken in two ways may be refused for the other one
// first (checked_test.go). With owned set, the catalogue may keep b.
//
// Size against speed: walking once costs the engine about 2.5 KB of brotli
// (564.5 -> 567.0 KB at 194c5fc) and takes about 16 ms off the first load of a 10k
// catalogue in the browser (prescan plus decoding 88 -> 72 ms, traced
// loads; under Node the first decode went from 85-93 to 47-75 ms).
func readChecked(b []byte, lim Limits, owned bool) (*Catalogue, error) {
	r := newReader(b, owned)
	l := newLimiter(lim)
	var d document
	d.readMsg(r, l)
	switch {
	case l.err != nil:
		return nil, formatError(b, l.err)
	case r.Err() != nil:
		return nil, formatError(b, corrupt(r.Err()))
	case len(r.Rest()) != 0:
		return nil, formatError(b, trailing(len(r.Rest())))
	}
	return d.catalogue()
}

// readStrings reads an array of str at depth under key, as r.Strings does.
func readStrings(r *wire.Reader, s []string, l *limiter, depth int, key []byte) []string {
	s = wire.Resize(s, l.array(r, depth, key))
	for i := range s {
		s[i] = r.String()
	}
	return s
}

// readFloat32s reads an array of float32 at depth under key.
func readFloat32s(r *wire.Reader, s []float32, l *limiter, depth int, key []byte) []float32 {
	s = wire.Resize(s, l.array(r, depth, key))
	for i := range s {
		s[i] = r.Float32()
	}
	return s
}

// readUint16s reads an array of uint16 at depth under key.
func readUint16s(r *wire.Reader, s []uint16, l *limiter, depth int, key []byte) []uint16 {
	s = wire.Resize(s, l.array(r, depth, key))
	for i := range s {
		s[i] = r.Uint16()
	}
	return s
}

// array reads an array header at depth under key and checks its count as
// prescan would; a nil limiter checks nothing.
func (l *limiter) array(r *wire.Reader, depth int, key []byte) int {
	n := r.ArrayHeader()
	if l != nil && r.Err() == nil {
		if err := l.visit(depth, key, n, false); err != nil {
			l.fail(r, err)
			return 0
		}
	}
	return n
}

// skip skips an unknown field's value at depth under key. The limiter
// walks it first as prescan would: its containers count against the
// budget and the policy-list limit, and nesting past maxNesting is refused.
func (l *limiter) skip(r *wire.Reader, depth int, key []byte) {
	if l != nil && r.Err() == nil {
		// The walk ends after the value; whatever follows is the
		// decoder's, so no trailing bytes are passed to scanError.
		if _, err := scan.WalkFrom(r.Rest(), depth, key, maxNesting, l.visit); err != nil {
			l.fail(r, scanError(err, nil))
			return
		}
	}
	r.Skip()
}

// fail records the limiter's first refusal and stops r.
func (l *limiter) fail(r *wire.Reader, err error) {
	if l.err == nil {
		l.err = err
	}
	r.Fail(err)
}

// marshalLean appends d to b, growing b once up front rather than by
// doubling, which made encoding a 10,000-item catalogue six times slower
// than msgp (BenchmarkCatalogue_encode).
func marshalLean(d *document, b []byte) []byte {
	return d.appendMsg(slices.Grow(b, d.sizeHint()))
}

// sizeHint is an upper bound of the encoded size of d: every header and
// number at its widest, plus the bytes of every string.
func (d *document) sizeHint() int {
	n := 256 + len(d.ID) + stringsSize(d.Topics) + 5*len(d.Gram)
	p := &d.Policy
	n += 256 + len(p.Consent) + stringsSize(p.Pinned) + stringsSize(p.Excluded) + stringsSize(p.Sensitive)
	for _, sc := range p.SectionCaps {
		n += 24 + len(sc.Section)
	}
	cols := &d.Items
	n += 256 + stringsSize(cols.ID) + stringsSize(cols.URL) + stringsSize(cols.Title) +
		stringsSize(cols.Summary) + stringsSize(cols.Section) + stringsSize(cols.Term) +
		3*len(cols.TopicCount) + 3*len(cols.Topic) + 5*len(cols.Weight) + 3*len(cols.TermCount) +
		len(cols.Vector) + 5*len(cols.Scale) + 9*len(cols.Published) + 5*len(cols.Popularity)
	for _, t := range cols.Thumb {
		n += 5 + len(t)
	}
	return n
}

func stringsSize(s []string) int {
	n := 5
	for _, v := range s {
		n += 5 + len(v)
	}
	return n
}
