package catalog

import (
	"errors"
	"slices"
	"unsafe"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/scan"
	"github.com/hearth-dev/hearth/core/wire"
)

// Errors returned by [Decode] and [Catalogue.Validate]; test with errors.Is.
var (
	// ErrTooLarge means the catalogue exceeds a [Limits] bound.
	ErrTooLarge = errors.New("catalogue too large")
	// ErrCorrupt means the bytes are not a well-formed catalogue.
	ErrCorrupt = errors.New("catalogue corrupt")
	// ErrVersion means the catalogue has a format version this code cannot read.
	ErrVersion = errors.New("unsupported catalogue version")
	// ErrInvalid means the catalogue decoded but breaks a rule of the format.
	ErrInvalid = errors.New("invalid catalogue")
	// ErrPolicy means a policy field is out of range.
	ErrPolicy = errors.New("invalid policy")
)

// Limits bound what [DecodeLimits] accepts, so a hostile catalogue cannot
// exhaust the reader's memory. The zero value means the defaults noted on
// each field; a negative or zero field takes its default.
//
// The memory budget is the smaller of MaxMemory and MaxMemoryRatio times
// the encoded size, but never under 1 MiB: a small catalogue of short
// items decodes to more than 8 times its bytes (an item is 192 bytes in
// memory, its id, URL and title can be 7 on the wire), and 1 MiB is no
// threat. What decoding, [Catalogue.Validate] and the engine's ranking
// index (rank.New) will allocate is charged before it is allocated, so a
// small file cannot make the reader allocate much (docs/catalogue.md).
type Limits struct {
	MaxBytes         int // encoded size, default 64 MiB
	MaxMemory        int // decoded size, default 128 MiB
	MaxMemoryRatio   int // decoded size per encoded byte, default 8
	MaxItems         int // default 200,000
	MaxTopics        int // vocabulary size, default 65,536 (indices are uint16)
	MaxTopicsPerItem int // default 32
	MaxTermsPerItem  int // default 64
	MaxDim           int // vector dimension, default 256
	MaxString        int // id, URL, title, section, topic, term bytes, default 2 KiB
	MaxSummary       int // summary bytes, default 16 KiB
	MaxThumb         int // inline thumbnail bytes, default 32 KiB
	MaxPolicyList    int // pinned, excluded, sensitive, caps entries, default 10,000
}

// Default limits; see [Limits].
const (
	DefaultMaxBytes         = 64 << 20
	DefaultMaxMemory        = 128 << 20
	DefaultMaxMemoryRatio   = 8
	DefaultMaxItems         = 200_000
	DefaultMaxTopics        = 1 << 16
	DefaultMaxTopicsPerItem = 32
	DefaultMaxTermsPerItem  = 64
	DefaultMaxDim           = 256
	DefaultMaxString        = 2 << 10
	DefaultMaxSummary       = 16 << 10
	DefaultMaxThumb         = 32 << 10
	DefaultMaxPolicyList    = 10_000
)

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxBytes, DefaultMaxBytes)
	def(&l.MaxMemory, DefaultMaxMemory)
	def(&l.MaxMemoryRatio, DefaultMaxMemoryRatio)
	def(&l.MaxItems, DefaultMaxItems)
	def(&l.MaxTopics, DefaultMaxTopics)
	def(&l.MaxTopicsPerItem, DefaultMaxTopicsPerItem)
	def(&l.MaxTermsPerItem, DefaultMaxTermsPerItem)
	def(&l.MaxDim, DefaultMaxDim)
	def(&l.MaxString, DefaultMaxString)
	def(&l.MaxSummary, DefaultMaxSummary)
	def(&l.MaxThumb, DefaultMaxThumb)
	def(&l.MaxPolicyList, DefaultMaxPolicyList)
	l.MaxTopics = min(l.MaxTopics, DefaultMaxTopics)
	return l
}

// Decode decodes a catalogue with the default [Limits], validates it and
// builds its id index. See [DecodeLimits].
func Decode(b []byte) (*Catalogue, error) {
	return DecodeLimits(b, Limits{})
}

// DecodeOwned is [Decode] for bytes that the caller gives up: the
// catalogue may keep b itself, its strings sharing b's memory instead of a
// copy, so b must never change afterwards. The engine decodes
// the catalogue it was handed this way, saving a copy of the whole input.
func DecodeOwned(b []byte) (*Catalogue, error) {
	return decode(b, Limits{}, true)
}

