package profile

import (
	"cmp"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

const day = 24 * time.Hour

func TestProfile_Prune(t *testing.T) {
	c := testCatalogue()
	pol := c.Policy.WithDefaults()
	tests := []struct {
		name       string
		after      time.Duration
		wantGo     float32
		wantEvents int
	}{
		{"same time", 0, 1, 1},
		{"one half-life", time.Duration(pol.InterestHalfLifeDays) * day, 0.5, 1},
		{"two half-lives", 2 * time.Duration(pol.InterestHalfLifeDays) * day, 0.25, 1},
		{"past retention", time.Duration(pol.RetentionDays+1) * day, float32(math.Exp2(-91.0 / 30)), 0},
		{"negligible", 300 * day, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := granted()
			_, err := p.Track(c, Event{Item: "a", Kind: Read, Dwell: 60}, t0.Unix())
			require.NoError(t, err)
			p.Prune(c.Policy, t0.Add(tt.after).Unix())
			require.InDelta(t, tt.wantGo, interest(p, "go"), 0.002)
			require.Len(t, p.Events, tt.wantEvents)
			require.Equal(t, t0.Add(tt.after).Unix(), p.Updated)
			if tt.wantGo == 0 {
				require.Empty(t, p.Interests, "negligible interests are dropped, not kept at ~0")
			}
		})
	}
}

func TestProfile_Prune_ClockBack(t *testing.T) {
	c := testCatalogue()
	p := granted()
	_, err := p.Track(c, Event{Item: "a", Kind: Read, Dwell: 60}, t0.Unix())
	require.NoError(t, err)
	p.Prune(c.Policy, t0.Add(-10*day).Unix())
	require.Equal(t, float32(1), interest(p, "go"), "a clock set back does not grow or shrink interests")
	require.Equal(t, t0.Add(-10*day).Unix(), p.Updated, "the page's clock is trusted")
	require.Equal(t, t0.Add(-10*day).Unix(), p.Events[0].Time)
}

// TestProfile_Prune_ClockAhead holds a profile whose times a wrong clock or
// a forged import put in the future next to its twin written with the right
// clock: from the first load (or track) with the page's clock on, the two
// decay and expire alike.
func TestProfile_Prune_ClockAhead(t *testing.T) {
	c := testCatalogue()
	pol := c.Policy.WithDefaults()
	load := t0.Add(6 * time.Hour) // fullProfile's last event and Updated
	y2100 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	y2200 := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

	imported := func(t *testing.T, edit func(*Profile)) *Profile {
		p := fullProfile(t)
		require.Equal(t, load.Unix(), p.Updated)
		edit(p)
		b, err := p.Plain()
		require.NoError(t, err)
		p, err = Import(b)
		require.NoError(t, err)
		p.Prune(pol, load.Unix()) // the bridge's import commits through Prune
		return p
	}
	stored := func(t *testing.T, edit func(*Profile)) *Profile {
		p := fullProfile(t)
		edit(p)
		b, err := p.Encode()
		require.NoError(t, err)
		p, err = Decode(b)
		require.NoError(t, err)
		p.Prune(pol, load.Unix()) // the bridge's load-profile
		return p
	}
	tracked := func(t *testing.T, clock int64) *Profile {
		p := granted()
		_, err := p.Track(c, Event{Item: "a", Kind: Read, Dwell: 60}, clock)
		require.NoError(t, err)
		_, err = p.Track(c, Event{Item: "b", Kind: Like}, load.Unix())
		require.NoError(t, err)
		return p
	}
	same := func(*Profile) {}
	tests := []struct {
		name        string
		ahead, twin func(t *testing.T) *Profile
	}{{
		name: "import updated in 2200",
		ahead: func(t *testing.T) *Profile {
			return imported(t, func(p *Profile) { p.Updated = y2200 })
		},
		twin: func(t *testing.T) *Profile { return imported(t, same) },
	}, {
		name: "import updated and last event in 2200",
		ahead: func(t *testing.T) *Profile {
			return imported(t, func(p *Profile) { p.Updated, p.Events[len(p.Events)-1].Time = y2200, y2200 })
		},
		twin: func(t *testing.T) *Profile { return imported(t, same) },
	}, {
		name: "stored updated and last event in 2200",
		ahead: func(t *testing.T) *Profile {
			return stored(t, func(p *Profile) { p.Updated, p.Events[len(p.Events)-1].Time = y2200, y2200 })
		},
		twin: func(t *testing.T) *Profile { return stored(t, func(*Profile) {}) },
	}, {
		name:  "one track with the clock at 2100",
		ahead: func(t *testing.T) *Profile { return tracked(t, y2100) },
		twin:  func(t *testing.T) *Profile { return tracked(t, load.Unix()) },
	}}
	steps := []struct {
		name       string
		after      time.Duration
		wantEvents bool
	}{
		{"one half-life", time.Duration(pol.InterestHalfLifeDays) * day, true},
		{"past retention", time.Duration(pol.RetentionDays+1) * day, false},
		{"a year", 365 * day, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ahead, twin := tt.ahead(t), tt.twin(t)
			require.Equal(t, load.Unix(), twin.Updated)
			require.Equal(t, twin, ahead, "after the first load with the page's clock")
			for _, st := range steps {
				now := load.Add(st.after).Unix()
				before := interest(twin, "go")
				ahead.Prune(pol, now)
				twin.Prune(pol, now)
				require.Equal(t, twin, ahead, st.name)
				require.Less(t, interest(twin, "go"), before, "%s: the twin decays", st.name)
				require.Equal(t, st.wantEvents, len(twin.Events) > 0, "%s: the twin's events", st.name)
			}
			require.Empty(t, ahead.Interests, "a year on, nothing learned is left")
		})
	}
}

