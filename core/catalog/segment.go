package catalog

import (
	"strconv"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
)

// A catalogue may travel as a base and segments: the base is an ordinary
// catalogue, each segment a document of the same format that names the
// base's id in its "base" field and carries only what changed since the
// documents before it. A segment's items are added (an item whose id an
// earlier document has replaces it), the ids in its "removed" field are
// removed, its topics are appended to the vocabulary, its "gen" and "id"
// become the catalogue's, and its policy replaces the one before it when it
// names a consent mode (a policy without one, such as the zero policy,
// keeps the one before). A segment has the base's dim and no gram. The
// reader concatenates the files in order and decodes them at once
// ([DecodeChain]); docs/serving.md describes the files and their caching.

// Segment is a segment in its decoded form, for builders: [Segment.Encode]
// writes it.
type Segment struct {
	ID        string
	Base      string // the base catalogue's id
	Generated int64  // Unix seconds
	Policy    Policy // replaces the policy before it when Policy.Consent is set
	Topics    []string
	Dim       int
	Items     []Item // new and replaced items; their topics index the vocabulary with Topics appended
	Removed   []string
}

// Encode returns the segment's encoding.
func (s *Segment) Encode() ([]byte, error) {
	c := &Catalogue{Version: FormatVersion, ID: s.ID, Generated: s.Generated, Policy: s.Policy,
		Topics: s.Topics, Dim: s.Dim, Items: s.Items}
	d, err := c.document()
	if err == nil {
		d.Base, d.Removed = s.Base, s.Removed
		if d.Base == "" {
			err = errfmt.Wrap("", ErrInvalid, ": a segment names its base")
		}
	}
	var b []byte
	if err == nil {
		b, err = marshalMsg(d, nil)
	}
	if err != nil {
		return nil, errfmt.Wrap("encode segment: ", err, "")
	}
	return b, nil
}

// DecodeChain decodes a base catalogue followed by any number of its
// segments, concatenated, with the limits of [DecodeLimits] applied to the
// whole: the size and memory budget to all the bytes, the item count to
// the catalogue they make. A replaced item keeps its place; new items
// come in the documents' order, the last segment's first and the base's
// last, each document's in its own order: a build's order (newest first,
// then by id) whenever each segment's new items are newer than those before
// it, as a news site's are. A new item dated before those of an earlier
// document is ranked the same but comes earlier where catalogue order
// decides (related mode's ties); sorting here would cost the engine 2.4 KB
// of brotli. With owned set the
// catalogue may keep b, as
// with [DecodeOwned]. Bytes holding one catalogue decode as with
// [DecodeLimits].
func DecodeChain(b []byte, lim Limits, owned bool) (*Catalogue, error) {
	c, err := decodeChain(b, lim.withDefaults(), owned)
	if err != nil {
		return nil, errfmt.Wrap("decode catalogue: ", err, "")
	}
	return c, nil
}