// DecodeLimits decodes a catalogue. It refuses the bytes before decoding
// when their size or the element counts their headers claim exceed lim, and
// after decoding when a string or vector does; then it runs
// [Catalogue.Validate]. Errors wrap ErrTooLarge, ErrCorrupt, ErrVersion or
// ErrInvalid.
func DecodeLimits(b []byte, lim Limits) (*Catalogue, error) {
	return decode(b, lim, false)
}

// decode reads catalogues with the lean codec generated into
// catalog_lean_gen.go in every build (readChecked): msgp's generated
// decoder, which ordinary builds used before, takes a float32 only where
// the format has one, and so refused a catalogue re-encoded by a standard
// MessagePack library, which writes 554 as an integer (docs/catalogue.md).
// msgp's codec stays the reference encoder and the tests' oracle.
func decode(b []byte, lim Limits, owned bool) (*Catalogue, error) {
	return decodeWith(b, lim, owned, readChecked)
}

// decodeWith is decode with the limited decoding given, so that tests run
// the msgp reference (checked_test.go) through the same checks.
func decodeWith(b []byte, lim Limits, owned bool, unmarshalLimited func([]byte, Limits, bool) (*Catalogue, error)) (*Catalogue, error) {
	lim = lim.withDefaults()
	if len(b) > lim.MaxBytes {
		return nil, errfmt.Wrap("decode catalogue: ", ErrTooLarge, ": "+errfmt.Itoa(len(b))+" bytes, limit "+errfmt.Itoa(lim.MaxBytes))
	}
	c, err := unmarshalLimited(b, lim, owned)
	if err != nil {
		return nil, errfmt.Wrap("decode catalogue: ", err, "")
	}
	if c.Version != FormatVersion {
		return nil, errfmt.Wrap("decode catalogue: ", versionError(c.Version), "")
	}
	if err := c.checkLimits(lim); err != nil {
		return nil, errfmt.Wrap("decode catalogue: ", err, "")
	}
	if err := c.Validate(); err != nil {
		return nil, errfmt.Wrap("decode catalogue: ", err, "")
	}
	return c, nil
}

// FormatOf returns the format version a catalogue's bytes declare, or 0
// when they declare none (or are not a map, which decoding then reports).
// The builder reads it to upgrade a catalogue of an older format.
func FormatOf(b []byte) int {
	r := wire.NewReader(b)
	for n := r.MapHeader(); n > 0 && r.Err() == nil; n-- {
		if string(r.Key()) == "v" {
			return r.Int()
		}
		r.Skip()
	}
	return 0
}

// formatError is err of a codec that failed to decode b, unless b declares
// an older format: its layout fails to decode as this one's, and the error
// then says which format it is rather than that the bytes are corrupt.
// (A later format's layout is unknown here: its bytes may well be corrupt.)
func formatError(b []byte, err error) error {
	if v := FormatOf(b); v > 0 && v < FormatVersion && !errors.Is(err, ErrTooLarge) {
		return versionError(v)
	}
	return err
}

// versionError is the error of a catalogue in format v.
func versionError(v int) error {
	msg := " " + errfmt.Itoa(v) + " (this code reads " + errfmt.Itoa(FormatVersion) + ")"
	if v < FormatVersion && v > 0 {
		msg += ": rebuild the catalogue with this release's hearth-catalog (its -previous reads the old format)"
	}
	return errfmt.Wrap("", ErrVersion, msg)
}

// trailing is the error of n bytes after the catalogue.
func trailing(n int) error {
	return errfmt.Wrap("", ErrCorrupt, ": "+errfmt.Itoa(n)+" trailing bytes")
}

// corrupt is the error of bytes a codec could not decode.
func corrupt(err error) error { return errfmt.Wrap("", ErrCorrupt, ": "+err.Error()) }

// Encode returns the reference MessagePack encoding of c.
func (c *Catalogue) Encode() ([]byte, error) {
	var b []byte
	d, err := c.document()
	if err == nil {
		b, err = marshalMsg(d, nil)
	}
	if err != nil {
		return nil, errfmt.Wrap("encode catalogue: ", err, "")
	}
	return b, nil
}

