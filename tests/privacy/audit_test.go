package privacy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/stretchr/testify/require"
)

// post is one post of the demo's feed.
type post struct {
	URL  string   `json:"url"`
	Tags []string `json:"tags"`
}

func (p post) slug() string { return p.URL[strings.LastIndexByte(p.URL, '/')+1:] }

// about returns the slugs of the feed's posts tagged tag, newest first.
func about(t *testing.T, tag string) []string {
	t.Helper()
	var f struct {
		Items []post `json:"items"`
	}
	require.NoError(t, json.Unmarshal(demo.Feed(), &f))
	var out []string
	for _, p := range f.Items {
		if slices.Contains(p.Tags, tag) {
			out = append(out, p.slug())
		}
	}
	require.NotEmpty(t, out, "no posts tagged %s", tag)
	return out
}

// persona is a reader with a subject and habits.
type persona struct {
	name    string
	subject string // a tag of the feed
	// shift is where in the cycle of habits the reader starts, so that
	// readers do things in different orders.
	shift int
}

// reader drives one persona through the site and records what it did.
type reader struct {
	*tab
	persona
	posts   []string
	read    int
	visits  int    // of the profile page so far
	top     string // the strongest interest before revocation
	rec     Recording
	recSeen map[string]bool
}

func newReader(t *testing.T, base string, who persona) *reader {
	return &reader{tab: newTab(t, base), persona: who, posts: about(t, who.subject),
		rec: Recording{Persona: who.name}, recSeen: map[string]bool{}}
}

// nav opens path as the reader's own choice and notes what the page shows.
func (r *reader) nav(path string) {
	r.t.Helper()
	r.rec.Chosen = append(r.rec.Chosen, r.base+path)
	r.open(path)
	r.look()
}

// look notes what the current page recommends and asks to prefetch.
func (r *reader) look() {
	r.t.Helper()
	r.rec.Speculative = append(r.rec.Speculative, evalJSON[[]string](r.t, r.tab, speculative)...)
	shown := evalJSON[[]string](r.t, r.tab, `[
  ...document.querySelectorAll('hearth-recs[data-hearth-state="personal"] a[data-hearth-id]'),
  ...document.querySelectorAll('hearth-profile [data-part="recs"] a'),
].map((a) => a.href)`)
	for _, u := range shown {
		if !r.recSeen[u] {
			r.recSeen[u] = true
			r.rec.Recommended = append(r.rec.Recommended, u)
		}
	}
}

func (r *reader) nextPost() string {
	slug := r.posts[r.read%len(r.posts)]
	r.read++
	return slug
}

// readNext reads the next post about the reader's subject.
func (r *reader) readNext() {
	r.t.Helper()
	slug := r.nextPost()
	r.rec.Chosen = append(r.rec.Chosen, r.base+"/blog/"+slug)
	r.readPost(slug)
	r.look()
}

func (r *reader) like() {
	r.t.Helper()
	require.True(r.t, eval[bool](r.t, r.tab, `hearth.track({kind: 'like', item: location.href})`))
}

// hideOne hides the first recommendation of the page.
func (r *reader) hideOne() {
	r.t.Helper()
	id := eval[string](r.t, r.tab, `document.querySelector('hearth-recs a[data-hearth-id]').dataset.hearthId`)
	require.True(r.t, eval[bool](r.t, r.tab, `hearth.track({kind: 'hide', item: `+browser.JS(id)+`})`))
}

// home opens the home page and asks "Why this?" about the first
// recommendation from the keyboard.
func (r *reader) home() {
	r.t.Helper()
	r.nav("/")
	require.Equal(r.t, "personal", r.slot("home").State)
	require.NoError(r.t, chromedp.Do(r.ctx, chromedp.Focus(chromedp.CSS(`hearth-recs .hearth-why`)), chromedp.KeyEvent(kb.Enter)))
	r.waitFor(`document.querySelector('hearth-recs .hearth-why').getAttribute('aria-expanded') === 'true' && !document.querySelector('hearth-recs .hearth-reason').hidden`, 5*time.Second)
}

// follow opens the first recommendation of the current page.
func (r *reader) follow() {
	r.t.Helper()
	href := eval[string](r.t, r.tab, `document.querySelector('hearth-recs[data-hearth-state="personal"] a[data-hearth-id]').href`)
	r.rec.Chosen = append(r.rec.Chosen, href)
	r.tab.follow(`hearth-recs[data-hearth-state="personal"] a[data-hearth-id]`)
	r.look()
}

