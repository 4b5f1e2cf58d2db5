// Package profiletest makes the profiles that benchmarks rank for.
package profiletest

import (
	"fmt"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
)

// Reader returns the benchmarks' returning reader of c: a profile with
// consent granted and 100 events, one every 14 hours over the two months
// before now (mostly views and reads, some clicks and likes, a dislike, a
// hide and a mute), each choice drawn by intn (a number in [0, n)). The
// native benchmarks (core/rank) and the browser benchmarks
// (tests/browserbench) rank for it, each with its own random source. Its
// events stay within the default retention period, so an engine loading
// the profile at now keeps all of them.
func Reader(c *catalog.Catalogue, now time.Time, intn func(n int) int) (*profile.Profile, error) {
	p := profile.New()
	if err := p.SetConsent(profile.ConsentGranted); err != nil {
		return nil, err
	}
	kinds := []profile.Kind{profile.View, profile.Read, profile.Read, profile.View, profile.Read, profile.Click, profile.Like}
	at := now.Add(-60 * 24 * time.Hour)
	for k := range 100 {
		ev := profile.Event{
			Item:  c.Items[intn(len(c.Items))].ID,
			Kind:  kinds[intn(len(kinds))],
			Dwell: float32(intn(180)),
		}
		switch k {
		case 40:
			ev.Kind = profile.Dislike
		case 60:
			ev.Kind = profile.Hide
		case 80:
			ev = profile.Event{Kind: profile.Mute, Topic: c.Topics[intn(len(c.Topics))]}
		}
		at = at.Add(14 * time.Hour)
		if _, err := p.Track(c, ev, at.Unix()); err != nil {
			return nil, fmt.Errorf("reader: event %d: %w", k, err)
		}
	}
	return p, nil
}