func TestProfile_AheadOf(t *testing.T) {
	now := t0.Unix()
	pol := testCatalogue().Policy
	tests := []struct {
		name    string
		updated int64
		events  []int64
		want    bool
	}{
		{"past", now - 60, []int64{now - 120, now - 60}, false},
		{"updated within the skew", now + MaxClockSkew, []int64{now - 60}, false},
		{"event within the skew", now, []int64{now - 60, now + MaxClockSkew}, false},
		{"updated beyond the skew", now + MaxClockSkew + 1, []int64{now - 60}, true},
		{"event beyond the skew", now, []int64{now - 60, now + 100, now + MaxClockSkew + 1}, true},
		{"far ahead", now + 100*365*86400, []int64{now + 100, now + 100*365*86400}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := granted()
			p.Updated = tt.updated
			for _, at := range tt.events {
				p.Events = append(p.Events, Event{Item: "a", Kind: View, Time: at})
			}
			require.Equal(t, tt.want, p.AheadOf(now))
			p.Prune(pol, now)
			require.Len(t, p.Events, len(tt.events))
			for i, ev := range p.Events {
				want := tt.events[i]
				if tt.want {
					want = min(want, now)
				}
				require.Equal(t, want, ev.Time, "events[%d]", i)
			}
			require.True(t, slices.IsSortedFunc(p.Events, func(a, b Event) int { return cmp.Compare(a.Time, b.Time) }), "events stay oldest first")
			require.False(t, p.AheadOf(now), "pruned at now, nothing is ahead of now")
			require.LessOrEqual(t, p.Updated, now+MaxClockSkew)
		})
	}
	require.False(t, New().AheadOf(math.MaxInt64), "no time is ahead of the largest")
}

func TestProfile_Prune_MaxEvents(t *testing.T) {
	c := testCatalogue()
	p := granted()
	for k := range 10 {
		_, err := p.Track(c, Event{Item: "a", Kind: View}, t0.Add(time.Duration(k)*time.Second).Unix())
		require.NoError(t, err)
	}
	p.Prune(catalog.Policy{MaxEvents: 3}, t0.Add(time.Minute).Unix())
	require.Len(t, p.Events, 3)
	require.Equal(t, t0.Add(9*time.Second).Unix(), p.Events[2].Time)
}

func TestProfile_InterestsAt(t *testing.T) {
	c := testCatalogue()
	p := granted()
	_, err := p.Track(c, Event{Item: "a", Kind: Like}, t0.Unix())
	require.NoError(t, err)
	got := p.InterestsAt(c.Policy, t0.Add(30*day).Unix())
	require.Equal(t, []Interest{{Topic: "go", Weight: 1}}, got)
	require.Equal(t, float32(2), interest(p, "go"), "the profile itself is unchanged")
}