// inspect opens the profile page and changes one thing there.
func (r *reader) inspect() {
	r.t.Helper()
	r.nav("/profile")
	r.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'on'`, 10*time.Second)
	r.look()
	actions := []struct {
		sel  string
		keys string
	}{
		{sel: `hearth-profile [data-part="history"] button[data-action="forget-event"]`},
		{sel: `hearth-profile input[data-action="variety"]`, keys: kb.ArrowRight},
		{sel: `hearth-profile [data-part="interests"] li:last-child button[data-action="mute"]`},
		{sel: `hearth-profile [data-part="interests"] li:last-child button[data-action="forget-topic"]`},
	}
	a := actions[(r.visits+r.shift)%len(actions)]
	r.visits++
	// From the keyboard, as a reader without a mouse would.
	require.NoError(r.t, chromedp.Do(r.ctx, chromedp.Focus(chromedp.CSS(a.sel))))
	keys := a.keys
	if keys == "" {
		keys = kb.Enter
	}
	require.NoError(r.t, chromedp.Do(r.ctx, chromedp.KeyEvent(keys)))
	r.waitFor(`document.querySelector('hearth-profile .hearth-status').textContent !== ''`, 10*time.Second)
	require.Empty(r.t, eval[string](r.t, r.tab, `document.querySelector('hearth-profile .hearth-alert').textContent`))
}

// walk plays the persona: consent on the first page, 29 more page views,
// then revocation on the profile page and two page views without
// personalization. It returns the recording.
func (r *reader) walk() Recording {
	t := r.t
	r.nav("/")
	require.Equal(t, readyDetail{Consent: "denied"}, r.ready())
	grant := r.proxy.Len()
	r.rec.Off = append(r.rec.Off, Span{From: 0, To: grant})
	r.accept()
	r.waitFor(`document.querySelector('hearth-recs[slot-name="home"]').dataset.hearthState === 'personal'`, 30*time.Second)
	r.look()

	habits := []func(){
		r.readNext,
		func() { r.readNext(); r.like() },
		r.home,
		r.follow,
		func() { r.readNext(); r.hideOne() },
		r.inspect,
		func() { r.nav("/blog/") },
	}
	for i := 0; len(r.rec.Chosen) < 30; i++ {
		habits[(i+r.shift)%len(habits)]()
	}

	// Everything Hearth keeps is one IndexedDB database and one cache of
	// the public catalogue's files (js/store.js keptBody).
	r.nav("/profile")
	r.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'on'`, 10*time.Second)
	require.Equal(t, storage{IndexedDB: []string{"hearth"}, Caches: []string{"hearth-catalogue"}}, normalise(r.storage()))
	r.top = r.tab.profile().topics()[0]
	revoke := r.proxy.Len()
	r.rec.Off = append(r.rec.Off, Span{From: revoke, To: -1})
	r.click(`hearth-profile input[data-action="consent"]`)
	r.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'off'`, 10*time.Second)
	require.Equal(t, storage{}, normalise(r.storage()))
	r.nav("/")
	require.Equal(t, readyDetail{Consent: "denied"}, r.ready())
	r.nav("/blog/" + r.posts[0])
	require.Equal(t, readyDetail{Consent: "denied"}, r.ready())

	require.Empty(t, r.exceptions())
	require.Empty(t, r.hearthErrors())
	require.Empty(t, r.violations())
	r.rec.Requests = r.proxy.Requests()
	r.rec.Cookies = r.cookies()
	return r.rec
}

var personas = []persona{
	{name: "Ada, concurrency", subject: "concurrency", shift: 0},
	{name: "Ben, App Engine", subject: "appengine", shift: 3},
	{name: "Cleo, surveys", subject: "survey", shift: 5},
}

// TestAudit plays three readers with different interests through 33 page
// views each (likes, hides, "Why this?", the profile page) and audits
// every request their pages and Workers made.
func TestAudit(t *testing.T) {
	srv := startSite(t, built, readerOptions)
	s := site(srv.URL)
	recs := make([]Recording, len(personas))
	tops := make([]string, len(personas))
	// t.Run returns once its parallel subtests are done.
	t.Run("readers", func(t *testing.T) {
		for i, who := range personas {
			t.Run(who.name, func(t *testing.T) {
				t.Parallel()
				r := newReader(t, srv.URL, who)
				recs[i] = r.walk()
				tops[i] = r.top
			})
		}
	})
	if t.Failed() {
		return
	}

	for _, rec := range recs {
		t.Logf("%s: %d requests (%d left to the browser: %v), %d page views, %d recommended URLs seen",
			rec.Persona, len(rec.Requests), len(Browser(s, rec)), browserHosts(s, rec), len(rec.Chosen), len(rec.Recommended))
		require.Len(t, rec.Chosen, 33)
		// The tap sees the Worker: the engine and the catalogue are only
		// ever fetched by it.
		got := paths(rec.Requests, s.Origin)
		for _, f := range []string{serve.Worker, serve.WasmExec, serve.Wasm, serve.Catalogue} {
			require.Contains(t, got, "/hearth/"+f, "%s: the proxy missed the Worker's requests", rec.Persona)
		}
		require.NotEmpty(t, rec.Recommended)
	}
	t.Logf("top interests: %v", tops)
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(tops))), len(personas), "the readers' profiles differ")

	findings := Audit(s, recs)
	require.Empty(t, findings, "the audit found leaks:\n%s", joinFindings(findings))
	require.Zero(t, srv.reports.Load(), "CSP violation reports")
}

func browserHosts(s Site, rec Recording) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range Browser(s, rec) {
		if !seen[r.URL] {
			seen[r.URL] = true
			out = append(out, r.URL)
		}
	}
	return out
}

func joinFindings(fs []Finding) string {
	var b strings.Builder
	for i, f := range fs {
		if i == 20 {
			fmt.Fprintf(&b, "… and %d more\n", len(fs)-i)
			break
		}
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}

// short plays a reader for four page views: consent, two reads about the
// subject, then the home page, waiting there for the page's script to flag
// that it ran (window.__leaked).
func (r *reader) short() Recording {
	r.t.Helper()
	r.nav("/")
	r.rec.Off = append(r.rec.Off, Span{From: 0, To: r.proxy.Len()})
	r.accept()
	r.waitFor(`document.querySelector('hearth-recs[slot-name="home"]').dataset.hearthState === 'personal'`, 30*time.Second)
	r.readNext()
	r.readNext()
	r.nav("/")
	r.waitFor(`window.__leaked === true`, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // let the leak's request reach the proxy
	r.look()
	r.rec.Requests = r.proxy.Requests()
	r.rec.Cookies = r.cookies()
	return r.rec
}

// TestAudit_CatchesLeaks serves deliberately leaking builds of Hearth, each
// with a few lines added to the loader or the Worker that send something
// about the reader, and checks that the same audit reports each one.
func TestAudit_CatchesLeaks(t *testing.T) {
	// Added to the loader: runs on every page once Hearth is ready, with
	// the reader's top topic and first recommendation at hand.
	page := func(code string) map[string][]byte {
		return map[string][]byte{serve.Loader: append(builtFile(t, serve.Loader), []byte(`
