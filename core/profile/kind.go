package profile

import "github.com/hearth-dev/hearth/core/internal/errfmt"

// Event kinds. Explicit feedback (like, dislike, hide, mute) weighs more than
// implicit signals (view, read, click).
const (
	View    Kind = iota + 1 // the reader opened an item's page
	Read                    // the reader stayed and scrolled: Dwell is set
	Click                   // the reader followed a recommendation
	Like                    // explicit positive feedback
	Dislike                 // explicit negative feedback
	Hide                    // never show this item again
	Mute                    // never learn or recommend this item's topics (Topic is set)
)

// kinds declares every event kind, one row each: its name, what one event
// teaches about the item's topics, whether it means the reader has seen the
// item, and how the profile page words it. Everything else about a kind
// (String, ParseKind, Weight, Seen, the JS and TypeScript names, the
// inspector's words) is read from or generated from this table. Explicit
// feedback weighs more than implicit signals, a dislike counts against,
// and a read counts more the longer the reader stayed. Rank uses the same
// weights as implicit-feedback confidences.
var kinds = [...]struct {
	name   string
	weight float32 // per event; a read adds up to dwell more
	dwell  float32 // the extra weight of a full read (FullReadSeconds)
	seen   bool    // the item is not recommended again
	words  string  // the start of the profile page's sentence
}{
	View:    {name: "view", weight: 0.2, seen: true, words: "You opened"},
	Read:    {name: "read", weight: 0.5, dwell: 0.5, seen: true, words: "You read"},
	Click:   {name: "click", weight: 0.5, seen: true, words: "You followed a recommendation to"},
	Like:    {name: "like", weight: 2, seen: true, words: "You liked"},
	Dislike: {name: "dislike", weight: -2, seen: true, words: "You disliked"},
	Hide:    {name: "hide", weight: -1, words: "You hid"},
	Mute:    {name: "mute", words: "You muted the topic"},
}

// String returns the kind's name as used in exports: "view", "read", ...
func (k Kind) String() string {
	if k.Valid() {
		return kinds[k].name
	}
	return "kind(" + errfmt.Itoa(int(k)) + ")"
}

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool { return k >= View && int(k) < len(kinds) }

// ParseKind returns the kind with the given name.
func ParseKind(name string) (Kind, error) {
	for k := View; k.Valid(); k++ {
		if kinds[k].name == name {
			return k, nil
		}
	}
	return 0, errfmt.Wrap("", ErrInvalid, ": unknown event kind "+errfmt.Quote(clip(name)))
}

// Kinds returns every defined kind, in order.
func Kinds() []Kind {
	out := make([]Kind, 0, len(kinds)-1)
	for k := View; k.Valid(); k++ {
		out = append(out, k)
	}
	return out
}

// FullReadSeconds is the dwell at which a read counts fully; shorter
// reads count from half.
const FullReadSeconds = 60

// Weight is how much one event of this kind teaches about the item's
// topics (see kinds), with dwell in seconds.
func (k Kind) Weight(dwell float32) float32 {
	if !k.Valid() {
		return 0
	}
	w := kinds[k].weight
	if d := kinds[k].dwell; d != 0 {
		w += d * min(1, max(0, dwell)/FullReadSeconds)
	}
	return w
}

// Words is how the profile page begins a sentence about an event of this
// kind ("You liked"), in plain words.
func (k Kind) Words() string {
	if k.Valid() {
		return kinds[k].words
	}
	return ""
}

// Seen reports whether an event of this kind means the reader has seen the
// item, so it is not recommended again.
func (k Kind) Seen() bool { return k.Valid() && kinds[k].seen }
