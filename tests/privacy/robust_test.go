package privacy

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/stretchr/testify/require"
)

// validProfile returns the bytes of a stored profile that read the first
// catalogue item, with consent granted.
func validProfile(t *testing.T) []byte {
	t.Helper()
	cat := catalogueIn(t, built)
	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	_, err := p.Track(cat, profile.Event{Item: cat.Items[0].ID, Kind: profile.Read, Dwell: 30}, time.Now().Unix())
	require.NoError(t, err)
	b, err := p.Encode()
	require.NoError(t, err)
	return b
}

func TestRobust_StoredProfile(t *testing.T) {
	valid := validProfile(t)
	// The version field is the map's first entry: "v" (a1 76) and a fixint.
	at := bytes.Index(valid, []byte{0xa1, 'v', profile.FormatVersion})
	require.GreaterOrEqual(t, at, 0)
	foreign := bytes.Clone(valid)
	foreign[at+2] = 99
	tests := []struct {
		name  string
		value string // a JS expression for the stored value
	}{
		{"truncated", bytesJS(valid[:len(valid)/2])},
		{"foreign version", bytesJS(foreign)},
		{"oversized", `new Uint8Array(5 << 20).fill(0x81)`},
		{"not msgpack", bytesJS([]byte("<html>not a profile</html>"))},
		{"not bytes", `'a string where the bytes should be'`},
	}
	srv := startSite(t, built, readerOptions)
	home := ids(nonPersonal(t, "", 5))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newTab(t, srv.URL)
			p.open("/")
			p.store(map[string]string{"consent": `'granted'`, "profile": tt.value})
			p.reload()
			require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready(), "a bad profile must not switch the engine off")
			require.Equal(t, []string{"bad-profile"}, p.hearthErrors())
			require.Equal(t, home, ids(p.slot("home").Links), "an empty profile: the publisher's order")
			require.Empty(t, p.exceptions())
			// The reader's next change replaces the unreadable profile.
			p.readPost("pipelines")
			p.reload()
			require.Empty(t, p.hearthErrors(), "the stored profile reads again")
			require.Len(t, p.profile().Read, 1)
			require.Empty(t, p.exceptions())
		})
	}
}

// workerSwitch serves the demo with the Worker script chosen per request
// (never cached), so that a test can change the environment of the next
// page's Worker without changing the origin and its storage.
type workerSwitch struct {
	normal, other []byte
	useOther      atomic.Bool
}