;window.hearth.ready.then(async () => {
  const view = await window.hearth.profile();
  if (!view || !view.interests.length) return;
  const topic = view.interests[0].topic;
  const rec = (await window.hearth.recommend({count: 1}))[0].url;
  `+code+`
  window.__leaked = true;
});
`)...)}
	}
	tests := []struct {
		name   string
		change map[string][]byte
		rule   string
	}{
		{"a beacon with the top topic", page(`navigator.sendBeacon('/hearth/catalogue.msgpack', topic);`), RuleMethod},
		{"the top topic in a query string", page(`await fetch('/hearth/catalogue.msgpack?t=' + encodeURIComponent(topic), {credentials: 'omit'});`), RuleQuery},
		{"the top topic in a request that looks like the others", page(`await fetch('/hearth/' + (topic < 'b' ? 'hearth.wasm' : 'catalogue.msgpack'), {cache: 'no-store'});`), RuleSame},
		{"a thumbnail of the first recommendation", page(`new Image().src = rec;`), RuleRecommended},
		{"a cookie with the top topic", page(`document.cookie = 'topic=' + encodeURIComponent(topic) + '; path=/';`), RuleCookie},
		{"a prefetch of the first recommendation", page(`const l = document.createElement('link'); l.rel = 'prefetch'; l.href = rec; document.head.append(l);`), RuleSpeculative},
		{
			// Only a tap that sees the Worker's own requests catches this.
			name: "the Worker fetches what it recommends",
			change: map[string][]byte{
				serve.Worker: append(builtFile(t, serve.Worker), []byte(`
;(() => {
  const post = self.postMessage.bind(self);
  self.postMessage = (m) => {
    if (m && Array.isArray(m.value) && m.value.length && m.value[0].url) fetch(m.value[0].url, {credentials: 'omit'}).catch(() => {});
    return post(m);
  };
})();
`)...),
				// The page flags that it ran once the slots are filled.
				serve.Loader: append(builtFile(t, serve.Loader), []byte(`
;window.hearth.ready.then(() => new Promise((r) => setTimeout(r, 200))).then(() => { window.__leaked = true; });
`)...),
			},
			rule: RuleRecommended,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startSite(t, variant(t, tt.change), readerOptions)
			var recs []Recording
			for _, who := range personas[:2] {
				recs = append(recs, newReader(t, srv.URL, who).short())
			}
			findings := Audit(site(srv.URL), recs)
			var rules []string
			for _, f := range findings {
				rules = append(rules, f.Rule)
			}
			require.Contains(t, rules, tt.rule, "the audit missed the leak; it reported:\n%s", joinFindings(findings))
		})
	}
}
