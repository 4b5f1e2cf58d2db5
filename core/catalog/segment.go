package catalog

import (
	"cmp"
	"slices"
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
// the catalogue they make. Items come in the order a build gives them,
// newest first, then by id. With owned set the catalogue may keep b, as
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
	var segs []*Catalogue
	var removed [][]string
	var c *Catalogue
	for n := 0; n == 0 || len(r.Rest()) != 0; n++ {
		var d document
		d.readMsg(r, l)
		switch {
		case l.err != nil:
			return nil, formatError(b, l.err)
		case r.Err() != nil:
			return nil, formatError(b, corrupt(r.Err()))
		}
		if err := l.decoded(&d); err != nil {
			return nil, err
		}
		doc, err := d.catalogue()
		if err != nil {
			return nil, err
		}
		if d.Version != FormatVersion {
			return nil, versionError(d.Version)
		}
		if err := doc.checkLimits(lim); err != nil {
			return nil, err
		}
		if n == 0 {
			if d.Base != "" {
				return nil, errfmt.Wrap("", ErrInvalid, ": a segment of "+errfmt.Quote(clip(d.Base))+" without its base")
			}
			c = doc
			continue
		}
		at := "segment " + strconv.Itoa(n) + ": "
		switch {
		case d.Base != c.ID:
			return nil, errfmt.Wrap("", ErrInvalid, ": "+at+"extends "+errfmt.Quote(clip(d.Base))+", not "+errfmt.Quote(clip(c.ID)))
		case d.Dim != c.Dim || len(d.Gram) != 0:
			return nil, errfmt.Wrap("", ErrInvalid, ": "+at+"dim "+strconv.Itoa(d.Dim)+" and "+strconv.Itoa(len(d.Gram))+" gram values, want the base's dim "+strconv.Itoa(c.Dim)+" and none")
		}
		segs = append(segs, doc)
		removed = append(removed, d.Removed)
	}
	if len(segs) == 0 {
		return c, c.Validate()
	}
	// The newest segment's items first; an item a later segment removed or
	// replaced is gone from the earlier documents.
	gone := map[string]bool{}
	var items []Item
	for k := len(segs) - 1; k >= -1; k-- {
		doc := c
		if k >= 0 {
			doc = segs[k]
		}
		for _, it := range doc.Items {
			if !gone[it.ID] {
				items = append(items, it)
			}
		}
		if k < 0 {
			break
		}
		for _, it := range doc.Items {
			gone[it.ID] = true
		}
		for _, id := range removed[k] {
			gone[id] = true
		}
	}
	if len(items) > lim.MaxItems {
		return nil, errfmt.Wrap("", ErrTooLarge, ": "+strconv.Itoa(len(items))+" items, limit "+strconv.Itoa(lim.MaxItems))
	}
	// A build orders items so; segments of a build keep that order but
	// for items dated before those already published.
	newest := func(a, b Item) int { return cmp.Or(cmp.Compare(b.Published, a.Published), cmp.Compare(a.ID, b.ID)) }
	if !slices.IsSortedFunc(items, newest) {
		slices.SortStableFunc(items, newest)
	}
	c.Items = items
	for _, s := range segs {
		c.Topics = append(c.Topics, s.Topics...)
		if s.Policy.Consent != "" {
			c.Policy = s.Policy
		}
		c.ID, c.Generated = s.ID, s.Generated
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
