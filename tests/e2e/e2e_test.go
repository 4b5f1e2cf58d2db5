// Package e2e runs Hearth end to end in headless Chromium: the asset
// pipeline builds the real wasm engine and scripts into a temporary folder,
// the demo site serves them through httptest, and each test reads posts in
// its own tab the way a reader would (scrolling, dwelling, following links).
//
// HEARTH_HEADFUL=1 shows the browser; HEARTH_SCREENSHOTS=<folder> saves
// screenshots of what the reader saw.
package e2e

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/tests/shipped"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/stretchr/testify/require"
)

var (
	chrome *browser.Browser
	// built is the folder the asset pipeline wrote (…/hearth).
	built string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, remove, err := shipped.Build("hearth-e2e-", 5)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer remove()
	built = dir
	// Plain-http test host names resolve to loopback, so a page can be on an
	// origin that is not a secure context (no Web Locks there).
	return browser.Main(m, &chrome, browser.Options{Flags: map[string]any{
		"host-resolver-rules": "MAP " + insecureHost + " 127.0.0.1",
	}})
}

// site serves the demo from the files in dir with opts and returns its URL.
func site(t *testing.T, dir string, opts demo.Options) string {
	t.Helper()
	h, err := demo.NewServer(os.DirFS(dir), opts)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// readerOptions make a read count after 0.3 s of dwell instead of 15 s.
var readerOptions = demo.Options{ReadDwell: 300 * time.Millisecond}

// post is one post of the demo's feed with its catalogue id: the feed's
// tags are the ground truth for what a post is about.
type post struct {
	ID    string   `json:"-"` // catalogue item id
	URL   string   `json:"url"`
	Title string   `json:"title"`
	Tags  []string `json:"tags"`
}

func feed(t *testing.T) []post {
	t.Helper()
	var f struct {
		Items []post `json:"items"`
	}
	require.NoError(t, json.Unmarshal(demo.Feed(), &f))
	cat := builtCatalogue(t)
	for i := range f.Items {
		path := demo.PostPath(f.Items[i].slug())
		for _, it := range cat.Items {
			if it.URL == path {
				f.Items[i].ID = it.ID
			}
		}
		require.NotEmpty(t, f.Items[i].ID, "no catalogue item at %s", path)
	}
	return f.Items
}

func (p post) slug() string { return p.URL[strings.LastIndexByte(p.URL, '/')+1:] }

func tagged(posts []post, tag string) []post {
	var out []post
	for _, p := range posts {
		if slices.Contains(p.Tags, tag) {
			out = append(out, p)
		}
	}
	return out
}

func TestReader(t *testing.T) {
	p := newPage(t, site(t, built, readerOptions))
	all := feed(t)
	const subject = "concurrency"
	about := tagged(all, subject)
	require.GreaterOrEqual(t, len(about), 8, "the feed has too few %s posts for this test", subject)
	read := about[:5]
	// What a recommended post is about is the publisher's word for it: the
	// catalogue's topics (the feed's tags, extended by the builder to
	// untagged posts from their text).
	cat := builtCatalogue(t)
	topic, ok := cat.TopicIndex(subject)
	require.True(t, ok, "the catalogue has no topic %s", subject)
	countAbout := func(recs []slotLink) int {
		n := 0
		for _, r := range recs {
			i, ok := cat.Find(r.ID)
			require.True(t, ok, "recommended id %s is not in the catalogue", r.ID)
			for _, tw := range cat.Items[i].Topics {
				if int(tw.Topic) == topic {
					n++
				}
			}
		}
		return n
	}

	p.open("/")
	require.Equal(t, readyDetail{Consent: "denied"}, p.ready(), "opt-in: off until the reader turns it on")
	before := p.slot("home")
	require.Equal(t, "fallback", before.State)
	require.Len(t, before.Links, 5)
	p.screenshot("home-before")

	p.accept()
	p.waitSlot("home", "personal")

	for _, x := range read {
		p.readPost(x.slug())
	}
	p.open("/")
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
	after := p.waitSlot("home", "personal")
	require.Len(t, after.Links, 5)
	require.Equal(t, []string{"home:5"}, evalJSON[[]string](t, p, `__test.slots`), "hearth:recommendations fired for the slot")
	p.screenshot("home-after")

	t.Run("reading five posts about one subject moves the home slot toward it", func(t *testing.T) {
		t.Logf("%s posts among the home slot: %d before, %d after reading %d: %+v", subject, countAbout(before.Links), countAbout(after.Links), len(read), titles(after.Links))
		require.GreaterOrEqual(t, countAbout(after.Links), 3)
		require.Greater(t, countAbout(after.Links), countAbout(before.Links))
	})

	t.Run("read posts are not recommended again", func(t *testing.T) {
		many := evalJSON[[]recommendation](t, p, `hearth.recommend({count: 50})`)
		require.Len(t, many, 50)
		for _, x := range read {
			require.NotContains(t, ids(after.Links), x.ID)
			require.NotContains(t, recIDs(many), x.ID)
		}
	})

	t.Run("the reasons name a post the reader read", func(t *testing.T) {
		var named []string
		for _, l := range after.Links {
			for _, x := range read {
				if strings.Contains(l.Reason, x.Title) {
					named = append(named, x.Title)
				}
			}
		}
		require.NotEmpty(t, named, "no rendered reason names a read post: %+v", after.Links)
		recs := evalJSON[[]recommendation](t, p, `hearth.recommend({count: 5})`)
		var refs []string
		for _, r := range recs {
			for _, why := range r.Reasons {
				if why.Code == "read" {
					refs = append(refs, why.Ref)
				}
			}
		}
		require.NotEmpty(t, refs)
		for _, ref := range refs {
			require.Contains(t, ids(postLinks(read)), ref)
		}
	})

	t.Run("the profile survives a reload", func(t *testing.T) {
		p.reload()
		require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
		v := evalJSON[profileView](t, p, `hearth.profile()`)
		var readIDs []string
		for _, r := range v.Read {
			readIDs = append(readIDs, r.ID)
		}
		require.ElementsMatch(t, ids(postLinks(read)), readIDs)
		require.Equal(t, "granted", v.Consent)
		require.Equal(t, subject, v.Interests[0].Topic)
	})

	t.Run("the page works under the strict CSP", func(t *testing.T) {
		require.Equal(t, demo.CSP, p.header("/"))
		require.Empty(t, p.violations(), "securitypolicyviolation events")
		require.Empty(t, p.hearthErrors())
		require.Empty(t, p.exceptions())
	})

	t.Run("the profile page shows the posts read", func(t *testing.T) {
		p.open("/profile")
		const reads = `hearth-profile [data-part="history"] li[data-kind="read"]`
		p.waitFor(`document.querySelectorAll('`+reads+`').length === `+fmt.Sprint(len(read)), 10*time.Second)
		p.screenshot("profile")
		shown := evalJSON[[]string](t, p, `[...document.querySelectorAll('`+reads+` a')].map((a) => a.textContent)`)
		var want []string
		for _, x := range read {
			want = append(want, x.Title)
		}
		require.ElementsMatch(t, want, shown)
	})

	t.Run("export and import move the profile to another browser", func(t *testing.T) {
		exported := eval[string](t, p, `hearth.export()`)
		var doc struct {
			Format, Exported string
			Version          int
			Read             []string
		}
		require.NoError(t, json.Unmarshal([]byte(exported), &doc), exported)
		require.Equal(t, "hearth-profile", doc.Format)
		require.Equal(t, profile.FormatVersion, doc.Version)
		_, err := time.Parse(time.RFC3339, doc.Exported)
		require.NoError(t, err)
		var ids []string
		for _, x := range read {
			ids = append(ids, x.ID)
		}
		require.ElementsMatch(t, ids, doc.Read)
		other := newPage(t, p.base)
		other.open("/")
		other.accept()
		other.waitSlot("home", "personal")
		for _, bad := range []string{`{"format": "hearth-profile"`, `{"format": "hearth-profile", "version": 2, "events": [{"kind": "love"}]}`} {
			code := eval[string](t, other, `hearth.import(`+browser.JS(bad)+`).then(() => 'imported', (err) => err.code)`)
			require.Equal(t, "bad-import", code, bad)
		}
		require.Empty(t, evalJSON[profileView](t, other, `hearth.profile()`).Read, "a refused import changes nothing")
		eval[bool](t, other, `hearth.import(`+browser.JS(exported)+`).then(() => true)`)
		v := evalJSON[profileView](t, other, `hearth.profile()`)
		require.Len(t, v.Read, len(read))
		// The imported profile is the exported one: it exports as the same
		// events, lists and topics (the weights have decayed to the import's
		// time, as every change of the profile decays them).
		type file struct {
			Interests []struct{ Topic string }
			Events    []struct {
				Item, Kind, Time string
				Dwell            float32 `json:"dwell_seconds"`
				Taught           []struct{ Topic string }
			}
			Read, Hidden, Muted []string
		}
		var before, after file
		require.NoError(t, json.Unmarshal([]byte(exported), &before))
		require.NoError(t, json.Unmarshal([]byte(eval[string](t, other, `hearth.export()`)), &after))
		require.NotEmpty(t, before.Events)
		require.Equal(t, before, after)
		eval[bool](t, other, `hearth.forget({item: `+browser.JS(read[0].ID)+`}).then(() => true)`)
		v = evalJSON[profileView](t, other, `hearth.profile()`)
		require.Len(t, v.Read, len(read)-1)
		other.reload()
		v = evalJSON[profileView](t, other, `hearth.profile()`)
		require.Len(t, v.Read, len(read)-1, "the import and the forgetting were stored")
		require.Empty(t, other.exceptions())
	})

	t.Run("clear leaves no trace and turns personalization off", func(t *testing.T) {
		p.open("/")
		p.waitSlot("home", "personal")
		eval[bool](t, p, `hearth.clear().then(() => true)`)
		require.Equal(t, "fallback", p.slot("home").State)
		require.Empty(t, p.databases())
		p.reload()
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Empty(t, p.databases())
	})
}

func TestFallback(t *testing.T) {
	tests := []struct {
		name    string
		missing string // the file left out, with its precompressed siblings
		code    string // the hearth:error expected
	}{
		{"wasm missing", serve.Wasm, "wasm"},
		{"worker missing", serve.Worker, "worker"},
		{"catalogue missing", serve.Catalogue, "catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := without(t, tt.missing)
			opts := readerOptions
			// Opt-out, so the loader tries to start the engine at once; the
			// server renders the fallback from the complete catalogue.
			opts.Consent = "opt-out"
			opts.Fallback = demo.NonPersonal(builtCatalogue(t), time.Now)
			p := newPage(t, site(t, dir, opts))
			p.open("/")
			require.Equal(t, readyDetail{Consent: "granted"}, p.ready(), "consent is on but the engine did not load")
			require.Equal(t, []string{tt.code}, p.hearthErrors())
			home := p.slot("home")
			require.Equal(t, "fallback", home.State)
			require.Len(t, home.Links, 5)
			require.Equal(t, ids(nonPersonal(t, "", 5)), ids(home.Links), "the slot shows the publisher's non-personal order")
			require.Empty(t, p.exceptions())
			require.Empty(t, p.violations())

			p.open("/blog/pipelines")
			require.Equal(t, readyDetail{Consent: "granted"}, p.ready())
			related := p.slot("related")
			p.screenshot("post-without-engine")
			require.Equal(t, "fallback", related.State)
			require.Equal(t, ids(nonPersonal(t, "/blog/pipelines", 5)), ids(related.Links))
			require.Equal(t, []string{tt.code}, p.hearthErrors())
			require.Empty(t, p.exceptions())
		})
	}
}