func decodeChain(b []byte, lim Limits, owned bool) (*Catalogue, error) {
	if len(b) > lim.MaxBytes {
		return nil, errfmt.Wrap("", ErrTooLarge, ": "+strconv.Itoa(len(b))+" bytes, limit "+strconv.Itoa(lim.MaxBytes))
	}
	l := newLimiter(lim, len(b))
	r := newReader(b, owned)
	var c *Catalogue
	var base string
	// where holds each live item's position, k<<32 | i for item i of
	// document k: a removed item has -1, a replaced one keeps its place.
	var lists [][]Item
	var where map[string]int
	for k := 0; k == 0 || len(r.Rest()) != 0; k++ {
		var d document
		d.readMsg(r, l)
		err := l.err
		if err == nil && r.Err() != nil {
			err = corrupt(r.Err())
		}
		if err == nil {
			err = l.decoded(&d)
		}
		var doc *Catalogue
		if err == nil {
			doc, err = d.catalogue()
		}
		if err == nil && d.Version != FormatVersion {
			err = versionError(d.Version)
		}
		if err == nil {
			err = doc.checkLimits(lim)
		}
		if err == nil && ((k == 0) != (d.Base == "") || k > 0 && (d.Base != base || d.Dim != c.Dim || len(d.Gram) != 0)) {
			err = errfmt.Wrap("", ErrInvalid, ": document "+strconv.Itoa(k)+" (base "+errfmt.Quote(clip(d.Base))+", dim "+strconv.Itoa(d.Dim)+
				"): want a base, then segments that name it, with its dim and no gram")
		}
		if err != nil {
			return nil, formatError(b, err)
		}
		if k == 0 {
			c, base = doc, doc.ID
			lists = [][]Item{c.Items}
			continue
		}
		if where == nil {
			// Only a chain needs the positions: a lone base (most
			// loads) is spared a map of every item.
			where = make(map[string]int, len(c.Items))
			for i, it := range c.Items {
				where[it.ID] = i
			}
		}
		for _, id := range d.Removed {
			where[id] = -1
		}
		lists = append(lists, nil)
		for _, it := range doc.Items {
			if w, ok := where[it.ID]; ok && w >= 0 {
				lists[w>>32][w&(1<<32-1)] = it
				continue
			}
			where[it.ID] = k<<32 | len(lists[k])
			lists[k] = append(lists[k], it)
		}
		c.Topics = append(c.Topics, doc.Topics...)
		if doc.Policy.Consent != "" {
			c.Policy = doc.Policy
		}
		c.ID, c.Generated = doc.ID, doc.Generated
	}
	if len(lists) > 1 {
		var items []Item
		for k := len(lists) - 1; k >= 0; k-- {
			for i, it := range lists[k] {
				if w, ok := where[it.ID]; ok && w == k<<32|i {
					items = append(items, it)
				}
			}
		}
		if len(items) > lim.MaxItems {
			return nil, errfmt.Wrap("", ErrTooLarge, ": "+strconv.Itoa(len(items))+" items, limit "+strconv.Itoa(lim.MaxItems))
		}
		c.Items = items
	}
	return c, c.Validate()
}

// DecodeSegment decodes one segment alone, for builders that merge
// segments: the limits of [DecodeLimits] apply, and its items are checked
// as [Catalogue.Validate] checks items, but for their topics, which index
// a vocabulary the segment alone does not hold.
func DecodeSegment(b []byte, lim Limits) (*Segment, error) {
	lim = lim.withDefaults()
	if len(b) > lim.MaxBytes {
		return nil, errfmt.Wrap("decode segment: ", ErrTooLarge, ": "+strconv.Itoa(len(b))+" bytes, limit "+strconv.Itoa(lim.MaxBytes))
	}
	l := newLimiter(lim, len(b))
	r := newReader(b, false)
	var d document
	d.readMsg(r, l)
	err := l.err
	switch {
	case err != nil:
	case r.Err() != nil:
		err = corrupt(r.Err())
	case len(r.Rest()) != 0:
		err = trailing(len(r.Rest()))
	case d.Version != FormatVersion:
		err = versionError(d.Version)
	case d.Base == "":
		err = errfmt.Wrap("", ErrInvalid, ": no base: a catalogue, not a segment")
	default:
		err = l.decoded(&d)
	}
	var c *Catalogue
	if err == nil {
		c, err = d.catalogue()
	}
	if err == nil {
		err = c.checkLimits(lim)
	}
	if err == nil {
		// Validate the items against a vocabulary as large as indices go.
		v := *c
		v.Topics = make([]string, DefaultMaxTopics)
		for k := range v.Topics {
			v.Topics[k] = strconv.Itoa(k)
		}
		err = v.Validate()
	}
	if err != nil {
		return nil, errfmt.Wrap("decode segment: ", err, "")
	}
	return &Segment{ID: d.ID, Base: d.Base, Generated: d.Generated, Policy: d.Policy, Topics: d.Topics, Dim: d.Dim,
		Items: c.Items, Removed: d.Removed}, nil
}
