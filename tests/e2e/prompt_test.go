package e2e

import (
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/tests/hearthpage"
	"github.com/hearth-dev/hearth/tests/shipped"
	"github.com/hearth-dev/hearth/web/serve"
)

// statusOff and statusOn: <hearth-consent> says the reader's answer was
// recorded, which may come after the slot's list (the answer's record and
// the engine's start run side by side).
const (
	statusOff = `document.querySelector('hearth-consent').shadowRoot.querySelector('[role="status"]').textContent === 'Personalization is off.'`
	statusOn  = `document.querySelector('hearth-consent').shadowRoot.querySelector('[role="status"]').textContent === 'Personalization is on.'`
)

// accept switches personalization on the way a reader does: with the
// Accept button of the page's <hearth-consent>, once it shows.
func (p *page) accept() {
	p.t.Helper()
	hearthpage.Accept(p.t, p.ctx)
}

func (p *page) decline() {
	p.t.Helper()
	hearthpage.Decline(p.t, p.ctx)
}

// promptState is <hearth-consent> as a reader and a screen reader meet it.
type promptState struct {
	State    string `json:"state"`
	Role     string `json:"role"`
	Label    string `json:"label"`
	Text     string `json:"text"`
	Accept   string `json:"accept"`
	Decline  string `json:"decline"`
	Position string `json:"position"`
	Focused  bool   `json:"focused"` // focus is inside the element
	Status   string `json:"status"`
}

func (p *page) prompt() promptState {
	p.t.Helper()
	return evalJSON[promptState](p.t, p, `hearth.ready.then(() => {
  const el = document.querySelector('hearth-consent');
  const root = el.shadowRoot;
  const region = root.querySelector('[part~="region"]');
  return {
    state: el.dataset.hearthState,
    role: region.getAttribute('role'),
    label: region.getAttribute('aria-label'),
    text: root.querySelector('[part~="text"]').textContent,
    accept: root.querySelector('[part~="accept"]').textContent,
    decline: root.querySelector('[part~="decline"]').textContent,
    position: getComputedStyle(el).position,
    focused: document.activeElement === el,
    status: root.querySelector('[role="status"]').textContent,
  };
})`)
}

// shifts is the page's cumulative layout shift, as Lighthouse counts it:
// the layout-shift entries without recent input, summed (buffered, so from
// the first paint on), read two frames after the call.
const shifts = `window.__shifts = {cls: 0, n: 0};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) { __shifts.cls += e.value; __shifts.n++; }
}).observe({type: 'layout-shift', buffered: true});`

func (p *page) measureShifts() {
	p.t.Helper()
	_, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: shifts})
	require.NoError(p.t, err)
}