// What each element of a catalogue costs once decoded (64-bit, as in the
// wasm), charged to the memory budget before it is allocated: a header
// costs little on the wire and much in memory. Each covers what decoding,
// Validate and rank.New allocate for the element, measured with Go's
// allocation counters (TestDecode_chargesWhatItAllocates holds them to
// it). The strings' bytes are not charged one by one: they share one copy
// of the input (or the input itself), charged once.
const (
	sizeString = 16
	sizeSlice  = 24 // a []byte, a section cap
	sizeFloat  = 4
	sizeNumber = 8 // the widest per-item number, pub's int64
	// An item: its id, the Item, its slots in the id table (Validate: at
	// most four slots of 4 bytes) and rank.New's arrays (vectors apart:
	// see decoded).
	sizeItem = sizeString + int(unsafe.Sizeof(Item{})) + 16 + 64
	// A vocabulary topic: its name and its entries in Validate's and
	// rank.New's maps of names.
	sizeTopic = sizeString + 128
	// A section: its name (rank.New tells apart only the policy's capped
	// sections).
	sizeSection = sizeString
	// An item's topic, charged on both the topic and the weight column:
	// the two numbers, the TopicWeight built from them and rank.New's
	// copies (grown by append).
	sizeItemTopic = (2 + 4 + int(unsafe.Sizeof(TopicWeight{})) + 32) / 2
	// A policy entry and rank.New's list of pinned items.
	sizePolicy = sizeSlice + 24
	// The catalogue itself: its structs, the engine's, their small maps
	// and large allocations rounded up to whole pages.
	sizeCatalogue = 32 << 10
)

// limiter enforces [Limits] on the containers of a catalogue as a decoder
// meets them, before it allocates their elements: the element counts of
// the known arrays and a budget for the memory their elements will take.
// The lean codec generated into catalog_lean_gen.go calls it at each array
// header and unknown field (array and skip), so decoding walks the bytes
// once; the tests' reference, prescan (checked_test.go), runs it over the
// whole document before msgp's generated decoder, which trusts array
// headers. Once the document is read, decoded charges what its values
// decide.
type limiter struct {
	lim    Limits
	max    [len(bounds)]int // the largest count of each limit, from lim
	total  int              // the budget, for messages
	budget int              // what is left of it
	err    error            // the lean codec's first refusal
}

// minMemory is the least budget, whatever the ratio (see [Limits]).
const minMemory = 1 << 20

// newLimiter returns the limiter of a catalogue of size bytes, whose
// copy (or the input itself, with DecodeOwned) its strings share.
func newLimiter(lim Limits, size int) *limiter {
	total := min(lim.MaxMemory, max(minMemory, lim.MaxMemoryRatio*size))
	l := &limiter{lim: lim, total: total, budget: total - size - sizeCatalogue}
	l.max = [len(bounds)]int{
		limitTopics:     lim.MaxTopics,
		limitGram:       lim.MaxDim * lim.MaxDim,
		limitItems:      lim.MaxItems,
		limitColumn:     lim.MaxItems,
		limitSections:   lim.MaxItems,
		limitNumbers:    lim.MaxItems,
		limitItemTopics: lim.MaxItems * lim.MaxTopicsPerItem,
		limitItemTerms:  lim.MaxItems * lim.MaxTermsPerItem,
		limitPolicyList: lim.MaxPolicyList,
	}
	return l
}

// limit names the bound of an array of a catalogue. Every array field of
// the wire types in catalog.go names its own in a limit tag
// (`limit:"items"` is limitItems), and limitOf, generated from those tags
// into catalog_lean_gen.go, finds it by depth and key: prescan, which sees
// only depths and keys, and the lean decoder share that one table.
type limit uint8

const (
	limitNone       limit = iota
	limitTopics           // the vocabulary
	limitGram             // YᵀY, Dim² values
	limitItems            // the id column: counts the items and pays for them
	limitColumn           // another per-item column, of strings or bins
	limitSections         // the section column
	limitNumbers          // a per-item column of numbers
	limitItemTopics       // the topics of all items (topic, weight)
	limitItemTerms        // the terms of all items
	limitPolicyList       // a list of the policy
)

