package profile

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/str"
)

// Errors of this package; test with errors.Is.
var (
	// ErrNoConsent means the reader has not switched personalization on
	// (or the publisher's default is opt-in and they have not chosen).
	ErrNoConsent = errors.New("personalization is off")
	// ErrInvalid means an event, setting or stored profile breaks a rule.
	ErrInvalid = errors.New("invalid profile data")
	// ErrTooLarge means a stored or imported profile exceeds a size bound.
	ErrTooLarge = errors.New("profile too large")
	// ErrCorrupt means the bytes are not a well-formed profile.
	ErrCorrupt = errors.New("profile corrupt")
	// ErrVersion means the profile has a format version this code cannot read.
	ErrVersion = errors.New("unsupported profile version")
	// ErrNoEvent means an event index is out of range.
	ErrNoEvent = errors.New("no such event")
)

// Bounds of a profile. The event log is further bounded by the policy's
// MaxEvents; these bound everything a hostile stored or imported profile
// could hold.
const (
	MaxList      = 10_000 // events, interests, read, hidden or muted entries
	MaxReadItems = 2_000  // read set kept by Track (oldest dropped)
	MaxHidden    = 1_000
	MaxMuted     = 1_000
	MaxInterests = 1_000
	MaxCredit    = 64 // topics one event can credit
	MaxString    = 2 << 10
	MaxDwell     = 24 * 60 * 60
)

// New returns an empty profile in the current format.
func New() *Profile {
	return &Profile{Version: FormatVersion}
}

// Active reports whether personalization is on for this reader: they
// granted consent, or they have not chosen and the publisher's default is
// opt-out. A nil profile is never active.
func (p *Profile) Active(pol catalog.Policy) bool {
	if p == nil {
		return false
	}
	switch p.Settings.Consent {
	case ConsentGranted:
		return true
	case ConsentUnset:
		return pol.WithDefaults().Consent == catalog.ConsentOptOut
	}
	return false
}

// SetConsent records the reader's choice: ConsentGranted, ConsentDenied or
// ConsentUnset. Denying keeps what is stored; clearing it is a separate
// choice of the reader.
func (p *Profile) SetConsent(state string) error {
	switch state {
	case ConsentUnset, ConsentGranted, ConsentDenied:
		p.Settings.Consent = state
		return nil
	}
	return errfmt.Wrap("set consent: ", ErrInvalid, ": "+errfmt.Quote(clip(state)))
}

// SetVariety records the reader's variety setting in [-1, 1].
func (p *Profile) SetVariety(v float32) error {
	if !finite(v) || v < -1 || v > 1 {
		return errfmt.Wrap("set variety: ", ErrInvalid, ": "+errfmt.Float(v)+" out of [-1, 1]")
	}
	p.Settings.Variety = v
	return nil
}

// Empty reports whether the profile holds nothing learned: no interests and
// no events.
func (p *Profile) Empty() bool {
	return p == nil || (len(p.Interests) == 0 && len(p.Events) == 0)
}

