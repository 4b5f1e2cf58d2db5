package profile

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testCatalogue has items a (go), b (go, wasm), c (wasm), d (health topic),
// e (section "religion"), f (cooking); health and religion are sensitive.
func testCatalogue() *catalog.Catalogue {
	c := &catalog.Catalogue{
		Version: catalog.FormatVersion, Topics: []string{"go", "wasm", "health", "cooking"},
		Policy: catalog.Policy{Sensitive: []string{"health", "religion"}},
	}
	add := func(id, section string, topics ...catalog.TopicWeight) {
		c.Items = append(c.Items, catalog.Item{ID: id, URL: "/" + id, Title: "Title " + id, Section: section, Topics: topics})
	}
	add("a", "blog", catalog.TopicWeight{Topic: 0, Weight: 1})
	add("b", "blog", catalog.TopicWeight{Topic: 0, Weight: 0.5}, catalog.TopicWeight{Topic: 1, Weight: 1})
	add("c", "news", catalog.TopicWeight{Topic: 1, Weight: 1})
	add("d", "news", catalog.TopicWeight{Topic: 2, Weight: 1}, catalog.TopicWeight{Topic: 0, Weight: 0.5})
	add("e", "religion", catalog.TopicWeight{Topic: 3, Weight: 1})
	add("f", "food", catalog.TopicWeight{Topic: 3, Weight: 1})
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

func granted() *Profile {
	p := New()
	if err := p.SetConsent(ConsentGranted); err != nil {
		panic(err)
	}
	return p
}

func interest(p *Profile, topic string) float32 {
	for _, in := range p.Interests {
		if in.Topic == topic {
			return in.Weight
		}
	}
	return 0
}

func TestProfile_Track(t *testing.T) {
	tests := []struct {
		name       string
		ev         Event
		wantGo     float32
		wantWasm   float32
		wantRead   []string
		wantHidden []string
		wantMuted  []string
	}{
		{"view", Event{Item: "a", Kind: View}, 0.2, 0, []string{"a"}, nil, nil},
		{"short read", Event{Item: "a", Kind: Read, Dwell: 0}, 0.5, 0, []string{"a"}, nil, nil},
		{"full read", Event{Item: "b", Kind: Read, Dwell: 120}, 0.5, 1, []string{"b"}, nil, nil},
		{"click", Event{Item: "c", Kind: Click}, 0, 0.5, []string{"c"}, nil, nil},
		{"like", Event{Item: "a", Kind: Like}, 2, 0, []string{"a"}, nil, nil},
		{"dislike", Event{Item: "a", Kind: Dislike}, -2, 0, []string{"a"}, nil, nil},
		{"hide", Event{Item: "c", Kind: Hide}, 0, -1, nil, []string{"c"}, nil},
		{"mute", Event{Kind: Mute, Topic: "wasm"}, 0, 0, nil, nil, []string{"wasm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := granted()
			learned, err := p.Track(testCatalogue(), tt.ev, t0.Unix())
			require.NoError(t, err)
			require.True(t, learned)
			require.InDelta(t, tt.wantGo, interest(p, "go"), 1e-6)
			require.InDelta(t, tt.wantWasm, interest(p, "wasm"), 1e-6)
			require.Equal(t, tt.wantRead, p.ReadItems)
			require.Equal(t, tt.wantHidden, p.Hidden)
			require.Equal(t, tt.wantMuted, p.Muted)
			require.Len(t, p.Events, 1)
			require.Equal(t, t0.Unix(), p.Events[0].Time, "zero time means now")
			require.Equal(t, t0.Unix(), p.Updated)
		})
	}
}

func TestProfile_Track_ExplicitOutweighsImplicit(t *testing.T) {
	weights := map[Kind]float32{}
	for k := View; k <= Hide; k++ {
		weights[k] = k.Weight(MaxDwell)
	}
	require.Greater(t, weights[Like], weights[Read])
	require.Greater(t, weights[Read], weights[View])
	require.Greater(t, weights[Read], weights[Click])
	require.Less(t, weights[Dislike], weights[Hide])
	require.Less(t, weights[Hide], float32(0))
	require.Less(t, Read.Weight(5), Read.Weight(60), "a longer read teaches more")
}

func TestProfile_Track_Sensitive(t *testing.T) {
	c := testCatalogue()
	for _, item := range []string{"d", "e"} { // sensitive by topic, by section
		for k := View; k <= Dislike; k++ {
			t.Run(fmt.Sprintf("%s %s", k, item), func(t *testing.T) {
				p := granted()
				learned, err := p.Track(c, Event{Item: item, Kind: k, Dwell: 300}, t0.Unix())
				require.NoError(t, err)
				require.False(t, learned)
				require.Empty(t, p.Events)
				require.Empty(t, p.ReadItems)
				require.Empty(t, p.Interests, "not even the non-sensitive topic go of item d")
				require.Empty(t, p.Hidden)
			})
		}
		t.Run("hide "+item, func(t *testing.T) {
			p := granted()
			learned, err := p.Track(c, Event{Item: item, Kind: Hide}, t0.Unix())
			require.NoError(t, err)
			require.True(t, learned)
			require.Equal(t, []string{item}, p.Hidden, "the reader's request is kept")
			require.Empty(t, p.Events)
			require.Empty(t, p.Interests)
		})
		t.Run("mute from "+item, func(t *testing.T) {
			p := granted()
			learned, err := p.Track(c, Event{Item: item, Kind: Mute, Topic: "cooking"}, t0.Unix())
			require.NoError(t, err)
			require.True(t, learned)
			require.Equal(t, []string{"cooking"}, p.Muted)
			require.Len(t, p.Events, 1)
			require.Empty(t, p.Events[0].Item, "the sensitive item is not kept")
		})
	}
}

func TestProfile_Track_Refused(t *testing.T) {
	c := testCatalogue()
	optOut := testCatalogue()
	optOut.Policy.Consent = catalog.ConsentOptOut
	denied := New()
	require.NoError(t, denied.SetConsent(ConsentDenied))
	tests := []struct {
		name    string
		p       *Profile
		c       *catalog.Catalogue
		ev      Event
		learned bool
		wantErr error
	}{
		{"unset consent, opt-in policy", New(), c, Event{Item: "a", Kind: Read}, false, ErrNoConsent},
		{"unset consent, opt-out policy", New(), optOut, Event{Item: "a", Kind: Read}, true, nil},
		{"denied, opt-out policy", denied, optOut, Event{Item: "a", Kind: Read}, false, ErrNoConsent},
		{"unknown item", granted(), c, Event{Item: "zz", Kind: Read}, false, nil},
		{"unknown kind", granted(), c, Event{Item: "a", Kind: 42}, false, ErrInvalid},
		{"no item", granted(), c, Event{Kind: View}, false, ErrInvalid},
		{"mute without topic", granted(), c, Event{Kind: Mute}, false, ErrInvalid},
		{"NaN dwell", granted(), c, Event{Item: "a", Kind: Read, Dwell: float32(math.NaN())}, false, ErrInvalid},
		{"negative time", granted(), c, Event{Item: "a", Kind: Read, Time: -5}, false, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			learned, err := tt.p.Track(tt.c, tt.ev, t0.Unix())
			require.ErrorIs(t, err, tt.wantErr)
			require.Equal(t, tt.learned, learned)
			if !learned {
				require.Empty(t, tt.p.Events)
				require.Empty(t, tt.p.Interests)
			}
		})
	}
}