func (ws *workerSwitch) serve(t *testing.T, dir string, opts demo.Options) string {
	t.Helper()
	opts.Fallback = demo.NonPersonal(catalogueIn(t, built), time.Now)
	h, err := demo.NewServer(os.DirFS(dir), opts)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != demo.AssetsPath+serve.Worker {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", demo.CSP)
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if ws.useOther.Load() {
			_, _ = w.Write(ws.other)
		} else {
			_, _ = w.Write(ws.normal)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Scripts that break IndexedDB before Hearth runs, in a page or a Worker.
const (
	noIndexedDB = `IDBFactory.prototype.open = function () { throw new DOMException('IndexedDB is disabled', 'SecurityError'); };
IDBFactory.prototype.deleteDatabase = IDBFactory.prototype.open;
`
	// Every write transaction aborts, as when the disk is full.
	fullIndexedDB = `(() => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    const req = put.apply(this, args);
    this.transaction.abort();
    return req;
  };
})();
`
)

func TestRobust_StorageUnavailable(t *testing.T) {
	ws := &workerSwitch{normal: builtFile(t, serve.Worker)}
	ws.other = append([]byte(noIndexedDB), ws.normal...)
	ws.useOther.Store(true)
	for _, consent := range []string{"opt-in", "opt-out"} {
		t.Run(consent, func(t *testing.T) {
			t.Parallel()
			opts := readerOptions
			opts.Consent = consent
			base := ws.serve(t, built, opts)
			p := newTab(t, base)
			p.beforeLoad(noIndexedDB)
			p.open("/blog/pipelines")
			eval[bool](t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
			time.Sleep(time.Second)
			errs := p.hearthErrors()
			require.NotEmpty(t, errs)
			for _, code := range errs {
				require.Equal(t, "storage", code, "all errors: %v", errs)
			}
			related := p.slot("related")
			require.Equal(t, ids(nonPersonal(t, "/blog/pipelines", 5)), ids(related.Links), "the publisher's order")
			if consent == "opt-in" {
				require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
			} else {
				// The default is on; the engine runs but can keep nothing.
				require.Empty(t, p.profile().Events)
			}
			require.Empty(t, p.exceptions())
			require.Empty(t, p.violations())
		})
	}
}

func TestRobust_StorageFull(t *testing.T) {
	ws := &workerSwitch{normal: builtFile(t, serve.Worker)}
	ws.other = append([]byte(fullIndexedDB), ws.normal...)
	p := newTab(t, ws.serve(t, built, readerOptions))
	p.open("/")
	p.click(`#hearth-consent button[data-consent="granted"]`)
	p.waitFor(`document.querySelector('hearth-recs[slot-name="home"]').dataset.hearthState === 'personal'`, 30*time.Second)
	p.readPost("pipelines")
	stored := p.storedProfile()
	require.NotEmpty(t, stored)

	// From now on every write fails.
	ws.useOther.Store(true)
	p.open("/blog/context")
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
	p.waitFor(`__test.errors.includes('storage')`, 10*time.Second)
	eval[bool](t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
	time.Sleep(time.Second)
	for _, code := range p.hearthErrors() {
		require.Equal(t, "storage", code)
	}
	require.Len(t, p.profile().Read, 1, "what is shown is what is stored")
	require.Equal(t, stored, p.storedProfile(), "a failed write leaves the stored profile as it was")

	// The reader's own change fails visibly, and changes nothing.
	p.open("/profile")
	p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'on'`, 10*time.Second)
	p.click(`hearth-profile [data-part="history"] button[data-action="forget-event"]`)
	p.waitFor(`document.querySelector('hearth-profile .hearth-alert').textContent.includes('refused to save')`, 10*time.Second)
	require.Equal(t, stored, p.storedProfile())
	require.Empty(t, p.exceptions())

	// Storage works again: nothing valid was lost.
	ws.useOther.Store(false)
	p.readPost("context")
	v := p.profile()
	require.Len(t, v.Read, 2)
	require.Empty(t, p.exceptions())
}

func TestRobust_Catalogue(t *testing.T) {
	real := builtFile(t, serve.Catalogue)
	cat, err := catalog.Decode(real)
	require.NoError(t, err)
	cat.Items[3].URL = "javascript:window.__xss=1"
	scriptURL, err := cat.Encode()
	require.NoError(t, err)
	// A map whose id column claims four billion items.
	absurd := []byte{0x82, 0xa1, 'v', 0x02, 0xa5, 'i', 't', 'e', 'm', 's', 0x81, 0xa2, 'i', 'd', 0xdd, 0xff, 0xff, 0xff, 0xff}

	tests := []struct {
		name    string
		content []byte // nil: the file is missing
		code    string
	}{
		{"missing", nil, "catalogue"},
		{"truncated", real[:len(real)/2], "bad-catalogue"},
		{"four billion items", absurd, "bad-catalogue"},
		{"over 64 MiB", bytes.Repeat([]byte{0xc0}, 65<<20), "bad-catalogue"},
		{"a javascript: URL", scriptURL, "bad-catalogue"},
		{"not a catalogue", []byte("<script>window.__xss=1</script>"), "bad-catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := readerOptions
			opts.Consent = "opt-out" // the engine starts at once
			srv := startSite(t, variant(t, map[string][]byte{serve.Catalogue: tt.content}), opts)
			p := newTab(t, srv.URL)
			p.open("/")
			require.Equal(t, readyDetail{Consent: "granted"}, p.ready(), "on, but without an engine")
			require.Equal(t, []string{tt.code}, p.hearthErrors())
			home := p.slot("home")
			require.Equal(t, "fallback", home.State)
			require.Equal(t, ids(nonPersonal(t, "", 5)), ids(home.Links))
			require.Nil(t, evalJSON[any](t, p, `window.__xss`))
			require.Empty(t, p.exceptions())
			require.Equal(t, storage{}, normalise(p.storage()), "nothing stored")
		})
	}
}

// nonPersonal is the order the demo server renders for readers without
// personalization, computed here from the built catalogue.
func nonPersonal(t *testing.T, current string, count int) []slotLink {
	t.Helper()
	var out []slotLink
	for _, l := range demo.NonPersonal(catalogueIn(t, built), time.Now)(current, count) {
		out = append(out, slotLink{ID: l.ID, Href: l.URL, Title: strings.TrimSpace(l.Title)})
	}
	return out
}
