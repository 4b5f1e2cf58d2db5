package privacy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/web/serve"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

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

// setAside is the record of a stored profile the Worker set aside: the
// SHA-256 of its value (bytes, or a string's UTF-8) and the time it was set
// aside.
type setAside struct {
	Found  bool    `json:"found"`
	SHA256 string  `json:"sha256"`
	Time   float64 `json:"time"`
}

// setAside reads the profile-corrupt record of Hearth's database.
func (p *tab) setAside() setAside {
	p.t.Helper()
	return evalJSON[setAside](p.t, p, `new Promise((resolve, reject) => {
  const req = indexedDB.open('hearth');
  req.onupgradeneeded = () => req.transaction.abort();
  req.onerror = () => resolve({found: false});
  req.onsuccess = () => {
    const db = req.result;
    const get = db.transaction('kv').objectStore('kv').get('profile-corrupt');
    get.onsuccess = async () => {
      db.close();
      const r = get.result;
      if (!r) return resolve({found: false});
      const v = typeof r.value === 'string' ? new TextEncoder().encode(r.value) : r.value;
      const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', v));
      resolve({found: true, sha256: [...sum].map((b) => b.toString(16).padStart(2, '0')).join(''), time: r.time});
    };
    get.onerror = () => reject(get.error);
  };
})`)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestRobust_StoredProfile: a stored profile that does not decode fires
// bad-profile once, the reader gets the publisher's order, and the value is
// set aside under profile-corrupt, as it was stored and with the time,
// rather than deleted or written over: a later release or the reader can
// recover it. The reader's next change starts a new profile.
func TestRobust_StoredProfile(t *testing.T) {
	valid := validProfile(t)
	// The version field is the map's first entry: "v" (a1 76) and a fixint.
	at := bytes.Index(valid, []byte{0xa1, 'v', profile.FormatVersion})
	require.GreaterOrEqual(t, at, 0)
	version0 := bytes.Clone(valid)
	version0[at+2] = 0
	oversized := bytes.Repeat([]byte{0x81}, 5<<20)
	// One character of the read item's id changed: still a well-formed
	// profile, of a read the reader never made; the seal's checksum tells.
	id := catalogueIn(t, built).Items[0].ID
	idAt := bytes.Index(valid, []byte(id))
	require.GreaterOrEqual(t, idAt, 0)
	oneByte := bytes.Clone(valid)
	oneByte[idAt] ^= 0x01
	tests := []struct {
		name  string
		value string // a JS expression for the stored value
		raw   []byte // what the value holds
	}{
		{"truncated", bytesJS(valid[:len(valid)/2]), valid[:len(valid)/2]},
		{"version 0", bytesJS(version0), version0},
		{"one byte changed", bytesJS(oneByte), oneByte},
		{"oversized", `new Uint8Array(5 << 20).fill(0x81)`, oversized},
		{"not msgpack", bytesJS([]byte("<html>not a profile</html>")), []byte("<html>not a profile</html>")},
		{"not bytes", `'a string where the bytes should be'`, []byte("a string where the bytes should be")},
	}
	srv := startSite(t, built, readerOptions)
	home := ids(nonPersonal(t, "", 5))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newTab(t, srv.URL)
			p.open("/")
			p.store(map[string]string{"consent": `'granted'`, "profile": tt.value})
			before := time.Now()
			p.reload()
			require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready(), "a bad profile must not switch the engine off")
			require.Equal(t, []string{"bad-profile"}, p.hearthErrors())
			require.Equal(t, home, ids(p.slot("home").Links), "an empty profile: the publisher's order")
			require.Empty(t, p.exceptions())
			aside := p.setAside()
			require.True(t, aside.Found, "the unreadable profile is set aside")
			require.Equal(t, sha256Hex(tt.raw), aside.SHA256, "as it was stored")
			require.InDelta(t, float64(before.UnixMilli()), aside.Time, float64(time.Minute.Milliseconds()))
			require.Nil(t, p.storedProfile(), "the profile key holds no unreadable bytes any more")
			// The reader's next change starts a new profile; the one set
			// aside stays.
			p.readPost("pipelines")
			p.reload()
			require.Empty(t, p.hearthErrors(), "the stored profile reads again")
			require.Len(t, p.profile().Read, 1)
			require.Equal(t, aside, p.setAside())
			require.Empty(t, p.exceptions())
		})
	}
}