// bounds are how each limit words its refusal, "<before>n<after>, limit
// max" (keyed: before is followed by the array's key and " has "), the
// bytes each element is charged, and what the budget names. One table and
// refusal instead of a call per limit: 1.5 KB less code, 0.3 KB less of
// the engine's brotli.
var bounds = [...]struct {
	before, after string
	keyed         bool
	size          int
	what          string
}{
	limitTopics:     {"", " topics in the vocabulary", false, sizeTopic, "topics"},
	limitGram:       {"gram has ", " values", false, sizeFloat + 8, "gram"}, // rank.New's float64 copy
	limitItems:      {"", " items", false, sizeItem, "items"},
	limitColumn:     {"column ", " entries", true, sizeSlice, "items"},
	limitSections:   {"column ", " entries", true, sizeSection, "items"},
	limitNumbers:    {"column ", " entries", true, sizeNumber, "items"},
	limitItemTopics: {"items have ", " topics", false, sizeItemTopic, "item topics"},
	limitItemTerms:  {"items have ", " terms", false, sizeString, "item terms"},
	limitPolicyList: {"policy ", " entries", true, sizePolicy, "policy"},
}

func (l *limiter) spend(n, size int, what string) error {
	l.budget -= n * size
	if l.budget < 0 {
		return errfmt.Wrap("", ErrTooLarge, ": "+what+": decoded size over the "+errfmt.Itoa(l.total)+"-byte budget")
	}
	return nil
}

// decoded charges, once the document is read, what its values decide:
// rank.New's float32 copy of the vectors, dim for every item whether it
// has a vector or not, and the bins, which the reader copied as it met
// them (at most the input again, so they could not amplify it).
func (l *limiter) decoded(d *document) error {
	n := len(d.Items.Vector)
	for _, t := range d.Items.Thumb {
		n += len(t)
	}
	if d.Dim > 0 && d.Dim <= l.lim.MaxDim {
		n += len(d.Items.ID) * d.Dim * sizeFloat
	}
	return l.spend(n, 1, "vectors")
}

// visit is a [scan.Visitor]: depth 0 is the catalogue's map, 1 its fields,
// 2 the item columns and the policy's fields, 3 their entries. Every map
// here decodes into a fixed struct, whose unknown keys are skipped, so a
// map costs nothing beyond its owner. An unknown array at depth 2, beside
// the columns and the policy's lists, is held to a policy list's limit;
// other unknown arrays only to the budget their walk must fit in. An array
// over its limit is refused, then the budget is charged for its elements.
//
//go:noinline
func (l *limiter) visit(depth int, key []byte, n int, isMap bool) error {
	if isMap {
		return nil
	}
	which := limitOf(depth, string(key))
	if which == limitNone && depth == 2 {
		which = limitPolicyList
	}
	if which == limitNone {
		return nil
	}
	b := &bounds[which]
	if max := l.max[which]; n > max {
		before := b.before
		if b.keyed {
			before += string(key) + " has "
		}
		return errfmt.Wrap("", ErrTooLarge, ": "+before+errfmt.Itoa(n)+b.after+", limit "+errfmt.Itoa(max))
	}
	return l.spend(n, b.size, b.what)
}

// array reads an array header at depth under key and checks its count as
// prescan would, before the caller allocates; a nil limiter checks nothing.
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

// maxNesting bounds how deep a catalogue's containers nest: a policy's
// section cap is the deepest (3); deeper containers can only be unknown
// fields.
const maxNesting = 8

