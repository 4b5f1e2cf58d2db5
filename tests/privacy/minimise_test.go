package privacy

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// withPolicy returns the built catalogue with its policy changed by f.
func withPolicy(t *testing.T, f func(p *catalog.Policy)) []byte {
	t.Helper()
	cat := catalogueIn(t, built)
	f(&cat.Policy)
	require.NoError(t, cat.Validate())
	b, err := cat.Encode()
	require.NoError(t, err)
	return b
}

func TestMinimise_SensitiveNeverLearned(t *testing.T) {
	const sensitive = "survey"
	dir := variant(t, map[string][]byte{serve.Catalogue: withPolicy(t, func(p *catalog.Policy) {
		p.Sensitive = []string{sensitive}
	})})
	cat := catalogueIn(t, dir)
	surveys := about(t, sensitive)
	var ids []string
	for _, slug := range surveys[:2] {
		i, ok := findURL(cat, "/blog/"+slug)
		require.True(t, ok)
		require.True(t, cat.Sensitive(i), "%s is not sensitive in the catalogue", slug)
		ids = append(ids, cat.Items[i].ID)
	}
	opts := readerOptions
	opts.Consent = "opt-out"
	srv := startSite(t, dir, opts)
	p := newTab(t, srv.URL)

	// Two sensitive posts read to the end, liked, then one ordinary post.
	for _, slug := range surveys[:2] {
		p.open("/blog/" + slug)
		eval[bool](t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
		require.False(t, eval[bool](t, p, `hearth.track({kind: 'like', item: location.href})`), "a like of a sensitive post teaches nothing")
	}
	time.Sleep(time.Second) // past the read threshold on the last one
	p.readPost("pipelines")

	v := p.profile()
	require.NotEmpty(t, v.Events)
	for _, ev := range v.Events {
		require.NotContains(t, ids, ev.Item)
	}
	require.NotContains(t, v.topics(), sensitive)
	stored := p.storedProfile()
	require.NotEmpty(t, stored)
	for _, id := range ids {
		require.False(t, bytes.Contains(stored, []byte(id)), "the stored profile holds %s", id)
	}
	require.False(t, bytes.Contains(stored, []byte(sensitive)), "the stored profile names the sensitive topic")
	require.Empty(t, p.hearthErrors())
	require.Empty(t, p.exceptions())
}

func findURL(cat *catalog.Catalogue, url string) (int, bool) {
	for i, it := range cat.Items {
		if it.URL == url {
			return i, true
		}
	}
	return 0, false
}

// TestMinimise_RetentionOnLoad stores a profile last changed 30 days ago,
// with a read 100 days old and one 30 days old, and checks that the next
// page drops the old read (retention 90 days), halves the interests (their
// half-life is 30 days) and stores the minimised profile at once.
func TestMinimise_RetentionOnLoad(t *testing.T) {
	cat := catalogueIn(t, built)
	now := time.Now()
	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	oldItem, recent := cat.Items[10], cat.Items[20]
	_, err := p.Track(cat, profile.Event{Item: oldItem.ID, Kind: profile.Read, Dwell: 60}, now.AddDate(0, 0, -100).Unix())
	require.NoError(t, err)
	_, err = p.Track(cat, profile.Event{Item: recent.ID, Kind: profile.Read, Dwell: 60}, now.AddDate(0, 0, -30).Unix())
	require.NoError(t, err)
	require.Len(t, p.Events, 2)
	before := map[string]float64{}
	for _, in := range p.Interests {
		before[in.Topic] = float64(in.Weight)
	}
	stored, err := p.Encode()
	require.NoError(t, err)

	srv := startSite(t, built, readerOptions)
	tb := newTab(t, srv.URL)
	tb.open("/")
	tb.store(map[string]string{"consent": `'granted'`, "profile": bytesJS(stored)})
	tb.open("/blog/") // a page that is no item: the load is the only change
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, tb.ready())

	v := tb.profile()
	require.Len(t, v.Events, 1, "the read of 100 days ago is past retention")
	require.Equal(t, recent.ID, v.Events[0].Item)
	require.NotEmpty(t, v.Interests)
	for _, in := range v.Interests {
		want := before[in.Topic] / 2
		require.InDelta(t, want, in.Weight, math.Abs(want)*0.02+1e-4, "interest %s decays by its half-life", in.Topic)
	}
	// Minimised in storage too, not only on screen.
	now2, err := profile.Decode(tb.storedProfile())
	require.NoError(t, err)
	require.Len(t, now2.Events, 1)
	require.Equal(t, recent.ID, now2.Events[0].Item)
	require.Empty(t, tb.hearthErrors())
	require.Empty(t, tb.exceptions())
}