// TestRobust_UnsealedProfile: a profile stored without the seal, by a
// release before it, is read as it is, and stored again sealed as soon as
// it is loaded, so that damage to it is detected from then on.
func TestRobust_UnsealedProfile(t *testing.T) {
	sealed := validProfile(t)
	require.True(t, profile.Sealed(sealed))
	unsealed, err := profile.Open(sealed)
	require.NoError(t, err)
	srv := startSite(t, built, readerOptions)
	p := newTab(t, srv.URL)
	p.open("/")
	p.store(map[string]string{"consent": `'granted'`, "profile": bytesJS(unsealed)})
	p.reload()
	require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
	require.Empty(t, p.hearthErrors())
	require.Len(t, p.profile().Read, 1)
	stored := p.storedProfile()
	require.True(t, profile.Sealed(stored), "stored again, sealed")
	was, err := profile.Decode(unsealed)
	require.NoError(t, err)
	now, err := profile.Decode(stored)
	require.NoError(t, err)
	// The same profile, decayed to the time it was loaded.
	require.Len(t, now.Events, len(was.Events))
	for i := range was.Events {
		require.Equal(t, [2]any{was.Events[i].Item, was.Events[i].Kind}, [2]any{now.Events[i].Item, now.Events[i].Kind})
	}
	require.Equal(t, was.ReadItems, now.ReadItems)
	require.False(t, p.setAside().Found)
	require.Empty(t, p.exceptions())
}

// TestRobust_DamagedProfilePage: the profile page says the saved profile was
// damaged and set aside, downloads it as it was stored, and deletes it on
// the reader's word.
func TestRobust_DamagedProfilePage(t *testing.T) {
	valid := validProfile(t)
	damaged := valid[:len(valid)-3]
	srv := startSite(t, built, readerOptions)
	p := newTab(t, srv.URL)
	p.open("/")
	p.store(map[string]string{"consent": `'granted'`, "profile": bytesJS(damaged)})
	p.open("/profile")
	p.waitFor(profileOn, 10*time.Second)
	require.Equal(t, []string{"bad-profile"}, p.hearthErrors())
	require.Contains(t, eval[string](t, p, `document.querySelector('hearth-profile [data-part="damaged"]').textContent`),
		"Your saved profile was damaged and has been set aside; you can download it.")

	downloads := t.TempDir()
	_, err := chromedp.CallBrowser(p.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior:         cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName,
		BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID,
		DownloadPath:     downloads,
	})
	require.NoError(t, err)
	p.act(`hearth-profile button[data-action="download-damaged"]`, kb.Enter)
	require.Equal(t, damaged, waitBytes(t, downloads, len(damaged)), "the download is the profile as it was stored")

	p.act(`hearth-profile button[data-action="discard-damaged"]`, kb.Enter)
	require.False(t, p.setAside().Found)
	require.Zero(t, eval[int](t, p, `document.querySelectorAll('hearth-profile [data-part="damaged"]').length`))
	require.Empty(t, p.exceptions())
}

// waitBytes waits for a finished download of n bytes in dir and returns it.
func waitBytes(t *testing.T, dir string, n int) []byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && !strings.HasSuffix(e.Name(), ".crdownload") && len(b) == n {
				return b
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no download of %d bytes in %s", n, dir)
	return nil
}

// newerProfile is the stored profile of a reader who liked the first 20
// catalogue items, written by a release whose format is one version past
// this one's.
func newerProfile(t *testing.T) []byte {
	t.Helper()
	cat := catalogueIn(t, built)
	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	for _, it := range cat.Items[:20] {
		_, err := p.Track(cat, profile.Event{Item: it.ID, Kind: profile.Like}, time.Now().Unix())
		require.NoError(t, err)
	}
	p.Version = profile.FormatVersion + 1
	b, err := p.MarshalMsg(nil)
	require.NoError(t, err)
	return b
}

