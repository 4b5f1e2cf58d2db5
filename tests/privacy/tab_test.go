package privacy

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

// instrument runs in every document before the page's scripts: it records
// CSP violations, Hearth's error events and anything uncaught where the test
// can read them.
const instrument = `
window.__test = {violations: [], errors: [], uncaught: []};
document.addEventListener('securitypolicyviolation', (e) => {
  __test.violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
document.addEventListener('hearth:error', (e) => __test.errors.push(e.detail.code));
addEventListener('error', (e) => __test.uncaught.push(String(e.message)));
addEventListener('unhandledrejection', (e) => __test.uncaught.push(String((e.reason && e.reason.message) || e.reason)));
`

// speculative lists what a page asks the browser to fetch ahead of the
// reader.
const speculative = `[...document.querySelectorAll(
  'link[rel~="prefetch"], link[rel~="prerender"], link[rel~="preload"], link[rel~="modulepreload"], ' +
  'link[rel~="preconnect"], link[rel~="dns-prefetch"], script[type="speculationrules"]')]
  .map((e) => e.outerHTML)`

// tab is one test's tab, in its own browser context with its own proxy.
type tab struct {
	t     *testing.T
	ctx   context.Context
	proxy *Proxy
	base  string

	mu   sync.Mutex
	excs []string
}

// newTab opens a tab whose browser context sends everything through a new
// logging proxy.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	proxy, err := NewProxy()
	require.NoError(t, err)
	t.Cleanup(proxy.Close)
	ctx := chrome.Tab(t, func(p *target.CreateBrowserContextParams) {
		p.ProxyServer = proxy.URL()
		p.ProxyBypassList = "<-loopback>"
	})
	return setup(t, ctx, proxy, base)
}

// second opens another tab in the same browser context: the same storage,
// the same proxy, like a second tab of the same window.
func (p *tab) second() *tab {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	require.NoError(p.t, chromedp.Do(ctx))
	return setup(p.t, ctx, p.proxy, p.base)
}

func setup(t *testing.T, ctx context.Context, proxy *Proxy, base string) *tab {
	t.Helper()
	p := &tab{t: t, ctx: ctx, proxy: proxy, base: base}
	_, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: instrument})
	require.NoError(t, err)
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			text := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				text += " " + e.ExceptionDetails.Exception.Description
			}
			p.mu.Lock()
			p.excs = append(p.excs, text)
			p.mu.Unlock()
		}
	}))
	return p
}

// beforeLoad runs a script in every document of the tab before its own.
func (p *tab) beforeLoad(src string) {
	p.t.Helper()
	_, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src})
	require.NoError(p.t, err)
}

// gpc makes navigator.globalPrivacyControl true in every document, as a
// browser with Global Privacy Control switched on does (Chromium has no
// switch for it).
func (p *tab) gpc() {
	p.beforeLoad(`Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});`)
}

// exceptions returns the page's uncaught exceptions: those the browser
// reported and those the page's error handlers saw.
func (p *tab) exceptions() []string {
	p.mu.Lock()
	out := append([]string(nil), p.excs...)
	p.mu.Unlock()
	return append(out, evalJSON[[]string](p.t, p, `(window.__test || {uncaught: []}).uncaught`)...)
}

// open navigates to path and waits until Hearth is ready.
func (p *tab) open(path string) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Navigate(p.base+path)))
	p.ready()
}

func (p *tab) reload() {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Reload()))
	p.ready()
}

type readyDetail struct {
	Consent      string `json:"consent"`
	Personalized bool   `json:"personalized"`
}

// ready waits for hearth.ready and returns the state it settled in.
func (p *tab) ready() readyDetail {
	p.t.Helper()
	return evalJSON[readyDetail](p.t, p, `hearth.ready`)
}

// state is the consent and personalization now (hearth.ready keeps the
// state of the page's start).
func (p *tab) state() readyDetail {
	p.t.Helper()
	return evalJSON[readyDetail](p.t, p, `hearth.ready.then(() => ({consent: hearth.consent, personalized: hearth.personalized}))`)
}

// click clicks the element sel, like a reader with a mouse.
func (p *tab) click(sel string) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(sel))))
}

// follow clicks the link sel and waits for the page it opens.
func (p *tab) follow(sel string) string {
	p.t.Helper()
	href := eval[string](p.t, p, `document.querySelector(`+browser.JS(sel)+`).href`)
	p.click(sel)
	p.waitFor(`location.href === `+browser.JS(href)+` && document.readyState === 'complete' && !!window.hearth`, 30*time.Second)
	p.ready()
	return href
}

// eval evaluates a JS expression in p, awaiting it if it is a promise.
func eval[T any](t *testing.T, p *tab, expr string) T {
	t.Helper()
	return browser.Eval[T](t, p.ctx, expr)
}

// evalJSON evaluates expr in p and decodes its JSON form.
func evalJSON[T any](t *testing.T, p *tab, expr string) T {
	t.Helper()
	return browser.EvalJSON[T](t, p.ctx, expr)
}

// waitFor polls expr until it is true; evaluation errors (a page that is
// being replaced) count as false.
func (p *tab) waitFor(expr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`Promise.resolve(`+expr+`).then(Boolean)`, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out after %v waiting for %s (last error %v, hearth:error codes %v)", timeout, expr, err, p.hearthErrors())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *tab) hearthErrors() []string {
	p.t.Helper()
	return evalJSON[[]string](p.t, p, `(window.__test || {errors: []}).errors`)
}

