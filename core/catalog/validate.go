package catalog

import (
	"math"
	"strconv"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/fold"
	"github.com/hearth-dev/hearth/core/internal/str"
)

// Publication times an item may carry, in Unix seconds: the years 1900 to
// 9999. A date outside is a mistake (a year 0, a time in milliseconds), and
// keeping dates within them keeps the engine's freshness arithmetic far
// from int64 overflow.
const (
	MinPublished = -2_208_988_800  // 1900-01-01T00:00:00Z
	MaxPublished = 253_402_300_799 // 9999-12-31T23:59:59Z
)

// Validate checks the rules of the format that decoding alone does not:
// unique non-empty ids, safe URLs, vector lengths equal to Dim, topic
// indices inside the vocabulary, weights and priors in range, publication
// times within [MinPublished, MaxPublished], finite numbers, and a valid
// policy. Errors wrap ErrInvalid (or ErrPolicy) and name the item index,
// id and field. On success it builds the id index [Catalogue.Find] uses,
// so call it after building a catalogue in memory.
func (c *Catalogue) Validate() error {
	if c.Dim < 0 || c.Dim > DefaultMaxDim {
		return errfmt.Wrap("", ErrInvalid, ": dim "+errfmt.Itoa(c.Dim)+" out of [0, "+errfmt.Itoa(DefaultMaxDim)+"]")
	}
	if len(c.Topics) > DefaultMaxTopics {
		return errfmt.Wrap("", ErrInvalid, ": "+errfmt.Itoa(len(c.Topics))+" topics, more than uint16 indices address")
	}
	if len(c.Gram) != 0 && len(c.Gram) != c.Dim*c.Dim {
		return errfmt.Wrap("", ErrInvalid, ": gram has "+errfmt.Itoa(len(c.Gram))+" values, want dim² = "+errfmt.Itoa(c.Dim*c.Dim))
	}
	for k, g := range c.Gram {
		if !finite(g) {
			return errfmt.Wrap("", ErrInvalid, ": gram["+errfmt.Itoa(k)+"] is "+errfmt.Float(g))
		}
	}
	if !finite(c.Lambda) || c.Lambda < 0 {
		return errfmt.Wrap("", ErrInvalid, ": lambda "+errfmt.Float(c.Lambda)+", want a finite value >= 0")
	}
	if len(c.Gram) != 0 && c.Lambda == 0 {
		return errfmt.Wrap("", ErrInvalid, ": lambda must be > 0 when gram is set")
	}
	seenTopic := make(map[string]struct{}, len(c.Topics))
	for i, t := range c.Topics {
		if t == "" {
			return errfmt.Wrap("", ErrInvalid, ": topic "+errfmt.Itoa(i)+" is empty")
		}
		if _, dup := seenTopic[t]; dup {
			return errfmt.Wrap("", ErrInvalid, ": topic "+errfmt.Itoa(i)+" "+errfmt.Quote(clip(t))+" appears twice in the vocabulary")
		}
		seenTopic[t] = struct{}{}
	}
	if err := c.Policy.Validate(); err != nil {
		return err
	}
	index := newIDs(len(c.Items))
	for i := range c.Items {
		if err := c.validateItem(i); err != nil {
			return err
		}
		if j, fresh := index.add(c.Items, i); !fresh {
			return errfmt.Wrap("", ErrInvalid, ": item "+errfmt.Itoa(i)+" "+errfmt.Quote(clip(c.Items[i].ID))+": id: duplicate of item "+errfmt.Itoa(j))
		}
	}
	c.index = index
	return nil
}