// TestRobust_NewerProfile: a stored profile written by a newer release (a
// rollback, or a tab left open during a deploy) is never written over. The
// engine reports profile-newer once per page, learns nothing, shows the
// publisher's order, and the reader's changes are refused; the stored bytes
// stay exactly as they were, and the profile page says why.
func TestRobust_NewerProfile(t *testing.T) {
	newer := newerProfile(t)
	srv := startSite(t, built, readerOptions)
	home := ids(nonPersonal(t, "", 5))
	cat := catalogueIn(t, built)
	check := func(t *testing.T, p *tab) {
		t.Helper()
		require.Equal(t, []string{"profile-newer"}, p.hearthErrors())
		require.False(t, eval[bool](t, p, `hearth.track({kind: 'like', item: `+browser.JS(cat.Items[30].ID)+`})`), "nothing is learned")
		require.Equal(t, "profile-newer", eval[string](t, p, `hearth.setVariety(0.5).then(() => 'changed', (err) => err.code)`))
		require.Equal(t, "profile-newer", eval[string](t, p, `hearth.forget({item: `+browser.JS(cat.Items[0].ID)+`}).then(() => 'changed', (err) => err.code)`))
		require.Empty(t, p.profile().Events, "the engine runs on an empty profile")
		require.Equal(t, newer, p.storedProfile(), "the newer profile is left byte for byte")
		require.Equal(t, []string{"profile-newer"}, p.hearthErrors(), "reported once")
		require.Empty(t, p.exceptions())
	}
	t.Run("stored before the page loads", func(t *testing.T) {
		t.Parallel()
		p := newTab(t, srv.URL)
		p.open("/")
		p.store(map[string]string{"consent": `'granted'`, "profile": bytesJS(newer)})
		p.reload()
		require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
		require.Equal(t, home, ids(p.slot("home").Links), "the publisher's order")
		check(t, p)

		// A post's page: its automatic view and read change nothing.
		p.open("/blog/pipelines")
		eval[bool](t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
		time.Sleep(time.Second)
		check(t, p)

		p.open("/profile")
		p.waitFor(profileOn, 10*time.Second)
		text := eval[string](t, p, `document.querySelector('hearth-profile').textContent`)
		require.Contains(t, text, "Your saved profile was made by a newer version of this site's Hearth; nothing is changed until the site updates.")
		require.Zero(t, eval[int](t, p, `document.querySelectorAll('hearth-profile [data-part="history"], hearth-profile [data-part="variety"], hearth-profile input[type="file"]').length`),
			"no control that would change the profile")
		require.Equal(t, newer, p.storedProfile())
		require.Empty(t, p.exceptions())
	})
	t.Run("stored while the page is open", func(t *testing.T) {
		t.Parallel()
		p := newTab(t, srv.URL)
		p.open("/")
		p.store(map[string]string{"consent": `'granted'`})
		p.reload()
		p.readPost("pipelines")
		// Another tab of the newer release writes its profile.
		p.store(map[string]string{"profile": bytesJS(newer)})
		require.Empty(t, p.hearthErrors())
		require.False(t, eval[bool](t, p, `hearth.track({kind: 'like', item: `+browser.JS(cat.Items[30].ID)+`})`))
		require.Equal(t, []string{"profile-newer"}, p.hearthErrors())
		require.Equal(t, newer, p.storedProfile())
		require.Empty(t, p.profile().Events, "the publisher's order from now on")
		require.Equal(t, home, ids(evalJSON[[]slotLink](t, p, `hearth.recommend().then((rs) => rs.map((r) => ({id: r.id})))`)))
		require.Empty(t, p.exceptions())
	})
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
	p.accept()
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
	cat, err = catalog.Decode(real)
	require.NoError(t, err)
	cat.Policy.Hosts = []string{"blog.example"}
	cat.Items[3].URL = "https://elsewhere.example/post"
	strayHost, err := cat.Encode()
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
		{"a link to a host the policy does not list", strayHost, "bad-catalogue"},
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

// amplified is a valid catalogue of n items, each with 64 empty key terms:
// a byte each in the file, and 16 bytes each once decoded.
func amplified(t *testing.T, n int) []byte {
	t.Helper()
	cat := &catalog.Catalogue{Version: catalog.FormatVersion, ID: "amplified", Generated: 1_700_000_000}
	cat.Items = make([]catalog.Item, n)
	for i := range cat.Items {
		id := strconv.Itoa(i)
		cat.Items[i] = catalog.Item{ID: id, URL: "/blog/" + id, Title: "Post " + id, Terms: make([]string, 64)}
	}
	require.NoError(t, cat.Validate())
	b, err := cat.Encode()
	require.NoError(t, err)
	return b
}

// TestRobust_CatalogueAmplification serves a catalogue that decodes to many
// times its size: 200,000 valid items with 64 empty key terms each, 16 MB
// (0.5 MB as gzip), which decoded to 260 MB. The engine refuses it as
// bad-catalogue before allocating the terms, and the Worker's wasm memory
// stays within a few times the file's size. The loader ends a Worker whose
// engine failed; this tab keeps it, so that its memory can be read after.
func TestRobust_CatalogueAmplification(t *testing.T) {
	attack := amplified(t, 200_000)
	opts := readerOptions
	opts.Consent = "opt-out" // the engine starts at once
	memory := map[string]int64{}
	for _, tt := range []struct {
		name    string
		content []byte
		code    []string
	}{
		{"the demo's catalogue", nil, nil},
		{"amplified", attack, []string{"bad-catalogue"}},
	} {
		change := map[string][]byte{}
		if tt.content != nil {
			change[serve.Catalogue] = tt.content
		}
		p := newTab(t, startSite(t, variant(t, change), opts).URL)
		p.beforeLoad(`Worker.prototype.terminate = function () {};`)
		p.open("/")
		require.Equal(t, readyDetail{Consent: "granted", Personalized: tt.code == nil}, p.ready())
		if tt.code != nil {
			require.Equal(t, tt.code, p.hearthErrors())
			require.Equal(t, "fallback", p.slot("home").State)
		} else {
			require.Empty(t, p.hearthErrors())
			require.Equal(t, "personal", p.slot("home").State)
		}
		require.Empty(t, p.exceptions())
		memory[tt.name] = p.workerWasmMemory()
		size := len(tt.content)
		if tt.content == nil {
			size = len(builtFile(t, serve.Catalogue))
		}
		t.Logf("%s (%d bytes): the Worker's wasm memory is %.1f MB", tt.name, size, float64(memory[tt.name])/(1<<20))
	}
	require.Less(t, memory["amplified"], memory["the demo's catalogue"]+2*int64(len(attack)),
		"the engine decoded far more than the file before refusing it")
}

// workerWasmMemory returns the size of the wasm memory of the tab's one
// Worker (memory.buffer.byteLength of its WebAssembly.Memory objects),
// which only grows: the most the engine ever used.
func (p *tab) workerWasmMemory() int64 {
	p.t.Helper()
	var worker target.ID
	require.Eventually(p.t, func() bool {
		targets, err := chromedp.Targets(p.ctx)
		require.NoError(p.t, err)
		for _, ti := range targets {
			if ti.Type == "worker" && ti.BrowserContextID == chromedp.FromContext(p.ctx).BrowserContextID {
				worker = ti.TargetID
			}
		}
		return worker != ""
	}, 10*time.Second, 50*time.Millisecond, "no Worker in the tab")
	wctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(worker), chromedp.WithDetachOnCancel())
	defer cancel()
	var sizes []int64
	require.NoError(p.t, chromedp.Do(wctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		var err error
		sizes, err = browser.WasmMemory(ctx)
		return err
	})))
	require.NotEmpty(p.t, sizes, "no wasm memory in the Worker")
	var sum int64
	for _, n := range sizes {
		sum += n
	}
	return sum
}

