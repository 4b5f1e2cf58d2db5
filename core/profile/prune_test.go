package profile

import (
	"math"
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
	require.Equal(t, t0.Unix(), p.Updated)
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
