package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

// instrument runs in every document before the page's scripts: it records
// CSP violations and Hearth's error events where the test can read them.
const instrument = `
window.__test = {violations: [], errors: [], slots: []};
document.addEventListener('securitypolicyviolation', (e) => {
  __test.violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
document.addEventListener('hearth:error', (e) => __test.errors.push(e.detail.code));
document.addEventListener('hearth:recommendations', (e) => __test.slots.push(e.detail.slot + ':' + e.detail.items.length));
`

// page is one test's tab on one demo server.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu   sync.Mutex
	excs []string
}

func newPage(t *testing.T, base string) *page {
	t.Helper()
	p := &page{t: t, ctx: chrome.Tab(t), base: base}
	p.instrument()
	return p
}

// instrument installs the instrument script and records exceptions.
func (p *page) instrument() {
	t := p.t
	t.Helper()
	_, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: instrument})
	require.NoError(t, err)
	require.NoError(t, chromedp.Listen(p.ctx, func(ev any) {
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
}

// exceptions returns the uncaught exceptions of the page so far.
func (p *page) exceptions() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.excs...)
}

// gpc makes navigator.globalPrivacyControl true in every document, as a
// browser with Global Privacy Control switched on does (Chromium has no
// switch for it).
func (p *page) gpc() {
	_, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});`,
	})
	require.NoError(p.t, err)
}

// screenshot saves the visible page as <HEARTH_SCREENSHOTS>/<test>-<name>.png
// when that folder is set, to look at what a reader saw.
func (p *page) screenshot(name string) {
	p.t.Helper()
	dir := os.Getenv("HEARTH_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	require.NoError(p.t, err)
	file := strings.NewReplacer("/", "_", " ", "_").Replace(p.t.Name()) + "-" + name + ".png"
	require.NoError(p.t, os.WriteFile(filepath.Join(dir, file), png, 0o644))
}

func (p *page) open(path string) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Navigate(p.base+path)))
}

func (p *page) reload() {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Reload()))
}

func (p *page) click(sel string) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(sel))))
}

// header returns the Content-Security-Policy the server sends for path.
func (p *page) header(path string) string {
	p.t.Helper()
	resp, err := http.Get(p.base + path)
	require.NoError(p.t, err)
	resp.Body.Close()
	return resp.Header.Get("Content-Security-Policy")
}

// eval evaluates a JS expression in p, awaiting it if it is a promise.
func eval[T any](t *testing.T, p *page, expr string) T {
	t.Helper()
	return browser.Eval[T](t, p.ctx, expr)
}

// evalJSON evaluates expr in p and decodes its JSON form.
func evalJSON[T any](t *testing.T, p *page, expr string) T {
	t.Helper()
	return browser.EvalJSON[T](t, p.ctx, expr)
}

// waitFor polls expr until it is true.
func (p *page) waitFor(expr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if eval[bool](p.t, p, `Promise.resolve(`+expr+`).then(Boolean)`) {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out after %v waiting for %s (hearth:error codes %v, exceptions %v)",
				timeout, expr, p.hearthErrors(), p.exceptions())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type readyDetail struct {
	Consent      string `json:"consent"`
	Personalized bool   `json:"personalized"`
}

func (p *page) ready() readyDetail {
	p.t.Helper()
	return evalJSON[readyDetail](p.t, p, `hearth.ready`)
}

type slotLink struct {
	ID     string `json:"id"`
	Href   string `json:"href"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

type slotState struct {
	State string     `json:"state"`
	Links []slotLink `json:"links"`
}

// slot reads a <hearth-recs> element as the reader sees it.
func (p *page) slot(name string) slotState {
	p.t.Helper()
	return evalJSON[slotState](p.t, p, `(() => {
  const el = document.querySelector('hearth-recs[slot-name="`+name+`"]');
  return {
    state: el.dataset.hearthState,
    links: [...el.querySelectorAll('a')].map((a) => ({
      id: a.dataset.hearthId || '',
      href: a.getAttribute('href'),
      title: a.textContent,
      reason: (a.parentElement.querySelector('.hearth-reason') || {}).textContent || '',
    })),
  };
})()`)
}

func (p *page) waitSlot(name, state string) slotState {
	p.t.Helper()
	p.waitFor(`document.querySelector('hearth-recs[slot-name="`+name+`"]').dataset.hearthState === '`+state+`'`, 30*time.Second)
	return p.slot(name)
}

// readPost reads a post like a reader: open it, scroll to the end, stay
// past the dwell threshold, and wait until the Worker stored the read.
func (p *page) readPost(slug string) {
	p.t.Helper()
	p.open("/blog/" + slug)
	eval[bool](p.t, p, `hearth.ready.then(() => (window.scrollTo(0, document.documentElement.scrollHeight), true))`)
	p.waitFor(`hearth.profile().then((v) => !!v && v.events.some((e) => e.kind === 'read' && e.url === '/blog/`+slug+`'))`, 30*time.Second)
}

// databases lists the origin's IndexedDB databases.
func (p *page) databases() []string {
	p.t.Helper()
	return evalJSON[[]string](p.t, p, `indexedDB.databases().then((dbs) => dbs.map((d) => d.name))`)
}

func (p *page) violations() []string {
	p.t.Helper()
	return evalJSON[[]string](p.t, p, `__test.violations`)
}

func (p *page) hearthErrors() []string {
	p.t.Helper()
	return evalJSON[[]string](p.t, p, `__test.errors`)
}

type recommendation struct {
	ID      string `json:"id"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Reasons []struct {
		Code string `json:"code"`
		Text string `json:"text"`
		Ref  string `json:"ref"`
	} `json:"reasons"`
}

type profileView struct {
	Consent   string `json:"consent"`
	Interests []struct {
		Topic  string  `json:"topic"`
		Weight float64 `json:"weight"`
	} `json:"interests"`
	Read []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"read"`
}