func TestProfile_Track_Times(t *testing.T) {
	p := granted()
	_, err := p.Track(testCatalogue(), Event{Item: "a", Kind: View, Time: t0.Add(time.Hour).Unix()}, t0.Unix())
	require.NoError(t, err)
	require.Equal(t, t0.Unix(), p.Events[0].Time, "a future time is clamped to now")
	_, err = p.Track(testCatalogue(), Event{Item: "b", Kind: Read, Dwell: 1e9, Time: t0.Add(-time.Minute).Unix()}, t0.Unix())
	require.NoError(t, err)
	require.Equal(t, t0.Add(-time.Minute).Unix(), p.Events[1].Time)
	require.Equal(t, float32(MaxDwell), p.Events[1].Dwell)
}

func TestProfile_Track_MutedTopicNotLearned(t *testing.T) {
	c := testCatalogue()
	p := granted()
	_, err := p.Track(c, Event{Item: "b", Kind: Read}, t0.Unix())
	require.NoError(t, err)
	require.Greater(t, interest(p, "wasm"), float32(0))
	_, err = p.Track(c, Event{Kind: Mute, Topic: "wasm"}, t0.Unix())
	require.NoError(t, err)
	require.Zero(t, interest(p, "wasm"), "muting forgets the topic")
	_, err = p.Track(c, Event{Item: "c", Kind: Like}, t0.Unix())
	require.NoError(t, err)
	require.Zero(t, interest(p, "wasm"), "and stops learning it")
	require.Empty(t, p.Events[len(p.Events)-1].Credit)
}

func TestProfile_Track_Bounds(t *testing.T) {
	c := testCatalogue()
	c.Policy.MaxEvents = 5
	p := granted()
	for k := range 12 {
		_, err := p.Track(c, Event{Item: []string{"a", "b", "c"}[k%3], Kind: View}, t0.Add(time.Duration(k)*time.Minute).Unix())
		require.NoError(t, err)
	}
	require.Len(t, p.Events, 5)
	require.Equal(t, t0.Add(11*time.Minute).Unix(), p.Events[4].Time, "the newest events are kept")
	require.Equal(t, []string{"a", "b", "c"}, p.ReadItems, "the read set holds each item once")
}

func BenchmarkProfile_Track(b *testing.B) {
	c := testCatalogue()
	p := granted()
	now := t0
	for k := range benchEvents {
		if _, err := p.Track(c, Event{Item: []string{"a", "b", "c", "f"}[k%4], Kind: Read, Dwell: 30}, now.Unix()); err != nil {
			b.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Second)
		if _, err := p.Track(c, Event{Item: "b", Kind: Read, Dwell: 45}, now.Unix()); err != nil {
			b.Fatal(err)
		}
	}
}

// benchEvents is the size of the event log the Track benchmark runs
// against: the default policy's bound.
const benchEvents = catalog.DefaultMaxEvents