// scanError classifies an error of a walk.
func scanError(err error, rest []byte) error {
	switch {
	case errors.Is(err, ErrTooLarge):
		return err
	case err != nil:
		return errfmt.Wrap("", ErrCorrupt, ": "+err.Error())
	case len(rest) != 0:
		return trailing(len(rest))
	}
	return nil
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
// that the bytes are walked once: what prescan and the msgp decoder do in
// two walks. It refuses what they refuse, with the same errors, except
// that a document broken in two ways may be refused for the other one
// first, and it reads any number that converts where msgp wants one kind
// (checked_test.go). With owned set, the catalogue may keep b.
//
// Size against speed: walking once costs the engine about 2.5 KB of brotli
// (564.5 -> 567.0 KB at 194c5fc) and takes about 16 ms off the first load of a 10k
// catalogue in the browser (prescan plus decoding 88 -> 72 ms, traced
// loads; under Node the first decode went from 85-93 to 47-75 ms).
func readChecked(b []byte, lim Limits, owned bool) (*Catalogue, error) {
	return readLimited(b, owned, newLimiter(lim, len(b)))
}

// readLimited is readChecked with its limiter given: tests read what it
// charged.
func readLimited(b []byte, owned bool, l *limiter) (*Catalogue, error) {
	r := newReader(b, owned)
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
	if err := l.decoded(&d); err != nil {
		return nil, err
	}
	return d.catalogue()
}

// marshalLean appends d to b with the lean codec, growing b once up front
// rather than by doubling, which made encoding a 10,000-item catalogue six
// times slower than msgp (BenchmarkCatalogue_encode).
func marshalLean(d *document, b []byte) []byte {
	return d.appendMsg(slices.Grow(b, d.sizeHint()))
}

// checkLimits bounds what the prescan does not see: string and vector sizes.
func (c *Catalogue) checkLimits(lim Limits) error {
	if c.Dim < 0 || c.Dim > lim.MaxDim {
		return errfmt.Wrap("", ErrTooLarge, ": dim "+errfmt.Itoa(c.Dim)+", limit "+errfmt.Itoa(lim.MaxDim))
	}
	if len(c.ID) > lim.MaxString {
		return errfmt.Wrap("", ErrTooLarge, ": id is "+errfmt.Itoa(len(c.ID))+" bytes, limit "+errfmt.Itoa(lim.MaxString))
	}
	for i, t := range c.Topics {
		if len(t) > lim.MaxString {
			return errfmt.Wrap("", ErrTooLarge, ": topic "+errfmt.Itoa(i)+" is "+errfmt.Itoa(len(t))+" bytes, limit "+errfmt.Itoa(lim.MaxString))
		}
	}
	for i := range c.Items {
		if err := c.Items[i].checkLimits(i, lim); err != nil {
			return err
		}
	}
	return nil
}

// checkLimits bounds item i's strings and vector. A function of its own,
// not the body of the catalogue's loop, so that the browser optimises it
// after some items (see rank.Engine.addItem).
//
//go:noinline
func (it *Item) checkLimits(i int, lim Limits) error {
	long := func(field string, n, limit int) error {
		if n > limit {
			return errfmt.Wrap("", ErrTooLarge, ": "+itemName(i, it)+": "+field+" is "+errfmt.Itoa(n)+" bytes, limit "+errfmt.Itoa(limit))
		}
		return nil
	}
	// The first field over its limit is the error. (errors.Join of
	// every field's check cost an allocation per item and 0.9 KB of
	// the engine's brotli.)
	for _, f := range [...]struct {
		name     string
		n, limit int
	}{
		{"id", len(it.ID), lim.MaxString},
		{"url", len(it.URL), lim.MaxString},
		{"title", len(it.Title), lim.MaxString},
		{"section", len(it.Section), lim.MaxString},
		{"summary", len(it.Summary), lim.MaxSummary},
		{"thumb", len(it.Thumb), lim.MaxThumb},
		{"vec", len(it.Vector), lim.MaxDim},
	} {
		if err := long(f.name, f.n, f.limit); err != nil {
			return err
		}
	}
	for _, term := range it.Terms {
		if err := long("term", len(term), lim.MaxString); err != nil {
			return err
		}
	}
	// The columns' lengths were bounded for all items together; the
	// limits per item are checked here.
	switch {
	case len(it.Topics) > lim.MaxTopicsPerItem:
		return errfmt.Wrap("", ErrTooLarge, ": "+itemName(i, it)+": "+errfmt.Itoa(len(it.Topics))+" topics, limit "+errfmt.Itoa(lim.MaxTopicsPerItem))
	case len(it.Terms) > lim.MaxTermsPerItem:
		return errfmt.Wrap("", ErrTooLarge, ": "+itemName(i, it)+": "+errfmt.Itoa(len(it.Terms))+" terms, limit "+errfmt.Itoa(lim.MaxTermsPerItem))
	}
	return nil
}

// clip shortens an id for an error message, so a hostile id cannot flood logs.
// Not inlined: about 10 calls, all on error paths.
//
//go:noinline
func clip(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
