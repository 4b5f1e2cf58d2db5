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

// readMsg decodes c from r as Catalogue.UnmarshalMsg does. With a
// limiter it also enforces the limits prescan would, at each container
// (see limiter), and stops r at the first refusal.
func (c *Catalogue) readMsg(r *wire.Reader, l *limiter) {
	for n := r.MapHeader(); n > 0; n-- {
		switch key := r.Key(); string(key) {
		case "v":
			c.Version = r.Int()
		case "id":
			c.ID = r.String()
		case "gen":
			c.Generated = r.Int64()
		case "policy":
			c.Policy.readMsg(r, l)
		case "topics":
			c.Topics = readStrings(r, c.Topics, l, 1, key)
		case "dim":
			c.Dim = r.Int()
		case "gram":
			c.Gram = wire.Resize(c.Gram, l.array(r, 1, key))
			for i := range c.Gram {
				c.Gram[i] = r.Float32()
			}
		case "lambda":
			c.Lambda = r.Float32()
		case "items":
			c.Items = wire.Resize(c.Items, l.array(r, 1, key))
			for i := range c.Items {
				c.Items[i].readMsg(r, l)
			}
		default:
			l.skip(r, 1, key)
		}
	}
}

// appendMsg appends c as Catalogue.MarshalMsg does.
func (c *Catalogue) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 9)
	b = wire.AppendInt(wire.AppendString(b, "v"), c.Version)
	b = wire.AppendString(wire.AppendString(b, "id"), c.ID)
	b = wire.AppendInt64(wire.AppendString(b, "gen"), c.Generated)
	b = c.Policy.appendMsg(wire.AppendString(b, "policy"))
	b = wire.AppendStrings(wire.AppendString(b, "topics"), c.Topics)
	b = wire.AppendInt(wire.AppendString(b, "dim"), c.Dim)
	b = wire.AppendFloat32s(wire.AppendString(b, "gram"), c.Gram)
	b = wire.AppendFloat32(wire.AppendString(b, "lambda"), c.Lambda)
	b = wire.AppendArrayHeader(wire.AppendString(b, "items"), uint32(len(c.Items)))
	for i := range c.Items {
		b = c.Items[i].appendMsg(b)
	}
	return b
}

// readMsg decodes an item, one of the map elements of "items" (depth 2);
// its fields are at depth 3.
func (it *Item) readMsg(r *wire.Reader, l *limiter) {
	for n := r.MapHeader(); n > 0; n-- {
		switch key := r.Key(); string(key) {
		case "id":
			it.ID = r.String()
		case "url":
			it.URL = r.String()
		case "title":
			it.Title = r.String()
		case "sum":
			it.Summary = r.String()
		case "sec":
			it.Section = r.String()
		case "topics":
			it.Topics = wire.Resize(it.Topics, l.array(r, 3, key))
			for i := range it.Topics {
				it.Topics[i].readMsg(r)
			}
		case "terms":
			it.Terms = readStrings(r, it.Terms, l, 3, key)
		case "vec":
			it.Vector = r.Bytes(it.Vector)
		case "scale":
			it.Scale = r.Float32()
		case "pub":
			it.Published = r.Int64()
		case "pop":
			it.Popularity = r.Float32()
		case "thumb":
			it.Thumb = r.Bytes(it.Thumb)
		default:
			l.skip(r, 3, key)
		}
	}
}

func (it *Item) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 12)
	b = wire.AppendString(wire.AppendString(b, "id"), it.ID)
	b = wire.AppendString(wire.AppendString(b, "url"), it.URL)
	b = wire.AppendString(wire.AppendString(b, "title"), it.Title)
	b = wire.AppendString(wire.AppendString(b, "sum"), it.Summary)
	b = wire.AppendString(wire.AppendString(b, "sec"), it.Section)
	b = wire.AppendArrayHeader(wire.AppendString(b, "topics"), uint32(len(it.Topics)))
	for _, tw := range it.Topics {
		b = tw.appendMsg(b)
	}
	b = wire.AppendStrings(wire.AppendString(b, "terms"), it.Terms)
	b = wire.AppendBytes(wire.AppendString(b, "vec"), it.Vector)
	b = wire.AppendFloat32(wire.AppendString(b, "scale"), it.Scale)
	b = wire.AppendInt64(wire.AppendString(b, "pub"), it.Published)
	b = wire.AppendFloat32(wire.AppendString(b, "pop"), it.Popularity)
	b = wire.AppendBytes(wire.AppendString(b, "thumb"), it.Thumb)
	return b
}