func (p *tab) violations() []string {
	p.t.Helper()
	return evalJSON[[]string](p.t, p, `(window.__test || {violations: []}).violations`)
}

// readPost reads a post like a reader: open it, scroll to the end, stay
// past the dwell threshold, and wait until the Worker stored the read.
func (p *tab) readPost(slug string) {
	p.t.Helper()
	p.open("/blog/" + slug)
	eval[bool](p.t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
	p.waitFor(`hearth.profile().then((v) => !!v && v.events.some((e) => e.kind === 'read' && e.url === '/blog/`+slug+`'))`, 30*time.Second)
}

// storage is everything the origin keeps in the browser.
type storage struct {
	IndexedDB []string `json:"indexedDB"`
	Local     int      `json:"local"`
	Session   int      `json:"session"`
	Caches    []string `json:"caches"`
	Cookies   []string `json:"cookies"`
}

func (p *tab) storage() storage {
	p.t.Helper()
	s := evalJSON[storage](p.t, p, `(async () => ({
  indexedDB: (await indexedDB.databases()).map((d) => d.name),
  local: localStorage.length,
  session: sessionStorage.length,
  caches: await caches.keys(),
  cookies: document.cookie ? document.cookie.split('; ') : [],
}))()`)
	s.Cookies = append(s.Cookies, p.cookies()...)
	return s
}

// cookies returns the cookies the browser context holds for the site.
func (p *tab) cookies() []string {
	p.t.Helper()
	var out []string
	res, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.base + "/"}})
	require.NoError(p.t, err)
	for _, c := range res.Cookies {
		out = append(out, c.Name+"="+c.Value)
	}
	return out
}

// storedProfile returns the stored profile bytes, nil when there are none.
func (p *tab) storedProfile() []byte {
	p.t.Helper()
	return evalJSON[[]byte](p.t, p, `new Promise((resolve) => {
  const req = indexedDB.open('hearth');
  req.onupgradeneeded = () => req.transaction.abort();
  req.onerror = () => resolve(null);
  req.onsuccess = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains('kv')) { db.close(); return resolve(null); }
    const get = db.transaction('kv').objectStore('kv').get('profile');
    get.onsuccess = () => {
      db.close();
      const v = get.result;
      if (!(v instanceof Uint8Array)) return resolve(null);
      let s = '';
      for (const b of v) s += String.fromCharCode(b);
      resolve(btoa(s));
    };
  };
})`)
}

// store puts entries into Hearth's database as a page script could,
// values given as JS expressions.
func (p *tab) store(entries map[string]string) {
	p.t.Helper()
	var puts []string
	for k, v := range entries {
		puts = append(puts, `tx.objectStore('kv').put(`+v+`, `+browser.JS(k)+`);`)
	}
	eval[bool](p.t, p, `new Promise((resolve, reject) => {
  const req = indexedDB.open('hearth', 1);
  req.onupgradeneeded = () => req.result.createObjectStore('kv');
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const tx = req.result.transaction('kv', 'readwrite');
    `+strings.Join(puts, "\n    ")+`
    tx.oncomplete = () => { req.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
})`)
}

// bytesJS is a JS expression for a Uint8Array holding b.
func bytesJS(b []byte) string {
	j, _ := json.Marshal(b) // base64
	return `Uint8Array.from(atob(` + string(j) + `), (c) => c.charCodeAt(0))`
}

type profileView struct {
	Consent   string  `json:"consent"`
	Variety   float64 `json:"variety"`
	Interests []struct {
		Topic  string  `json:"topic"`
		Weight float64 `json:"weight"`
	} `json:"interests"`
	Events []struct {
		Index int    `json:"index"`
		Item  string `json:"item"`
		Title string `json:"title"`
		URL   string `json:"url"`
		Kind  string `json:"kind"`
		Time  int64  `json:"time"`
		Topic string `json:"topic"`
	} `json:"events"`
	Read []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"read"`
	Hidden []struct {
		ID string `json:"id"`
	} `json:"hidden"`
	Muted []string `json:"muted"`
}

func (p *tab) profile() profileView {
	p.t.Helper()
	return evalJSON[profileView](p.t, p, `hearth.profile()`)
}

// topics returns the profile's interests, strongest first.
func (v profileView) topics() []string {
	var out []string
	for _, in := range v.Interests {
		out = append(out, in.Topic)
	}
	return out
}

type slotLink struct {
	ID    string `json:"id"`
	Href  string `json:"href"`
	Title string `json:"title"`
}

type slotState struct {
	State string     `json:"state"`
	Links []slotLink `json:"links"`
}

// slot reads a <hearth-recs> element as the reader sees it.
func (p *tab) slot(name string) slotState {
	p.t.Helper()
	return evalJSON[slotState](p.t, p, `(() => {
  const el = document.querySelector('hearth-recs[slot-name="`+name+`"]');
  return {
    state: el.dataset.hearthState,
    links: [...el.querySelectorAll('a')].map((a) => ({id: a.dataset.hearthId || '', href: a.getAttribute('href'), title: a.textContent})),
  };
})()`)
}

func ids(links []slotLink) []string {
	out := make([]string, len(links))
	for i, l := range links {
		out[i] = l.ID
	}
	return out
}