func (p *page) layoutShift() float64 {
	p.t.Helper()
	return eval[float64](p.t, p, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(__shifts.cls))))`)
}

// storedConsent is what Hearth's database holds: its keys, and the consent
// record; no database gives none.
func (p *page) stored() []string {
	p.t.Helper()
	return evalJSON[[]string](p.t, p, `indexedDB.databases().then((dbs) => !dbs.some((d) => d.name === 'hearth') ? [] :
  new Promise((resolve, reject) => {
    const open = indexedDB.open('hearth');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const store = db.transaction('kv').objectStore('kv');
      const keys = store.getAllKeys();
      const consent = store.get('consent');
      keys.onsuccess = () => consent.onsuccess = () => { db.close(); resolve([...keys.result.map(String), 'consent=' + consent.result]); };
    };
  }))`)
}

func TestConsentPrompt(t *testing.T) {
	t.Run("asks without shifting the page, then accepts from the keyboard", func(t *testing.T) {
		p := newPage(t, site(t, built, readerOptions))
		p.measureShifts()
		p.open("/blog/pipelines")
		p.waitFor(hearthpage.PromptShown, 10*time.Second)
		p.screenshot("asking")
		got := p.prompt()
		require.Equal(t, "shown", got.State)
		require.Equal(t, "region", got.Role)
		require.Equal(t, "Personalization", got.Label)
		require.Contains(t, got.Text, "in this browser only")
		require.Equal(t, "Personalize", got.Accept)
		require.Equal(t, "No, thanks", got.Decline)
		require.Equal(t, "fixed", got.Position)
		require.False(t, got.Focused, "the prompt does not take focus on load")
		require.Zero(t, p.layoutShift(), "showing the prompt shifts nothing")
		// The measure sees a shift where there is one: a banner put
		// above the page's content pushes it down.
		eval[bool](t, p, `(document.body.prepend(Object.assign(document.createElement('h1'), {textContent: 'A banner in the flow'})), true)`)
		require.Greater(t, p.layoutShift(), 0.0)

		// The first Tab of the page reaches Accept; Enter presses it.
		p.open("/")
		p.waitFor(hearthpage.PromptShown, 10*time.Second)
		require.NoError(t, chromedp.Do(p.ctx, chromedp.KeyEvent(kb.Tab)))
		require.True(t, eval[bool](t, p, `document.activeElement.localName === 'hearth-consent' && document.activeElement.shadowRoot.activeElement.dataset.consent === 'granted'`))
		require.NoError(t, chromedp.Do(p.ctx, chromedp.KeyEvent(kb.Enter)))
		p.waitSlot("home", "personal")
		p.waitFor(statusOn, 5*time.Second)
		got = p.prompt()
		require.Equal(t, "hidden", got.State)
		require.Equal(t, "Personalization is on.", got.Status)
		require.Zero(t, p.layoutShift(), "neither does hiding it")
		require.Contains(t, p.stored(), "consent=granted")

		p.open("/blog/pipelines")
		require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
		require.Equal(t, "hidden", p.prompt().State, "the reader chose: it does not ask again")
		require.Empty(t, p.hearthErrors())
		require.Empty(t, p.exceptions())
		require.Empty(t, p.violations())
	})

	t.Run("a decline is remembered, alone, and downloads nothing", func(t *testing.T) {
		p := newPage(t, site(t, built, readerOptions))
		p.open("/")
		p.decline()
		require.Equal(t, "hidden", p.prompt().State)
		p.waitFor(statusOff, 5*time.Second)
		// The answer alone, so that the next page does not ask again.
		require.Equal(t, []string{"consent", "consent=denied"}, p.stored())
		p.open("/blog/pipelines")
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Equal(t, "hidden", p.prompt().State)
		require.False(t, eval[bool](t, p, `performance.getEntriesByType('resource').some((e) => /hearth-worker|\.wasm|\.msgpack/.test(e.name))`))
		require.Equal(t, "fallback", p.slot("related").State)
		require.Empty(t, p.hearthErrors())
		require.Empty(t, p.exceptions())
	})

	t.Run("Global Privacy Control has answered: it does not ask", func(t *testing.T) {
		p := newPage(t, site(t, built, readerOptions))
		p.gpc()
		p.open("/")
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Equal(t, "hidden", p.prompt().State)
		require.Empty(t, p.databases())
	})

	t.Run("under opt-out it says personalization is on and can switch it off", func(t *testing.T) {
		opts := readerOptions
		opts.Consent = "opt-out"
		p := newPage(t, site(t, built, opts))
		p.measureShifts()
		p.open("/")
		p.waitFor(hearthpage.PromptShown, 10*time.Second)
		p.waitSlot("home", "personal")
		got := p.prompt()
		require.True(t, strings.HasPrefix(got.Text, "Hearth suggests what to read next"), got.Text)
		require.Equal(t, "OK", got.Accept)
		require.Equal(t, "Turn it off", got.Decline)
		require.Zero(t, p.layoutShift())
		p.decline()
		p.waitSlot("home", "fallback")
		p.waitFor(statusOff, 5*time.Second)
		p.open("/")
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Equal(t, "hidden", p.prompt().State)
		require.Empty(t, p.exceptions())
	})
}

// without is the built site without the file name and its precompressed
// siblings.
func without(t *testing.T, name string) string {
	return shipped.Variant(t, built, map[string][]byte{name: nil})
}

func TestConsole(t *testing.T) {
	t.Run("a wrong attribute, once, with the fix", func(t *testing.T) {
		opts := readerOptions
		opts.Consent = "sometimes"
		p := newPage(t, site(t, built, opts))
		log := hearthpage.Record(t, p.ctx)
		p.open("/")
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Equal(t, []string{"config"}, p.hearthErrors())
		require.Equal(t, []hearthpage.ConsoleLine{{Level: "warning",
			Text: `hearth: data-consent must be "opt-in", "opt-out" or "tcf", not "sometimes"; it is opt-in meanwhile (config). Fix that attribute of the Hearth script tag.`}}, log.Hearth())
	})

	t.Run("a missing engine names the files to serve", func(t *testing.T) {
		opts := readerOptions
		opts.Consent = "opt-out"
		p := newPage(t, site(t, without(t, serve.Wasm), opts))
		log := hearthpage.Record(t, p.ctx)
		p.open("/")
		require.Equal(t, readyDetail{Consent: "granted"}, p.ready())
		require.Equal(t, []string{"wasm"}, p.hearthErrors())
		lines := log.Hearth()
		require.Len(t, lines, 1, "%v", lines)
		require.Equal(t, "warning", lines[0].Level)
		require.Contains(t, lines[0].Text, "(wasm). Serve hearth.wasm (as application/wasm) and wasm_exec.js beside hearth.js")
	})

	t.Run("data-quiet writes nothing, the event still fires", func(t *testing.T) {
		opts := readerOptions
		opts.Consent = "opt-out"
		opts.Quiet = true
		p := newPage(t, site(t, without(t, serve.Wasm), opts))
		log := hearthpage.Record(t, p.ctx)
		p.open("/")
		require.Equal(t, readyDetail{Consent: "granted"}, p.ready())
		require.Equal(t, []string{"wasm"}, p.hearthErrors())
		time.Sleep(200 * time.Millisecond) // console events trail the page's
		require.Empty(t, log.Hearth())
	})

	t.Run("a page that lists posts is noted, an article is not", func(t *testing.T) {
		opts := readerOptions
		opts.Consent = "opt-out"
		p := newPage(t, site(t, built, opts))
		log := hearthpage.Record(t, p.ctx)
		p.open("/")
		p.waitSlot("home", "personal")
		deadline := time.Now().Add(5 * time.Second)
		for len(log.Hearth()) == 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		lines := log.Hearth()
		require.Len(t, lines, 1, "%v", lines)
		require.Equal(t, "info", lines[0].Level, "the demo's item URLs are its pages': only a note")
		require.Contains(t, lines[0].Text, "hearth: this page ("+strings.TrimSuffix(p.base, "/")+"/) is not in the catalogue, so reading it is not tracked; item URLs look like /blog/")
		p.open("/blog/pipelines")
		p.waitSlot("related", "personal")
		time.Sleep(300 * time.Millisecond)
		require.Len(t, log.Hearth(), 1, "an article of the catalogue says nothing")
		require.Empty(t, p.hearthErrors())
	})
}

// cmp is a consent management platform for the tests: the IAB TCF v2.2
// CMP API (__tcfapi) as its specification describes it, for
// addEventListener, removeEventListener, ping and getTCData. A real CMP is
// a vendor's script that cannot run here; this one keeps what it was told
// in sessionStorage, as a CMP keeps its TC string, so a test can set the
// reader's answer (__cmp.answer) and see it on the next page. Until told
// it behaves as a stub whose CMP has not loaded: calls wait.
const cmp = `(() => {
  const listeners = new Map();
  let next = 1;
  // A page after the answer: the CMP has a valid TC string and shows no UI.
  let data = JSON.parse(sessionStorage.getItem('cmp') || 'null');
  if (data && data.gdprApplies) data.eventStatus = 'tcloaded';
  const copy = (id) => Object.assign(JSON.parse(JSON.stringify(data)), id ? {listenerId: id} : {});
  window.__tcfapi = (command, version, callback, parameter) => {
    if (version !== 2) return callback(null, false);
    switch (command) {
      case 'ping':
        return callback({gdprApplies: data ? data.gdprApplies : undefined, cmpLoaded: !!data,
          cmpStatus: data ? 'loaded' : 'stub', displayStatus: 'hidden', apiVersion: '2.2', tcfPolicyVersion: 4});
      case 'addEventListener': {
        const id = next++;
        listeners.set(id, callback);
        if (data) callback(copy(id), true);
        return;
      }
      case 'removeEventListener':
        return callback(listeners.delete(parameter));
      case 'getTCData':
        return data ? callback(copy(0), true) : undefined;
    }
    callback(null, false);
  };
  // answer: what the CMP surfaces now; eventStatus and purposes, or
  // {gdprApplies: false}.
  window.__cmp = (answer) => {
    data = answer.gdprApplies === false
      ? {gdprApplies: false, tcfPolicyVersion: 4, cmpId: 1000, cmpVersion: 1}
      : {tcString: 'test', tcfPolicyVersion: 4, cmpId: 1000, cmpVersion: 1, gdprApplies: true,
         eventStatus: answer.eventStatus, cmpStatus: 'loaded', isServiceSpecific: true,
         purpose: {consents: answer.consents || {}, legitimateInterests: {}},
         vendor: {consents: {}, legitimateInterests: {}}, specialFeatureOptins: {},
         publisher: {consents: {}, legitimateInterests: {}, customPurpose: {consents: {}, legitimateInterests: {}}, restrictions: {}}};
    if (answer.eventStatus !== 'cmpuishown') sessionStorage.setItem('cmp', JSON.stringify(data));
    for (const [id, cb] of listeners) cb(copy(id), true);
  };
})();`

// all consents for purposes 1, 5 and 6, and the same with 5 refused.
const (
	purposesAll = `{1: true, 2: true, 3: true, 4: true, 5: true, 6: true}`
	purposesNo5 = `{1: true, 2: true, 3: true, 4: true, 5: false, 6: true}`
)

func (p *page) withCMP() {
	p.t.Helper()
	_, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: cmp})
	require.NoError(p.t, err)
}

// cmpSays makes the CMP surface answer (a JS object literal).
func (p *page) cmpSays(answer string) {
	p.t.Helper()
	eval[bool](p.t, p, `(__cmp(`+answer+`), true)`)
}

func TestConsent_TCF(t *testing.T) {
	opts := readerOptions
	opts.Consent = "tcf"

	t.Run("follows the reader's answers in the CMP", func(t *testing.T) {
		p := newPage(t, site(t, built, opts))
		p.withCMP()
		// The CMP loads after the page and shows its UI: no decision yet.
		p.open("/")
		p.cmpSays(`{eventStatus: 'cmpuishown'}`)
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Equal(t, "hidden", p.prompt().State, "the CMP asks, not Hearth")
		require.Empty(t, p.databases())

		p.cmpSays(`{eventStatus: 'useractioncomplete', consents: ` + purposesAll + `}`)
		p.waitSlot("home", "personal")
		require.True(t, eval[bool](t, p, `hearth.personalized`))

		// On the next page the CMP knows the answer at once.
		p.readPost("pipelines")
		require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())

		// The reader withdraws one purpose: Hearth stops and deletes what
		// it stored.
		p.cmpSays(`{eventStatus: 'cmpuishown'}`)
		require.True(t, eval[bool](t, p, `hearth.personalized`), "the UI alone changes nothing")
		p.cmpSays(`{eventStatus: 'useractioncomplete', consents: ` + purposesNo5 + `}`)
		p.waitSlot("related", "fallback")
		p.waitFor(`indexedDB.databases().then((dbs) => dbs.length === 0)`, 5*time.Second)
		p.open("/")
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Empty(t, p.databases())
		require.Empty(t, p.hearthErrors())
		require.Empty(t, p.exceptions())
	})

	t.Run("Global Privacy Control still means off", func(t *testing.T) {
		p := newPage(t, site(t, built, opts))
		p.withCMP()
		p.gpc()
		p.open("/")
		p.cmpSays(`{eventStatus: 'tcloaded', consents: ` + purposesAll + `}`)
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Empty(t, p.databases())
		require.Equal(t, "off", evalJSON[string](t, p, `hearth.setConsent('granted').then(() => 'on', (e) => e.code)`))
	})

	t.Run("where GDPR does not apply the publisher's fallback decides", func(t *testing.T) {
		p := newPage(t, site(t, built, opts))
		p.withCMP()
		p.open("/")
		p.cmpSays(`{gdprApplies: false}`)
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready(), "opt-in, the fallback's default")
		p.waitFor(hearthpage.PromptShown, 5*time.Second)
		p.accept()
		p.waitSlot("home", "personal")
	})

	t.Run("without a CMP it stays off and says why", func(t *testing.T) {
		p := newPage(t, site(t, built, opts))
		log := hearthpage.Record(t, p.ctx)
		p.open("/")
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
		require.Equal(t, []string{"config"}, p.hearthErrors())
		require.Equal(t, "hidden", p.prompt().State)
		require.Len(t, log.Hearth(), 1)
		require.Contains(t, log.Hearth()[0].Text, `data-consent="tcf" needs a consent management platform (its __tcfapi stub before hearth.js)`)
	})
}