func (c *Catalogue) validateItem(i int) error {
	it := &c.Items[i]
	if it.ID == "" {
		return itemError(i, it.ID, "id", "empty")
	}
	if hasControl(it.ID) {
		return itemError(i, it.ID, "id", "contains control characters")
	}
	if reason := checkURL(it.URL); reason != "" {
		return itemError(i, it.ID, "url", reason)
	}
	if !c.Policy.AllowsURL(it.URL) {
		return itemError(i, it.ID, "url", "host "+errfmt.Quote(clip(URLHost(it.URL)))+" is not one of the policy's hosts")
	}
	if blank(it.Title) {
		return itemError(i, it.ID, "title", "empty")
	}
	if n := len(it.Vector); n != 0 && n != c.Dim {
		return itemError(i, it.ID, "vec", errfmt.Itoa(n)+" values, want dim "+errfmt.Itoa(c.Dim))
	}
	if !finite(it.Scale) || it.Scale < 0 {
		return itemError(i, it.ID, "scale", errfmt.Float(it.Scale)+", want a finite value >= 0")
	}
	if len(it.Vector) != 0 && it.Scale == 0 {
		return itemError(i, it.ID, "scale", "0 with a vector")
	}
	if !finite(it.Popularity) || it.Popularity < 0 || it.Popularity > 1 {
		return itemError(i, it.ID, "pop", errfmt.Float(it.Popularity)+" out of [0, 1]")
	}
	if it.Published < MinPublished || it.Published > MaxPublished {
		return itemError(i, it.ID, "pub", strconv.FormatInt(it.Published, 10)+" out of [MinPublished, MaxPublished] (years 1900 to 9999)")
	}
	for k, tw := range it.Topics {
		if int(tw.Topic) >= len(c.Topics) {
			return itemError(i, it.ID, "topics", "entry "+errfmt.Itoa(k)+": topic index "+errfmt.Itoa(int(tw.Topic))+", vocabulary has "+errfmt.Itoa(len(c.Topics)))
		}
		if !finite(tw.Weight) || tw.Weight <= 0 || tw.Weight > 1 {
			return itemError(i, it.ID, "topics", "entry "+errfmt.Itoa(k)+": weight "+errfmt.Float(tw.Weight)+" out of (0, 1]")
		}
		for _, prev := range it.Topics[:k] {
			if prev.Topic == tw.Topic {
				return itemError(i, it.ID, "topics", "entry "+errfmt.Itoa(k)+": topic "+errfmt.Itoa(int(tw.Topic))+" repeated")
			}
		}
	}
	return nil
}

// checkURL accepts absolute http(s) URLs and root-relative paths only: a
// recommendation becomes a link in the publisher's page, and a javascript:
// or data: URL there would run in it.
func checkURL(u string) string {
	switch {
	case u == "":
		return "empty"
	case hasAny(u, &urlRefusedBits):
		return "contains spaces, quotes, backslashes or control characters"
	case str.HasPrefix(u, "https://"), str.HasPrefix(u, "http://"):
		host := u[str.IndexByte(u, ':')+len("://"):]
		if host == "" || host[0] == '/' || host[0] == '?' || host[0] == '#' {
			return "no host"
		}
		return ""
	case str.HasPrefix(u, "//"):
		return "scheme-relative URLs are not allowed"
	case str.HasPrefix(u, "/"):
		return ""
	}
	return "want an http(s) URL or a path starting with /"
}

// URLHost returns the host an absolute http(s) URL names, as written
// (compare hosts with strings.EqualFold), without user information and
// port, as a browser reads it from a URL checkURL accepts; "" for a
// site-relative URL or anything else.
func URLHost(u string) string {
	var rest string
	switch {
	case str.HasPrefix(u, "https://"):
		rest = u[len("https://"):]
	case str.HasPrefix(u, "http://"):
		rest = u[len("http://"):]
	default:
		return ""
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c == '/' || c == '?' || c == '#' {
			rest = rest[:i]
			break
		}
	}
	// https://good.example@evil.example/ goes to evil.example.
	if i := str.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if i := str.LastIndexByte(rest, ':'); i > str.LastIndexByte(rest, ']') {
		rest = rest[:i]
	}
	return rest
}