// Track records one event at time now and returns whether the profile
// changed. It returns ErrNoConsent when personalization is off. It learns
// nothing (false, nil) from an item that is not in the catalogue or from
// any event on an item whose section or topic the policy lists as
// sensitive: such an event enters neither the log, nor the read set, nor
// the interests; only hiding it is kept, as the reader's own request.
//
// A zero ev.Time means now; times after now are clamped to now. Each event
// credits the item's topics with its kind's [Kind.Weight] times the topic
// weight; the credit is stored on the event so that forgetting it later
// takes it back. Track then prunes with the catalogue's policy.
func (p *Profile) Track(c *catalog.Catalogue, ev Event, now int64) (learned bool, err error) {
	pol := c.Policy.WithDefaults()
	if !p.Active(pol) {
		return false, errfmt.Wrap("track "+ev.Kind.String()+": ", ErrNoConsent, "")
	}
	if err := checkEvent(&ev); err != nil {
		return false, errfmt.Wrap("track "+ev.Kind.String()+": ", err, "")
	}
	if ev.Time == 0 || ev.Time > now {
		ev.Time = now
	}
	ev.Credit = nil
	if ev.Kind != Read {
		ev.Dwell = 0
	}
	p.decay(pol, now)

	idx, known := c.Find(ev.Item)
	if ev.Kind == Mute {
		if ev.Topic == "" {
			return false, errfmt.Wrap("track mute: ", ErrInvalid, ": no topic")
		}
		if !known || c.Sensitive(idx) {
			ev.Item = "" // the topic is the reader's request; the item need not be kept
		}
		p.ForgetTopic(ev.Topic)
		p.Muted = addBounded(p.Muted, ev.Topic, MaxMuted)
		ev.Topic = str.Clone(ev.Topic)
		p.Events = append(p.Events, ev)
		p.Prune(pol, now)
		return true, nil
	}
	ev.Topic = ""
	if !known {
		return false, nil
	}
	if c.Sensitive(idx) {
		if ev.Kind == Hide && !slices.Contains(p.Hidden, ev.Item) {
			p.Hidden = addBounded(p.Hidden, ev.Item, MaxHidden)
			return true, nil
		}
		return false, nil
	}

	w := ev.Kind.Weight(ev.Dwell)
	it := &c.Items[idx]
	for _, tw := range it.Topics {
		name := c.Topics[tw.Topic]
		if slices.Contains(p.Muted, name) {
			continue
		}
		credit := w * tw.Weight
		ev.Credit = append(ev.Credit, Interest{Topic: name, Weight: credit})
		p.addInterest(name, credit)
	}
	switch {
	case ev.Kind == Hide:
		p.Hidden = addBounded(p.Hidden, ev.Item, MaxHidden)
	case ev.Kind.Seen():
		p.ReadItems = addBounded(p.ReadItems, ev.Item, MaxReadItems)
	}
	p.Events = append(p.Events, ev)
	p.Prune(pol, now)
	return true, nil
}

func checkEvent(ev *Event) error {
	switch {
	case !ev.Kind.Valid():
		return errfmt.Wrap("", ErrInvalid, ": kind "+errfmt.Itoa(int(ev.Kind)))
	case ev.Item == "" && ev.Kind != Mute:
		return errfmt.Wrap("", ErrInvalid, ": no item")
	case len(ev.Item) > MaxString || len(ev.Topic) > MaxString:
		return errfmt.Wrap("", ErrTooLarge, ": item or topic longer than "+errfmt.Itoa(MaxString)+" bytes")
	case !finite(ev.Dwell) || ev.Dwell < 0:
		return errfmt.Wrap("", ErrInvalid, ": dwell "+errfmt.Float(ev.Dwell))
	case ev.Time < 0:
		return errfmt.Wrap("", ErrInvalid, ": time "+strconv.FormatInt(ev.Time, 10))
	}
	ev.Dwell = min(ev.Dwell, MaxDwell)
	return nil
}

// addInterest adds w to a topic's interest, keeping Interests sorted.
func (p *Profile) addInterest(topic string, w float32) {
	i, ok := slices.BinarySearchFunc(p.Interests, topic, func(in Interest, t string) int {
		return cmp.Compare(in.Topic, t)
	})
	if ok {
		p.Interests[i].Weight += w
		return
	}
	// slices.Insert, by hand: its instantiation for Interest was 2.8 KB of
	// wasm code for this one call.
	p.Interests = append(p.Interests, Interest{})
	copy(p.Interests[i+1:], p.Interests[i:])
	p.Interests[i] = Interest{Topic: str.Clone(topic), Weight: w}
}

// addBounded appends s unless present, dropping the oldest entries beyond n.
func addBounded(list []string, s string, n int) []string {
	if slices.Contains(list, s) {
		return list
	}
	list = append(list, str.Clone(s))
	if over := len(list) - n; over > 0 {
		list = slices.Delete(list, 0, over)
	}
	return list
}

func finite(f float32) bool {
	return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0)
}

// clip shortens a value for an error message. Not inlined: about 10 calls,
// all on error paths.
//
//go:noinline
func clip(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
