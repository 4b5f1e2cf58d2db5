package profile

import (
	"strconv"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
)

var kindNames = [...]string{View: "view", Read: "read", Click: "click", Like: "like", Dislike: "dislike", Hide: "hide", Mute: "mute"}

// String returns the kind's name as used in exports: "view", "read", ...
func (k Kind) String() string {
	if k.Valid() {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool { return k >= View && k <= Mute }

// ParseKind returns the kind with the given name.
func ParseKind(name string) (Kind, error) {
	for k := View; k <= Mute; k++ {
		if kindNames[k] == name {
			return k, nil
		}
	}
	return 0, errfmt.Wrap("", ErrInvalid, ": unknown event kind "+strconv.Quote(clip(name)))
}

// Dwell at which a read counts fully; shorter reads count from half.
const fullReadSeconds = 60

// Weight is how much one event of this kind teaches about the item's
// topics. Explicit feedback weighs more than implicit signals, a dislike
// counts against, and a read counts more the longer the reader stayed.
// Rank uses the same weights as implicit-feedback confidences.
func (k Kind) Weight(dwell float32) float32 {
	switch k {
	case View:
		return 0.2
	case Read:
		return 0.5 + 0.5*min(1, max(0, dwell)/fullReadSeconds)
	case Click:
		return 0.5
	case Like:
		return 2
	case Dislike:
		return -2
	case Hide:
		return -1
	}
	return 0
}

// Seen reports whether an event of this kind means the reader has seen the
// item, so it is not recommended again.
func (k Kind) Seen() bool { return k >= View && k <= Dislike }
