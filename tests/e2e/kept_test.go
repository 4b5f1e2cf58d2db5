package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/tests/shipped"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/stretchr/testify/require"
)

// watchSlots records, in every document, each list a <hearth-recs> is given
// (a MutationObserver sees each ol.hearth-list put in a slot, so a list
// replaced by an equal one counts twice) and each hearth:recommendations
// with whether its list was the kept one.
const watchSlots = `
window.__kept = {events: [], lists: {}};
document.addEventListener('hearth:recommendations', (e) => __kept.events.push({
  slot: e.detail.slot, kept: e.detail.kept, titles: e.detail.items.map((r) => r.title)}));
new MutationObserver((records) => {
  for (const m of records) {
    if (m.target.localName !== 'hearth-recs') continue;
    for (const n of m.addedNodes) {
      // The loader's lists (the server's fallback may be one too).
      if (n.nodeType !== 1 || !n.matches('ol.hearth-list') || m.target.dataset.hearthState !== 'personal') continue;
      const name = m.target.getAttribute('slot-name');
      (__kept.lists[name] ||= []).push([...n.querySelectorAll('a')].map((a) => a.textContent));
    }
  }
}).observe(document, {childList: true, subtree: true});
`

// keptJS reads or writes the record of kept lists (js/store.js Key.recs)
// without creating the database.
const keptJS = `
window.__keptRecord = async (value) => {
  if (!(await indexedDB.databases()).some((d) => d.name === 'hearth')) return null;
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open('hearth', 1);
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  try {
    if (!db.objectStoreNames.contains('kv')) return null;
    const tx = db.transaction('kv', value === undefined ? 'readonly' : 'readwrite');
    const q = value === undefined ? tx.objectStore('kv').get('recs') : tx.objectStore('kv').put(value, 'recs');
    return await new Promise((res, rej) => {
      q.onsuccess = () => res(value === undefined ? (q.result ?? null) : true);
      q.onerror = () => rej(q.error);
    });
  } finally {
    db.close();
  }
};
`

type keptEvent struct {
	Slot   string   `json:"slot"`
	Kept   bool     `json:"kept"`
	Titles []string `json:"titles"`
}

type keptRecord struct {
	Profile   string                       `json:"profile"`
	Catalogue string                       `json:"catalogue"`
	Engine    string                       `json:"engine"`
	Period    int64                        `json:"period"`
	Lists     map[string][]json.RawMessage `json:"lists"`
	Shapes    [][2]any                     `json:"shapes"`
}

func (p *page) watchKept() {
	p.t.Helper()
	for _, src := range []string{watchSlots, keptJS} {
		_, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		require.NoError(p.t, err)
	}
}

// kept reads the record of kept lists; nil when there is none.
func (p *page) kept() *keptRecord {
	p.t.Helper()
	return evalJSON[*keptRecord](p.t, p, `__keptRecord()`)
}

// waitKept waits until the record keeps a list for the context of a slot
// (count 5) on the page at path.
func (p *page) waitKept(related bool, path string) string {
	p.t.Helper()
	key, err := json.Marshal([]any{5, related, p.base + path})
	require.NoError(p.t, err)
	p.waitFor(`__keptRecord().then((r) => !!r && !!r.lists[`+browser.JS(string(key))+`])`, 30*time.Second)
	return string(key)
}

func (p *page) keptEvents() []keptEvent {
	p.t.Helper()
	return evalJSON[[]keptEvent](p.t, p, `__kept.events`)
}

// listsShown is every list the slot was given on this page.
func (p *page) listsShown(slot string) [][]string {
	p.t.Helper()
	return evalJSON[[][]string](p.t, p, `__kept.lists[`+browser.JS(slot)+`] || []`)
}

// engineList is what the engine ranks now for the slot of this page.
func (p *page) engineList(related bool) []string {
	p.t.Helper()
	r := "false"
	if related {
		r = "true"
	}
	return evalJSON[[]string](p.t, p, `hearth.recommend({count: 5, related: `+r+`, item: document.querySelector('link[rel="canonical"]')?.href || location.href.split('#')[0]}).then((l) => l.map((x) => x.title))`)
}

// aReader reads three posts about concurrency on an opt-out site, so that
// the home slot is personal.
func aReader(t *testing.T, p *page) {
	t.Helper()
	for _, x := range tagged(feed(t), "concurrency")[:3] {
		p.readPost(x.slug())
	}
}

// keptReader opens the home page of a site built from dir for a returning
// reader (aReader) and waits until the Worker kept the home slot's list;
// it returns the page and the list's key.
func keptReader(t *testing.T, dir string) (*page, string) {
	t.Helper()
	opts := readerOptions
	opts.Consent = "opt-out"
	p := newPage(t, site(t, dir, opts))
	p.watchKept()
	aReader(t, p)
	p.open("/")
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
	return p, p.waitKept(false, "/")
}