func TestDecay(t *testing.T) {
	tests := []struct {
		seconds  int64
		halfLife float32
		want     float64
	}{
		{0, 30, 1},
		{-100, 30, 1},
		{30 * 86400, 30, 0.5},
		{60 * 86400, 30, 0.25},
		{86400, 0, 0},
	}
	for _, tt := range tests {
		require.InDelta(t, tt.want, Decay(tt.seconds, tt.halfLife), 1e-12)
	}
}

func TestProfile_ForgetItem(t *testing.T) {
	c := testCatalogue()
	// Reference: the profile that never saw item b.
	want := granted()
	got := granted()
	track := func(p *Profile, item string, k Kind, at time.Time) {
		_, err := p.Track(c, Event{Item: item, Kind: k, Dwell: 40}, at.Unix())
		require.NoError(t, err)
	}
	track(want, "a", Read, t0)
	track(got, "a", Read, t0)
	track(got, "b", Like, t0.Add(day))
	track(got, "b", Hide, t0.Add(2*day))
	track(want, "c", Read, t0.Add(3*day))
	track(got, "c", Read, t0.Add(3*day))
	require.NotEqual(t, want.Interests, got.Interests)

	got.ForgetItem("b")
	require.Len(t, got.Interests, len(want.Interests))
	for k := range want.Interests {
		require.Equal(t, want.Interests[k].Topic, got.Interests[k].Topic)
		require.InDelta(t, want.Interests[k].Weight, got.Interests[k].Weight, 1e-5)
	}
	require.Equal(t, want.ReadItems, got.ReadItems)
	require.Empty(t, got.Hidden)
	require.Len(t, got.Events, 2)
}

func TestProfile_ForgetEvent(t *testing.T) {
	c := testCatalogue()
	p := granted()
	for _, ev := range []Event{
		{Item: "a", Kind: View}, {Item: "a", Kind: Read}, {Item: "c", Kind: Hide}, {Kind: Mute, Topic: "cooking"}, {Item: "b", Kind: Like},
	} {
		_, err := p.Track(c, ev, t0.Unix())
		require.NoError(t, err)
	}
	require.ErrorIs(t, p.ForgetEvent(5), ErrNoEvent)
	require.ErrorIs(t, p.ForgetEvent(-1), ErrNoEvent)

	require.NoError(t, p.ForgetEvent(4)) // the like of b
	require.InDelta(t, 0.2+0.5+0.5*(0)/60, interest(p, "go"), 1e-5)
	require.NotContains(t, p.ReadItems, "b")

	require.NoError(t, p.ForgetEvent(0)) // the view of a; the read still supports a
	require.Contains(t, p.ReadItems, "a")
	require.InDelta(t, 0.5, interest(p, "go"), 1e-5)

	require.NoError(t, p.ForgetEvent(2)) // the mute
	require.Empty(t, p.Muted)
	require.NoError(t, p.ForgetEvent(1)) // the hide of c
	require.Empty(t, p.Hidden)
	require.Zero(t, interest(p, "wasm"))
	require.NoError(t, p.ForgetEvent(0))
	require.Empty(t, p.ReadItems)
	require.Empty(t, p.Interests)
	require.Empty(t, p.Events)
}

func TestProfile_ForgetTopic(t *testing.T) {
	c := testCatalogue()
	p := granted()
	_, err := p.Track(c, Event{Item: "b", Kind: Like}, t0.Unix())
	require.NoError(t, err)
	p.ForgetTopic("wasm")
	require.Zero(t, interest(p, "wasm"))
	require.Equal(t, float32(1), interest(p, "go"))
	p.ForgetItem("b")
	require.Empty(t, p.Interests, "forgetting the item later does not bring the topic back")
}

func TestProfile_UnmuteUnhide(t *testing.T) {
	c := testCatalogue()
	p := granted()
	for _, ev := range []Event{{Kind: Mute, Topic: "go"}, {Item: "c", Kind: Hide}} {
		_, err := p.Track(c, ev, t0.Unix())
		require.NoError(t, err)
	}
	p.Unmute("go")
	p.Unhide("c")
	require.Empty(t, p.Muted)
	require.Empty(t, p.Hidden)
	require.Empty(t, p.Events)
	require.Empty(t, p.Interests, "the hide's negative credit is taken back")
}