// AllowsURL reports whether an item may link to u under p (with URLHost
// and Policy.Validate's check of Hosts, about 1.7 KB of the engine's
// brotli: 594,713 -> 596,426 bytes): always when
// p lists no Hosts, and otherwise when u is no absolute http(s) URL (a
// site-relative one; Validate refuses anything else on its own) or its
// host, as URLHost reads it, is one of Hosts.
func (p *Policy) AllowsURL(u string) bool {
	if len(p.Hosts) == 0 {
		return true
	}
	host := URLHost(u)
	if host == "" {
		return true
	}
	for _, h := range p.Hosts {
		if fold.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// urlUnsafe are the bytes checkURL refuses besides control characters.
const urlUnsafe = " \\<>\"'`"

// The bytes hasControl and hasURLUnsafe look for, as bit sets over ASCII:
// in UTF-8 (valid or not) a byte below 0x80 is always a character of its
// own, so a scan of bytes finds exactly the characters a scan of runes
// would. One pass and no call per byte: strings.IndexByte per byte, and
// range over runes, cost the first load of a catalogue a call per byte of
// every id and URL in code not yet optimised.
var controlBits, urlUnsafeBits, urlRefusedBits = func() (ctl, unsafe, refused [2]uint64) {
	for c := 0; c < 0x80; c++ {
		if c < 0x20 || c == 0x7f {
			ctl[c/64] |= 1 << (c % 64)
		}
	}
	for _, c := range urlUnsafe {
		unsafe[c/64] |= 1 << (c % 64)
	}
	return ctl, unsafe, [2]uint64{ctl[0] | unsafe[0], ctl[1] | unsafe[1]}
}()

// hostRefusedBits are the bytes a policy's host name may not have: control
// characters and what would make it more than a host (a scheme, path, user,
// escape or space).
var hostRefusedBits = func() [2]uint64 {
	set := controlBits
	for _, c := range "/@?#%\\ " {
		set[c/64] |= 1 << (c % 64)
	}
	return set
}()

// hasAny reports whether s has a byte below 0x80 in set.
func hasAny(s string, set *[2]uint64) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 && set[c/64]&(1<<(c%64)) != 0 {
			return true
		}
	}
	return false
}

// hasURLUnsafe reports strings.ContainsAny(s, urlUnsafe).
func hasURLUnsafe(s string) bool { return hasAny(s, &urlUnsafeBits) }

// hasControl reports whether s has a control character (C0 or DEL).
func hasControl(s string) bool { return hasAny(s, &controlBits) }

func finite(f float32) bool {
	return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0)
}

// Find returns the index of the item with the given id. It uses the index
// built by Validate and falls back to a scan when the items changed since.
func (c *Catalogue) Find(id string) (int, bool) {
	if i, ok := c.index.find(c.Items, id); ok {
		return i, true
	}
	if c.index.n == len(c.Items) && c.index.slot != nil {
		return 0, false
	}
	for i := range c.Items {
		if c.Items[i].ID == id {
			return i, true
		}
	}
	return 0, false
}

// TopicIndex returns the vocabulary index of a topic name.
func (c *Catalogue) TopicIndex(name string) (int, bool) {
	for i, t := range c.Topics {
		if t == name {
			return i, true
		}
	}
	return 0, false
}

// Sensitive reports whether reading item i must never enter a profile: its
// section or one of its topics is in the policy's Sensitive list.
func (c *Catalogue) Sensitive(i int) bool {
	if len(c.Policy.Sensitive) == 0 {
		return false
	}
	it := &c.Items[i]
	for _, s := range c.Policy.Sensitive {
		if fold.EqualFold(s, it.Section) && it.Section != "" {
			return true
		}
		for _, tw := range it.Topics {
			if int(tw.Topic) < len(c.Topics) && fold.EqualFold(s, c.Topics[tw.Topic]) {
				return true
			}
		}
	}
	return false
}

// itemError is validateItem's error for a field of item i: a function, not
// an inlined closure, so that its ~10 calls share one concatenation
// (docs/size.md).
//
//go:noinline
func itemError(i int, id, field, msg string) error {
	return errfmt.Wrap("", ErrInvalid, ": item "+errfmt.Itoa(i)+" "+errfmt.Quote(clip(id))+": "+field+": "+msg)
}

// blank reports whether s is empty or only white space, as
// strings.TrimSpace(s) == "" does: TrimSpace links unicode.IsSpace and its
// table, and the white space runes are these few (TestBlank checks every
// rune against unicode.IsSpace).
func blank(s string) bool {
	for _, r := range s {
		switch {
		case r == ' ', '\t' <= r && r <= '\r', r == 0x85, r == 0xA0, r == 0x1680, 0x2000 <= r && r <= 0x200A,
			r == 0x2028, r == 0x2029, r == 0x202F, r == 0x205F, r == 0x3000:
		default:
			return false
		}
	}
	return true
}