func TestKept_ShownAtOnceAndUnchanged(t *testing.T) {
	p, _ := keptReader(t, built)

	t.Run("the home page again: the kept list, equal to the engine's, given once", func(t *testing.T) {
		p.reload()
		require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
		events := p.keptEvents()
		require.Len(t, events, 1, "one hearth:recommendations: the engine's answer equalled the kept list")
		require.True(t, events[0].Kept, "the list came from what was kept")
		shown := p.listsShown("home")
		require.Len(t, shown, 1, "the slot's list was not replaced after it was shown")
		require.Equal(t, p.engineList(false), shown[0], "the kept list is the engine's list now")
		require.Equal(t, "personal", p.slot("home").State)
	})

	t.Run("the next page, opened from the home slot: kept for it before it was opened", func(t *testing.T) {
		next := p.slot("home").Links[0].Href
		p.waitKept(true, next)
		p.open(next)
		require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
		events := p.keptEvents()
		require.Len(t, events, 1)
		require.Equal(t, keptEvent{Slot: "related", Kept: true, Titles: events[0].Titles}, events[0])
		// The engine's answer, ranked on the profile the list was kept
		// for, did not replace it. (Asking the engine now would rank on the
		// profile with this page's view, which may order the list
		// otherwise: the next subtest's case.)
		shown := p.listsShown("related")
		require.Len(t, shown, 1)
		require.Equal(t, events[0].Titles, shown[0])
		require.Empty(t, p.exceptions())
		require.Empty(t, p.violations())
	})

	t.Run("a tracked event drops the lists kept for the profile before it", func(t *testing.T) {
		// The view of this page changed the profile; the Worker keeps lists
		// for the profile with it.
		p.waitFor(`__keptRecord().then((r) => !!r && r.profile !== '')`, 30*time.Second)
		before := p.kept()
		item := p.slot("related").Links[0].ID
		require.True(t, eval[bool](t, p, `hearth.track({kind: 'like', item: `+browser.JS(item)+`})`))
		after := p.kept()
		require.NotNil(t, after)
		require.NotEqual(t, before.Profile, after.Profile, "no list ranked on the profile before the like is kept after it")
	})
}

// TestKept_Invalid holds the loader to each part of what a kept list is
// valid for: a list that is valid except for one part is never shown.
func TestKept_Invalid(t *testing.T) {
	p, key := keptReader(t, built)
	good := p.kept()
	fake := json.RawMessage(`{"id":"x","url":"/blog/x","title":"Not the engine's list","reasons":[]}`)

	tests := []struct {
		name  string
		spoil func(r *keptRecord)
		shown bool
	}{
		// The control: a valid record's list is shown, and the engine's
		// answer then replaces it (which a real kept list never needs).
		{"valid", func(*keptRecord) {}, true},
		{"another profile", func(r *keptRecord) { r.Profile += "0" }, false},
		{"the period before", func(r *keptRecord) { r.Period-- }, false},
		{"another catalogue", func(r *keptRecord) { r.Catalogue = "other" }, false},
		{"another engine", func(r *keptRecord) { r.Engine = "other" }, false},
		{"another slot", func(r *keptRecord) {
			r.Lists[strings.Replace(key, "[5,", "[6,", 1)] = r.Lists[key]
			delete(r.Lists, key)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := *good
			r.Lists = map[string][]json.RawMessage{key: {fake}}
			tt.spoil(&r)
			b, err := json.Marshal(r)
			require.NoError(t, err)
			require.True(t, eval[bool](t, p, `__keptRecord(`+string(b)+`)`))
			p.reload()
			p.ready()
			shown := p.listsShown("home")
			events := p.keptEvents()
			if tt.shown {
				require.Equal(t, [][]string{{"Not the engine's list"}, p.engineList(false)}, shown)
				require.True(t, events[0].Kept)
				return
			}
			require.Equal(t, [][]string{p.engineList(false)}, shown, "only the engine's list was shown")
			require.Len(t, events, 1)
			require.False(t, events[0].Kept)
		})
	}
}

// TestKept_CatalogueChanged publishes another catalogue: the loader asks
// the server (the HTTP cache emptied, as when its copy went stale) and
// shows no list kept for the old one.
func TestKept_CatalogueChanged(t *testing.T) {
	dir := shipped.Variant(t, built, nil)
	p, _ := keptReader(t, dir)
	emptyCache := func() {
		_, err := chromedp.Call(p.ctx, network.ClearBrowserCache, cdp.Empty{})
		require.NoError(t, err)
	}

	emptyCache()
	p.reload()
	p.ready()
	require.True(t, p.keptEvents()[0].Kept, "with the same catalogue on the server, the kept list is shown")
	require.Len(t, p.listsShown("home"), 1)

	// The same items with one title changed: the engine's list differs.
	cat := builtCatalogue(t)
	first := p.slot("home").Links[0]
	i, ok := cat.Find(first.ID)
	require.True(t, ok)
	cat.Items[i].Title = "Retitled: " + cat.Items[i].Title
	b, err := cat.Encode()
	require.NoError(t, err)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), serve.Catalogue) && e.Name() != serve.Catalogue {
			require.NoError(t, os.Remove(filepath.Join(dir, e.Name())))
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, serve.Catalogue), b, 0o644))
	emptyCache()
	p.reload()
	p.ready()
	events := p.keptEvents()
	require.Len(t, events, 1)
	require.False(t, events[0].Kept, "no list kept for the old catalogue is shown")
	require.Equal(t, [][]string{p.engineList(false)}, p.listsShown("home"))
	require.Contains(t, p.listsShown("home")[0], cat.Items[i].Title)
}

func TestKept_Removed(t *testing.T) {
	setup := func(t *testing.T) *page {
		p, _ := keptReader(t, built)
		return p
	}
	t.Run("clear", func(t *testing.T) {
		p := setup(t)
		eval[bool](t, p, `hearth.clear().then(() => true)`)
		require.Nil(t, p.kept())
	})
	t.Run("switched off", func(t *testing.T) {
		p := setup(t)
		eval[bool](t, p, `hearth.setConsent('denied').then(() => true)`)
		require.Nil(t, p.kept())
		p.reload()
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Empty(t, p.listsShown("home"))
	})
	t.Run("Global Privacy Control", func(t *testing.T) {
		p := setup(t)
		p.gpc()
		p.reload()
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Nil(t, p.kept(), "a kept list goes once personalization is off")
		require.Empty(t, p.listsShown("home"))
	})
}