func TestConsent_OffStoresNothing(t *testing.T) {
	p := newPage(t, site(t, built, readerOptions))
	p.open("/blog/pipelines")
	require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
	eval[bool](t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
	time.Sleep(time.Second) // past the read thresholds
	require.Empty(t, p.databases(), "nothing is written while personalization is off")
	require.False(t, eval[bool](t, p, `performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm') || e.name.endsWith('.msgpack'))`),
		"neither the engine nor the catalogue is downloaded while off")
	require.Equal(t, "fallback", p.slot("related").State)
	require.Equal(t, []slotLink(nil), evalJSON[[]slotLink](t, p, `hearth.recommend().then((r) => r.length ? r : null)`))
	require.Empty(t, p.exceptions())
	require.Empty(t, p.violations())
}

func TestConsent_GlobalPrivacyControl(t *testing.T) {
	opts := readerOptions
	opts.Consent = "opt-out"
	p := newPage(t, site(t, built, opts))
	p.gpc()
	p.open("/")
	require.Equal(t, readyDetail{Consent: "denied"}, p.ready(), "GPC means off even under opt-out")
	require.Empty(t, p.databases())
	// <hearth-consent> does not ask under GPC; the profile page's switch
	// is the reader's own word.
	p.open("/profile")
	p.click(`hearth-profile input[data-action="consent"]`)
	p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'on'`, 30*time.Second)
	p.open("/")
	p.waitSlot("home", "personal")
	p.reload()
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready(), "the reader's own grant outlasts GPC")
	require.Empty(t, p.exceptions())
}

// nonPersonal is the order the demo server renders for readers without
// personalization, computed here from the same catalogue.
func nonPersonal(t *testing.T, current string, count int) []slotLink {
	t.Helper()
	var out []slotLink
	for _, l := range demo.NonPersonal(builtCatalogue(t), time.Now)(current, count) {
		out = append(out, slotLink{ID: l.ID, Href: l.URL})
	}
	return out
}

func builtCatalogue(t *testing.T) *catalog.Catalogue {
	t.Helper()
	cat, err := catalog.Decode(shipped.File(t, built, serve.Catalogue))
	require.NoError(t, err)
	return cat
}

func titles(links []slotLink) []string {
	out := make([]string, len(links))
	for i, l := range links {
		out[i] = l.Title
	}
	return out
}

func ids(links []slotLink) []string {
	out := make([]string, len(links))
	for i, l := range links {
		out[i] = l.ID
	}
	return out
}

func recIDs(recs []recommendation) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func postLinks(posts []post) []slotLink {
	out := make([]slotLink, len(posts))
	for i, p := range posts {
		out[i] = slotLink{ID: p.ID}
	}
	return out
}

func TestProfile_CorruptStored(t *testing.T) {
	p := newPage(t, site(t, built, readerOptions))
	p.open("/")
	require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
	// A granted consent next to a profile that is not a Hearth profile.
	eval[bool](t, p, `new Promise((resolve, reject) => {
  const req = indexedDB.open('hearth', 1);
  req.onupgradeneeded = () => req.result.createObjectStore('kv');
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const tx = req.result.transaction('kv', 'readwrite');
    tx.objectStore('kv').put('granted', 'consent');
    tx.objectStore('kv').put(new Uint8Array([0x81, 0xa1, 0x76, 0xc1, 0xff]), 'profile');
    tx.oncomplete = () => { req.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
})`)
	p.reload()
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready(), "a bad profile must not switch the engine off")
	require.Equal(t, []string{"bad-profile"}, p.hearthErrors())
	p.waitSlot("home", "personal")
	p.readPost("pipelines")
	p.reload()
	v := evalJSON[profileView](t, p, `hearth.profile()`)
	require.Len(t, v.Read, 1, "the next change replaced the unreadable profile")
	require.Empty(t, p.hearthErrors())
	require.Empty(t, p.exceptions())
}
