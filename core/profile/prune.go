package profile

import (
	"cmp"
	"math"
	"slices"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/sortx"
)

// Interests and credits smaller than these are dropped: they no longer
// change any ranking and keeping them would only keep data.
const (
	negligibleInterest = 0.005
	negligibleCredit   = 0.0005
)

// Prune applies the policy's minimisation at time now: it brings times more
// than MaxClockSkew after now back to now, decays interests (and the
// events' credits) by the interest half-life from Updated to now,
// drops events older than RetentionDays, bounds the log to MaxEvents
// (oldest first), drops negligible interests and bounds the lists. The
// effect of a dropped event stays in the decaying interests; only the raw
// record goes.
func (p *Profile) Prune(pol catalog.Policy, now int64) {
	pol = pol.WithDefaults()
	p.decay(pol, now)

	cutoff := now - int64(pol.RetentionDays)*86400
	p.Events = slices.DeleteFunc(p.Events, func(ev Event) bool { return ev.Time < cutoff })
	if over := len(p.Events) - pol.MaxEvents; over > 0 {
		p.Events = slices.Delete(p.Events, 0, over)
	}
	for i := range p.Events {
		p.Events[i].Credit = nilIfNone(slices.DeleteFunc(p.Events[i].Credit, func(c Interest) bool {
			return abs(c.Weight) < negligibleCredit
		}))
	}
	p.Interests = slices.DeleteFunc(p.Interests, func(in Interest) bool {
		return abs(in.Weight) < negligibleInterest
	})
	if over := len(p.Interests) - MaxInterests; over > 0 {
		// Keep the strongest (of equal weights, the topics first in
		// order: the sort is stable), then restore the topic order.
		sortx.Func(p.Interests, func(a, b Interest) int { return cmp.Compare(abs(b.Weight), abs(a.Weight)) })
		p.Interests = p.Interests[:MaxInterests]
		sortx.Func(p.Interests, func(a, b Interest) int { return cmp.Compare(a.Topic, b.Topic) })
	}
	p.ReadItems = trimFront(p.ReadItems, MaxReadItems)
	p.Hidden = trimFront(p.Hidden, MaxHidden)
	p.Muted = trimFront(p.Muted, MaxMuted)
}

// MaxClockSkew is how far (in seconds) a stored time may lie after now and
// still be kept as written: the clock of another device whose export is
// imported, or this one's before a correction, may run a few minutes ahead.
// Decay and retention then run at most 5 minutes late (0.01% of the default
// 30-day half-life). A time further ahead was written by a wrong clock, or
// forged in an imported file, and would hold decay and retention off until
// that time came: [Profile.Prune] and [Profile.Track] bring it back to now.
const MaxClockSkew = 5 * 60

// AheadOf reports whether a time in p, Updated or an event's, lies more
// than MaxClockSkew after now, so that Prune or Track at now change those
// times and the stored profile should be written again.
func (p *Profile) AheadOf(now int64) bool {
	limit := now + MaxClockSkew
	if limit < now {
		return false // now is within MaxClockSkew of the largest time
	}
	if p.Updated > limit {
		return true
	}
	for i := range p.Events {
		if p.Events[i].Time > limit {
			return true
		}
	}
	return false
}

// decay brings interests and credits from Updated to now. When a time in p
// is more than MaxClockSkew after now, every time after now is first
// brought back to now (which keeps the events in order); the weights are
// then taken as of now. The page's clock is the only one the engine has,
// and trusting it errs toward forgetting sooner, never later. Within the
// skew, time does not run backwards: the weights are left alone until now
// passes Updated.
func (p *Profile) decay(pol catalog.Policy, now int64) {
	if p.AheadOf(now) {
		p.Updated = min(p.Updated, now)
		for i := range p.Events {
			p.Events[i].Time = min(p.Events[i].Time, now)
		}
	}
	if p.Updated > 0 && now > p.Updated {
		f := float32(Decay(now-p.Updated, pol.WithDefaults().InterestHalfLifeDays))
		for i := range p.Interests {
			p.Interests[i].Weight *= f
		}
		for i := range p.Events {
			for k := range p.Events[i].Credit {
				p.Events[i].Credit[k].Weight *= f
			}
		}
	}
	p.Updated = max(p.Updated, now)
}

// Decay returns the factor by which a weight halving every halfLifeDays
// shrinks over seconds.
func Decay(seconds int64, halfLifeDays float32) float64 {
	if seconds <= 0 {
		return 1
	}
	if halfLifeDays <= 0 {
		return 0
	}
	return math.Exp2(-float64(seconds) / (float64(halfLifeDays) * 86400))
}

