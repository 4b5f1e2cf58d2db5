package privacy

import (
	"sync"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

// twoTabs has two tabs of the same site like perTab items each, all at
// once and interleaved (one tab the even items, the other the odd ones), and
// returns the tabs and the number of likes in the stored profile.
func twoTabs(t *testing.T, dir string, perTab int) ([]*tab, int) {
	t.Helper()
	srv := startSite(t, dir, readerOptions)
	a := newTab(t, srv.URL)
	a.open("/")
	a.accept()
	a.waitFor(`document.querySelector('hearth-recs[slot-name="home"]').dataset.hearthState === 'personal'`, 30*time.Second)
	b := a.second()
	b.open("/blog/")
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, b.ready())

	cat := catalogueIn(t, built)
	var wg sync.WaitGroup
	learned := make([]bool, 2)
	errs := make([]error, 2)
	for i, tb := range []*tab{a, b} {
		var items []string
		for k := 0; k < perTab; k++ {
			items = append(items, cat.Items[2*k+i].ID)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			learned[i], errs[i] = chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`Promise.all(`+jsStrings(items)+
				`.map((item) => hearth.track({kind: 'like', item}))).then((r) => r.every(Boolean))`, chromedp.EvalAwaitPromise))
		}()
	}
	wg.Wait()
	for i := range errs {
		require.NoError(t, errs[i])
		require.True(t, learned[i])
	}
	stored, err := profile.Decode(a.storedProfile())
	require.NoError(t, err)
	likes := 0
	for _, ev := range stored.Events {
		if ev.Kind == profile.Like {
			likes++
		}
	}
	return []*tab{a, b}, likes
}

// slowNoLocks goes before the Worker's script: it takes Web Locks away, as
// on a plain-http site, and makes every engine call take 5 ms longer, so
// that the two tabs' read-modify-writes overlap in time: any change whose
// read and write are not one transaction then loses events.
const slowNoLocks = `Object.defineProperty(WorkerNavigator.prototype, 'locks', {get: () => undefined});
(() => {
  let dispatch;
  Object.defineProperty(self, 'hearthDispatch', {
    configurable: true,
    get() {
      return dispatch && ((req, data) => {
        const until = performance.now() + 5;
        while (performance.now() < until);
        return dispatch(req, data);
      });
    },
    set(v) { dispatch = v; },
  });
})();
`

// TestTabs_NoLostEvents has two tabs of the same site record events at the
// same time and checks that the stored profile holds every one: each change
// is a read-modify-write in one IndexedDB transaction, which IndexedDB runs
// one at a time across tabs, with or without Web Locks.
func TestTabs_NoLostEvents(t *testing.T) {
	const perTab = 15
	t.Run("every event is stored", func(t *testing.T) {
		t.Parallel()
		tabs, likes := twoTabs(t, built, perTab)
		require.Equal(t, 2*perTab, likes)
		// Each tab sees the other's events too (the Workers tell each other).
		for _, tb := range tabs {
			n := 0
			for _, ev := range tb.profile().Events {
				if ev.Kind == "like" {
					n++
				}
			}
			require.Equal(t, 2*perTab, n)
			require.Empty(t, tb.hearthErrors())
			require.Empty(t, tb.exceptions())
		}
	})
	t.Run("without Web Locks and with a slow engine every event is stored", func(t *testing.T) {
		t.Parallel()
		dir := variant(t, map[string][]byte{serve.Worker: append([]byte(slowNoLocks), builtFile(t, serve.Worker)...)})
		tabs, likes := twoTabs(t, dir, perTab)
		require.Equal(t, 2*perTab, likes)
		for _, tb := range tabs {
			require.Empty(t, tb.hearthErrors())
			require.Empty(t, tb.exceptions())
		}
	})
}

// jsStrings is a JS array literal of strings.
func jsStrings(ss []string) string {
	out := "["
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += browser.JS(s)
	}
	return out + "]"
}