// TopicWeight is a tuple: [topic, weight].
func (tw *TopicWeight) readMsg(r *wire.Reader) {
	r.Tuple(2)
	tw.Topic = r.Uint16()
	tw.Weight = r.Float32()
}

func (tw TopicWeight) appendMsg(b []byte) []byte {
	b = wire.AppendArrayHeader(b, 2)
	b = wire.AppendUint64(b, uint64(tw.Topic))
	return wire.AppendFloat32(b, tw.Weight)
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

// unmarshalLean decodes b into c with the lean codec and returns the bytes
// after the catalogue. Its strings share one copy of b: a catalogue lives
// as long as its strings, and one allocation instead of one per string
// (about 9 per item) makes decoding a 10,000-item catalogue about twice as
// fast (BenchmarkCatalogue_decode).
func unmarshalLean(c *Catalogue, b []byte) ([]byte, error) { return readLean(c, b, false) }

// readLean is unmarshalLean; with owned set, the catalogue's strings share
// b itself instead of a copy ([wire.Reader.ShareInput]).
func readLean(c *Catalogue, b []byte, owned bool) ([]byte, error) {
	r := wire.NewReader(b)
	if owned {
		r.ShareInput()
	} else {
		r.ShareStrings()
	}
	c.readMsg(r, nil)
	return r.Rest(), r.Err()
}

// readChecked decodes b into c with the lean codec, enforcing lim as it
// goes, so that the bytes are walked once: what [prescan] and the msgp
// decoder do in two walks. It refuses what they refuse, with the same
// errors, except that a document broken in two ways may be refused for
// the other one first (checked_test.go). With owned set, c may keep b.
//
// Size against speed: walking once costs the engine about 2.5 KB of brotli
// (564.5 -> 567.0 KB at 194c5fc) and takes about 16 ms off the first load of a 10k
// catalogue in the browser (prescan plus decoding 88 -> 72 ms, traced
// loads; under Node the first decode went from 85-93 to 47-75 ms).
func readChecked(c *Catalogue, b []byte, lim Limits, owned bool) error {
	r := wire.NewReader(b)
	if owned {
		r.ShareInput()
	} else {
		r.ShareStrings()
	}
	l := newLimiter(lim)
	c.readMsg(r, l)
	switch {
	case l.err != nil:
		return l.err
	case r.Err() != nil:
		return corrupt(r.Err())
	case len(r.Rest()) != 0:
		return trailing(len(r.Rest()))
	}
	return nil
}

// readStrings reads an array of str at depth under key, as r.Strings does.
func readStrings(r *wire.Reader, s []string, l *limiter, depth int, key []byte) []string {
	s = wire.Resize(s, l.array(r, depth, key))
	for i := range s {
		s[i] = r.String()
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

// marshalLean appends c to b, growing b once up front rather than by
// doubling, which made encoding a 10,000-item catalogue six times slower
// than msgp (BenchmarkCatalogue_encode).
func marshalLean(c *Catalogue, b []byte) []byte {
	return c.appendMsg(slices.Grow(b, c.sizeHint()))
}

// sizeHint is an upper bound of the encoded size of c: every header and
// number at its widest, plus the bytes of every string.
func (c *Catalogue) sizeHint() int {
	n := 256 + len(c.ID) + stringsSize(c.Topics) + 5*len(c.Gram)
	p := &c.Policy
	n += 256 + len(p.Consent) + stringsSize(p.Pinned) + stringsSize(p.Excluded) + stringsSize(p.Sensitive)
	for _, sc := range p.SectionCaps {
		n += 24 + len(sc.Section)
	}
	for i := range c.Items {
		it := &c.Items[i]
		n += 128 + len(it.ID) + len(it.URL) + len(it.Title) + len(it.Summary) + len(it.Section) +
			9*len(it.Topics) + stringsSize(it.Terms) + len(it.Vector) + len(it.Thumb)
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
