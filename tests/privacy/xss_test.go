package privacy

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/stretchr/testify/require"
)

// Payloads that set window.__xss if a page ever treats catalogue text as
// HTML.
const (
	imgPayload    = `<img src=x onerror="window.__xss='img'">`
	scriptPayload = `<script>window.__xss='script'</script>`
)

// hostileCatalogue is the built catalogue with every title and topic name
// carrying markup that runs script when parsed as HTML.
func hostileCatalogue(t *testing.T) []byte {
	t.Helper()
	cat := catalogueIn(t, built)
	for i := range cat.Items {
		cat.Items[i].Title = imgPayload + scriptPayload + cat.Items[i].Title
	}
	for i := range cat.Topics {
		cat.Topics[i] = `<img src=y onerror="window.__xss='topic'">` + cat.Topics[i]
	}
	require.NoError(t, cat.Validate())
	b, err := cat.Encode()
	require.NoError(t, err)
	return b
}

// TestXSS_CatalogueTextIsInert serves the hostile catalogue without any CSP,
// so that only Hearth's rendering stands between the catalogue and the page,
// and checks that no payload runs in the slots, the reasons or the profile.
func TestXSS_CatalogueTextIsInert(t *testing.T) {
	dir := variant(t, map[string][]byte{serve.Catalogue: hostileCatalogue(t)})
	opts := readerOptions
	opts.Consent = "opt-out"
	h, err := demo.NewServer(os.DirFS(dir), opts)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(noCSP{w}, r)
	}))
	t.Cleanup(srv.Close)
	p := newTab(t, srv.URL)

	p.readPost("pipelines")
	p.readPost("context")
	p.open("/")
	home := p.slot("home")
	require.Equal(t, "personal", home.State)
	require.True(t, strings.HasPrefix(home.Links[0].Title, imgPayload+scriptPayload), "the title is shown as the text it is: %q", home.Links[0].Title)
	p.click(`hearth-recs .hearth-why`)
	require.Contains(t, eval[string](t, p, `document.querySelector('hearth-recs .hearth-reason').textContent`), "<img")
	p.open("/profile")
	p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'on'`, 10*time.Second)
	require.Contains(t, eval[string](t, p, `document.querySelector('hearth-profile [data-part="interests"]').textContent`), "onerror")
	require.Contains(t, eval[string](t, p, `document.querySelector('hearth-profile [data-part="history"]').textContent`), "<script>")
	time.Sleep(300 * time.Millisecond) // an injected image would have failed to load by now
	require.Zero(t, eval[int](t, p, `document.querySelectorAll('hearth-profile img, hearth-profile script, hearth-recs img, hearth-recs script').length`))
	require.Nil(t, evalJSON[any](t, p, `window.__xss`), "a payload ran")

	// The check can fail: the same text parsed as HTML runs in this page.
	eval[bool](t, p, `(document.body.insertAdjacentHTML('beforeend', `+browser.JS(imgPayload)+`), true)`)
	p.waitFor(`window.__xss === 'img'`, 5*time.Second)
	require.Empty(t, p.hearthErrors())
}

// noCSP drops the Content-Security-Policy header of a response.
type noCSP struct{ http.ResponseWriter }

func (w noCSP) WriteHeader(code int) {
	w.Header().Del("Content-Security-Policy")
	w.ResponseWriter.WriteHeader(code)
}

func (w noCSP) Write(b []byte) (int, error) {
	w.Header().Del("Content-Security-Policy")
	return w.ResponseWriter.Write(b)
}

// TestXSS_UnsafeLinksNotRendered hands <hearth-recs> recommendations with
// javascript:, data: and other non-http links, as a compromised engine
// could: only the http(s) and site-relative ones become links. (The engine
// itself refuses such a catalogue: TestRobust_Catalogue.)
func TestXSS_UnsafeLinksNotRendered(t *testing.T) {
	srv := startSite(t, built, readerOptions)
	p := newTab(t, srv.URL)
	p.open("/")
	links := evalJSON[[]string](t, p, `(() => {
  const el = document.querySelector('hearth-recs');
  const rec = (id, url) => ({id, url, title: id, reasons: []});
  el.show([
    rec('js', 'javascript:window.__xss="link"'),
    rec('js-spaces', '  JavaScript:window.__xss="link"'),
    rec('data', 'data:text/html,<script>window.__xss="data"</script>'),
    rec('vbscript', 'vbscript:msgbox(1)'),
    rec('relative', '/blog/pipelines'),
    rec('https', 'https://example.org/post'),
  ]);
  return [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'));
})()`)
	require.Equal(t, []string{"/blog/pipelines", "https://example.org/post"}, links)
	require.Nil(t, evalJSON[any](t, p, `window.__xss`))
	require.Empty(t, p.exceptions())
}

// TestCSP_ReportsArrive shows that the zero report count the other tests
// check can fail: a page that breaks the same policy reports it.
func TestCSP_ReportsArrive(t *testing.T) {
	srv := startSite(t, built, readerOptions)
	p := newTab(t, srv.URL)
	require.NoError(t, chromedp.Do(p.ctx, chromedp.Navigate(srv.URL+"/csp-probe")))
	require.Nil(t, evalJSON[any](t, p, `window.inline`), "the inline script was blocked")
	deadline := time.Now().Add(10 * time.Second)
	for srv.reports.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	require.Positive(t, srv.reports.Load())
}