// InterestsAt returns the interests decayed from Updated to now without
// changing the profile, for ranking and display.
func (p *Profile) InterestsAt(pol catalog.Policy, now int64) []Interest {
	f := float32(Decay(now-p.Updated, pol.WithDefaults().InterestHalfLifeDays))
	out := make([]Interest, len(p.Interests))
	for i, in := range p.Interests {
		out[i] = Interest{Topic: in.Topic, Weight: in.Weight * f}
	}
	return out
}

// ForgetItem removes every trace of an item: its events (and what they
// added to the interests), and its place in the read and hidden sets.
//
// Interests are corrected by subtracting each removed event's stored
// credit rather than recomputed from the remaining events, so the effect of
// events already dropped by retention is kept (it cannot be attributed any
// more) while everything still attributable is taken back exactly, without
// needing the catalogue.
func (p *Profile) ForgetItem(id string) {
	p.Events = slices.DeleteFunc(p.Events, func(ev Event) bool {
		if ev.Item != id {
			return false
		}
		p.takeBack(ev)
		return true
	})
	p.ReadItems = slices.DeleteFunc(p.ReadItems, func(s string) bool { return s == id })
	p.Hidden = slices.DeleteFunc(p.Hidden, func(s string) bool { return s == id })
	p.dropNegligible()
}

// ForgetEvent removes the event at index i of Events and its effect: its
// credit to the interests, and, when no other event still supports it, the
// item's place in the read or hidden set or the topic's mute.
func (p *Profile) ForgetEvent(i int) error {
	if i < 0 || i >= len(p.Events) {
		return errfmt.Wrap("forget event "+errfmt.Itoa(i)+": ", ErrNoEvent, " (log has "+errfmt.Itoa(len(p.Events))+")")
	}
	ev := p.Events[i]
	p.Events = slices.Delete(p.Events, i, i+1)
	p.takeBack(ev)
	supported := func(match func(Event) bool) bool { return slices.ContainsFunc(p.Events, match) }
	switch {
	case ev.Kind == Mute:
		if !supported(func(e Event) bool { return e.Kind == Mute && e.Topic == ev.Topic }) {
			p.Muted = slices.DeleteFunc(p.Muted, func(s string) bool { return s == ev.Topic })
		}
	case ev.Kind == Hide:
		if !supported(func(e Event) bool { return e.Kind == Hide && e.Item == ev.Item }) {
			p.Hidden = slices.DeleteFunc(p.Hidden, func(s string) bool { return s == ev.Item })
		}
	case ev.Kind.Seen():
		if !supported(func(e Event) bool { return e.Kind.Seen() && e.Item == ev.Item }) {
			p.ReadItems = slices.DeleteFunc(p.ReadItems, func(s string) bool { return s == ev.Item })
		}
	}
	p.dropNegligible()
	return nil
}

// ForgetTopic removes what was learned about a topic: its interest and
// every event's credit to it, so forgetting an event later cannot bring it
// back. New events may teach it again; muting stops that.
func (p *Profile) ForgetTopic(topic string) {
	p.Interests = slices.DeleteFunc(p.Interests, func(in Interest) bool { return in.Topic == topic })
	for i := range p.Events {
		p.Events[i].Credit = nilIfNone(slices.DeleteFunc(p.Events[i].Credit, func(c Interest) bool { return c.Topic == topic }))
	}
}

// Unmute lets a topic be learned and recommended again.
func (p *Profile) Unmute(topic string) {
	p.Muted = slices.DeleteFunc(p.Muted, func(s string) bool { return s == topic })
	p.Events = slices.DeleteFunc(p.Events, func(ev Event) bool { return ev.Kind == Mute && ev.Topic == topic })
}

// Unhide lets a hidden item be recommended again.
func (p *Profile) Unhide(id string) {
	p.Hidden = slices.DeleteFunc(p.Hidden, func(s string) bool { return s == id })
	p.Events = slices.DeleteFunc(p.Events, func(ev Event) bool {
		if ev.Kind != Hide || ev.Item != id {
			return false
		}
		p.takeBack(ev)
		return true
	})
	p.dropNegligible()
}

func (p *Profile) takeBack(ev Event) {
	for _, c := range ev.Credit {
		p.addInterest(c.Topic, -c.Weight)
	}
}

func (p *Profile) dropNegligible() {
	p.Interests = slices.DeleteFunc(p.Interests, func(in Interest) bool {
		return abs(in.Weight) < negligibleInterest
	})
}

func trimFront(list []string, n int) []string {
	if over := len(list) - n; over > 0 {
		return slices.Delete(list, 0, over)
	}
	return list
}

func abs(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

// nilIfNone keeps an emptied credit nil, so the stored form omits it.
func nilIfNone(c []Interest) []Interest {
	if len(c) == 0 {
		return nil
	}
	return c
}