// hiddenMarks matches the characters Hearth never shows: bidi embeddings,
// overrides and isolates, zero-width space, word joiner, byte order mark.
const hiddenMarks = `/[\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/`

// TestRobust_TextReadsAsItIs serves a catalogue whose titles and topics
// carry bidi overrides, isolates and zero-width marks (as one from another
// builder may: Hearth's strips them), with which "\u202Efdp.exe" shows as
// "exe.pdf": the slots, the reasons and the profile page show every text
// without them, and otherwise as it is.
func TestRobust_TextReadsAsItIs(t *testing.T) {
	cat := catalogueIn(t, built)
	titles := map[string]string{}
	for i := range cat.Items {
		titles[cat.Items[i].ID] = cat.Items[i].Title
		cat.Items[i].Title = "\u202E" + cat.Items[i].Title + "\u202C\u200B"
	}
	for i := range cat.Topics {
		cat.Topics[i] = "\u2066" + cat.Topics[i] + "\u2069\uFEFF"
	}
	require.NoError(t, cat.Validate())
	b, err := cat.Encode()
	require.NoError(t, err)
	opts := readerOptions
	opts.Consent = "opt-out"
	p := newTab(t, startSite(t, variant(t, map[string][]byte{serve.Catalogue: b}), opts).URL)
	p.readPost("pipelines")
	p.readPost("context")
	p.open("/")
	home := p.slot("home")
	require.Equal(t, "personal", home.State)
	require.NotEmpty(t, home.Links)
	for _, l := range home.Links {
		require.Equal(t, titles[l.ID], l.Title, "the title as it is, without the marks")
	}
	p.click(`hearth-recs .hearth-why`)
	reasons := eval[string](t, p, `[...document.querySelectorAll('hearth-recs .hearth-reason')].map((e) => e.textContent).join(' ')`)
	require.NotEmpty(t, reasons)
	require.False(t, eval[bool](t, p, hiddenMarks+`.test(`+browser.JS(reasons)+`)`), "reasons: %q", reasons)

	p.open("/profile")
	p.waitFor(profileOn, 10*time.Second)
	shown := eval[string](t, p, `(() => {
  const el = document.querySelector('hearth-profile');
  return el.textContent + [...el.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).join(' ');
})()`)
	require.Contains(t, shown, titles[p.profile().Events[0].Item])
	require.False(t, eval[bool](t, p, hiddenMarks+`.test(`+browser.JS(shown)+`)`), "the profile page shows a hidden mark")
	require.Empty(t, p.hearthErrors())
	require.Empty(t, p.exceptions())
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
