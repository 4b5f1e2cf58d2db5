package e2e

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// insecureHost is a name that resolves to loopback in the test browser
// only. Unlike localhost and 127.0.0.1, a plain-http page on it is not a
// secure context: navigator.locks is undefined there, as on any http://
// site that is not local.
const insecureHost = "hearth-tabs.test"

// TestTabs_InsecureOrigin has two tabs of a plain-http site record 40
// likes each, all at once, and checks that the stored profile holds all
// 80: the promise "two tabs lose no events" holds on origins and in
// browsers without Web Locks.
func TestTabs_InsecureOrigin(t *testing.T) {
	const perTab = 40
	u, err := url.Parse(site(t, built, readerOptions))
	require.NoError(t, err)
	base := "http://" + insecureHost + ":" + u.Port()

	a := newPage(t, base)
	a.open("/")
	a.accept()
	a.waitSlot("home", "personal")
	require.False(t, eval[bool](t, a, `isSecureContext`), "the test origin must not be a secure context")
	require.False(t, eval[bool](t, a, `'locks' in navigator && !!navigator.locks`), "the test origin must have no Web Locks")

	b := a.second()
	b.open("/blog/")
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, b.ready())

	ids := evalJSON[[]string](t, a, `hearth.recommend({count: 100}).then((rs) => rs.map((r) => r.id))`)
	require.GreaterOrEqual(t, len(ids), 2*perTab)
	var wg sync.WaitGroup
	learned := make([]bool, 2)
	errs := make([]error, 2)
	for i, p := range []*page{a, b} {
		items := make([]string, perTab)
		for k := range items {
			items[k] = ids[2*k+i]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			learned[i], errs[i] = chromedp.Run(p.ctx, chromedp.Evaluate[bool](`Promise.all(`+jsArray(items)+
				`.map((item) => hearth.track({kind: 'like', item}))).then((r) => r.every(Boolean))`, chromedp.EvalAwaitPromise))
		}()
	}
	wg.Wait()
	for i := range errs {
		require.NoError(t, errs[i])
		require.True(t, learned[i], "every track call resolves true")
	}
	for _, p := range []*page{a, b} {
		// A fresh page reads what is stored: every like from both tabs.
		p.reload()
		p.waitFor(`hearth.ready.then(() => true)`, 30*time.Second)
		likes := eval[int](t, p, `hearth.profile().then((v) => v.events.filter((e) => e.kind === 'like').length)`)
		require.Equal(t, 2*perTab, likes, "likes stored from two tabs on a plain-http origin")
		require.Empty(t, p.hearthErrors())
		require.Empty(t, p.exceptions())
	}
}

// second opens another tab in p's browser context: same origin storage.
func (p *page) second() *page {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	require.NoError(p.t, chromedp.Do(ctx))
	q := &page{t: p.t, ctx: ctx, base: p.base}
	q.instrument()
	return q
}

// jsArray is a JS array literal of ids (catalogue ids are hex).
func jsArray(ss []string) string {
	out := "["
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += "'" + s + "'"
	}
	return out + "]"
}
