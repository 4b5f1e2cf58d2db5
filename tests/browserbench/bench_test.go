package browserbench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

var chrome *browser.Browser

// TestMain starts Chromium; HEARTH_BENCH_JSFLAGS passes V8 flags to it
// (--js-flags), to see what V8's own choices cost (docs/performance.md).
func TestMain(m *testing.M) {
	opts := browser.Options{}
	if f := os.Getenv("HEARTH_BENCH_JSFLAGS"); f != "" {
		opts.Flags = map[string]any{"js-flags": f}
	}
	os.Exit(browser.Main(m, &chrome, opts))
}

// TestBrowser_Smoke checks at 1k items that the benchmark pages work: the
// loader fills the slot cold and warm, the round trips answer, and in the
// side-by-side Worker the engine (wasm) and the JavaScript reference list
// the same ten items in the same order with the same reasons, on every
// call, which is also the natively compiled engine's list. It measures
// nothing; `make bench` does.
func TestBrowser_Smoke(t *testing.T) {
	if chrome == nil {
		t.Skip(browser.ErrNoBrowser)
	}
	size := Sizes[0]
	e := newEnv(t, []Size{size}, 1)
	c := e.cats[size.Label]

	r := e.measure(t, c, runsConfig{cold: 1, warm: 1, trips: 3})
	require.Len(t, r.Cold[0].Items, 10)
	require.Equal(t, "granted", r.Cold[0].Detail.Consent)
	require.Contains(t, r.Cold[0].Fetched, serve.Wasm, "a cold load downloads the engine")
	require.Len(t, r.Warm[0].Items, 10)
	require.NotContains(t, r.Warm[0].Fetched, serve.Wasm, "a warm load takes the engine from the cache")
	// The consent prompt shows on every load (opt-out, no choice recorded)
	// and shifts nothing: CLS is exactly 0, which is no timing.
	for _, l := range append(r.Cold, r.Warm...) {
		require.Equal(t, "shown", l.Prompt)
		require.Zero(t, l.CLS, "layout shift with <hearth-consent> shown")
	}
	t.Logf("layout shift with <hearth-consent> shown: cold %s; warm %s", shiftRange(r.Cold), shiftRange(r.Warm))
	require.Len(t, r.Recommend.Samples, 3)
	require.Len(t, r.Track.Samples, 3)
	require.NotEmpty(t, r.Memory.Wasm, "no WebAssembly.Memory found in the Worker")

	// The "Why this?" buttons take the page's font (js/recs.js inheritFont),
	// which this page leaves at the browser's default, unlike its buttons'.
	tab := chrome.Tab(t)
	e.visit(t, tab, size.Label, size.N)
	fonts := browser.Eval[[]string](t, tab, `[document.querySelector('hearth-recs .hearth-why'), document.querySelector('h1'), document.createElement('button')]
  .map((el) => { if (!el.isConnected) document.body.append(el); return getComputedStyle(el).fontFamily; })`)
	require.Equal(t, fonts[1], fonts[0], "the button's font is the page's")
	require.NotEqual(t, fonts[1], fonts[2], "a button of the page's own has another font here, so the check can fail")

	s := e.side(t, chrome.Tab(t), c, sideRun{runs: 3, warmup: 1})
	require.Equal(t, "isolated", s.Timer)
	require.Equal(t, size.N, s.Items)
	require.Len(t, s.GoIDs, 10)
	require.Equal(t, s.GoRecs, s.JSRecs, "the engine and the JavaScript reference disagree")
	require.Zero(t, s.Differ, "the engine and the JavaScript reference disagree on some calls")
	require.Equal(t, e.nativeRecs(c, 10), s.GoRecs, "the engine ranks differently in wasm and natively")
}

// TestBrowser_Bench is the browser benchmark; it runs only with
// HEARTH_BENCH=1 (see the package documentation).
func TestBrowser_Bench(t *testing.T) {
	if os.Getenv("HEARTH_BENCH") != "1" {
		t.Skip("set HEARTH_BENCH=1 to run the browser benchmark (make bench)")
	}
	if chrome == nil {
		t.Fatal(browser.ErrNoBrowser)
	}
	sizes := Sizes
	if s := os.Getenv("HEARTH_BENCH_SIZES"); s != "" {
		sizes = nil
		for _, label := range strings.Split(s, ",") {
			i := slices.IndexFunc(Sizes, func(z Size) bool { return z.Label == label })
			require.GreaterOrEqual(t, i, 0, "HEARTH_BENCH_SIZES: unknown size %q", label)
			sizes = append(sizes, Sizes[i])
		}
	}
	cfg := runsConfig{cold: envInt("HEARTH_BENCH_COLD", 5), warm: envInt("HEARTH_BENCH_WARM", 15), trips: envInt("HEARTH_BENCH_TRIPS", 50)}
	cfg.kept = envInt("HEARTH_BENCH_KEPT", cfg.warm)
	sideRuns := envInt("HEARTH_BENCH_SIDE_RUNS", 50)
	// HEARTH_BENCH_SIDE_ONLY=1 runs only the side-by-side comparison (and
	// the native timing beside it), skipping the page loads and round trips.
	sideOnly := os.Getenv("HEARTH_BENCH_SIDE_ONLY") == "1"
	e := newEnv(t, sizes, 0)
	rep := Report{Machine: Machine(), Config: cfg.export()}
	for _, s := range sizes {
		c := e.cats[s.Label]
		r := SizeReport{Size: c.Label, Items: c.N, CatalogueBytes: len(c.bytes)}
		if !sideOnly {
			r = e.measure(t, c, cfg)
			for _, l := range append(r.Cold, r.Warm...) {
				require.Equal(t, "shown", l.Prompt, "%s: <hearth-consent> did not show", s.Label)
				require.Zero(t, l.CLS, "%s: layout shift with <hearth-consent> shown", s.Label)
			}
		}
		r.Side = e.side(t, chrome.Tab(t), c, sideRun{runs: sideRuns, warmup: 10})
		require.Equal(t, r.Side.GoRecs, r.Side.JSRecs, "%s: the engine and the JavaScript reference disagree", s.Label)
		require.Zero(t, r.Side.Differ, "%s: the engine and the JavaScript reference disagree on some calls", s.Label)
		r.Native = e.native(c, sideRuns, 10)
		r.Brotli = brotliSize(t, e.dir, s.Label)
		rep.Sizes = append(rep.Sizes, r)
		fmt.Fprintf(os.Stderr, "browserbench: %s done\n", s.Label)
	}
	rep.Print(os.Stdout)
	if dir := os.Getenv("HEARTH_BENCH_OUT"); dir != "" {
		require.NoError(t, os.MkdirAll(dir, 0o755))
		b, err := json.MarshalIndent(rep, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "browser.json"), b, 0o644))
		var md strings.Builder
		rep.Markdown(&md)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "browser.md"), []byte(md.String()), 0o644))
	}
}

func envInt(name string, def int) int {
	if s := os.Getenv(name); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return def
}

func brotliSize(t testing.TB, dir, label string) int {
	t.Helper()
	st, err := os.Stat(filepath.Join(dir, strings.TrimPrefix(CataloguePath(label), "/hearth/")+".br"))
	require.NoError(t, err)
	return int(st.Size())
}

// runsConfig says how many loads and round trips to measure.
type runsConfig struct{ cold, warm, kept, trips int }

func (c runsConfig) export() map[string]int {
	return map[string]int{"coldLoads": c.cold, "warmLoads": c.warm, "keptLoads": c.kept, "roundTrips": c.trips}
}

// dropKept waits until tab's Worker has answered every call made so far
// (the lists it keeps after a page's slots are ranked included), then
// deletes the lists it kept (js/store.js Key.recs), so that the next load
// has none: what a returning reader's page finds after a change (an event,
// another catalogue, a new hour).
const dropKept = `hearth.recommend({count: 1}).then(() => new Promise((resolve, reject) => {
  const r = indexedDB.open('hearth', 1);
  r.onsuccess = () => {
    const tx = r.result.transaction('kv', 'readwrite');
    tx.objectStore('kv').delete('recs');
    tx.oncomplete = () => { r.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  r.onerror = () => reject(r.error);
}))`

// awaitKept waits until tab's Worker has answered every call made so far
// and reports whether it keeps a list.
const awaitKept = `hearth.recommend({count: 1}).then(() => new Promise((resolve, reject) => {
  const r = indexedDB.open('hearth', 1);
  r.onsuccess = () => {
    const q = r.result.transaction('kv').objectStore('kv').get('recs');
    q.onsuccess = () => { r.result.close(); resolve(!!q.result && Object.keys(q.result.lists).length > 0); };
    q.onerror = () => reject(q.error);
  };
  r.onerror = () => reject(r.error);
}))`

// measure runs the load benchmark of one catalogue: cold loads, each in a
// fresh browser context with an empty cache (a first visit: no profile, the
// publisher's order); then the reader's profile is imported and each warm
// load opens a new tab in that context (a returning reader: cache and
// profile warm); recommend round trips, then track round trips, run in the
// last tab, and the engine's memory is read from its Worker at the end.
// Warm loads find no kept list (dropKept before each); kept loads, after
// them, open the same page again with nothing changed, and show the list
// the Worker kept.
func (e *env) measure(t testing.TB, c *benchCatalogue, cfg runsConfig) SizeReport {
	t.Helper()
	r := SizeReport{Size: c.Label, Items: c.N, CatalogueBytes: len(c.bytes)}
	for i := range cfg.cold {
		tab := chrome.Tab(t)
		clearCache(t, tab)
		r.Cold = append(r.Cold, e.visitSteps(t, tab, c.Label, i, watchWorkers(t, tab)))
		if i < cfg.cold-1 {
			continue
		}
		// The returning reader's tabs are in the browser's regular
		// profile, whose HTTP cache is on disk as a reader's is: a fresh
		// context's cache, in memory, keeps no file of 9 MB or more, so
		// warm loads there downloaded the 100k catalogue every time
		// (TestBrowser_ProfileCache). The first load fills the cache and
		// is not measured; then the reader's profile is imported.
		tab = chrome.Profile(t)
		clearSite(t, tab, e.url)
		e.visit(t, tab, c.Label, 99)
		require.NoError(t, chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`hearth.import(`+browser.JS(string(c.export))+`)`, chromedp.EvalAwaitPromise)))
		require.True(t, evalJSON[bool](t, tab, dropKept))
		require.NoError(t, chromedp.Do(tab, chromedp.Navigate("about:blank")))
		var last context.Context
		closeLast := func() {}
		var seen *workers
		// visitB loads the other build in a tab of its own; its first load
		// only fills the cache with that build's files.
		visitB := func(j int) {
			w, cancel := chromedp.NewContext(tab)
			defer cancel()
			seen := watchWorkers(t, w)
			l := e.visitB(t, w, c.Label, 200+j)
			if id, ok := seen.last(); ok {
				l.Steps = workerSteps(t, w, id)
			}
			// The two builds share the origin's storage: the next load
			// of either must find no kept list.
			require.True(t, evalJSON[bool](t, w, dropKept))
			require.True(t, l.Detail.Personalized)
			require.False(t, l.Kept, "a warm load's list is the engine's")
			if j >= 0 {
				r.WarmB = append(r.WarmB, l)
			}
		}
		if e.b {
			visitB(-1)
		}
		for j := range cfg.warm {
			// The two builds take turns at going first.
			if e.b && j%2 == 1 {
				visitB(j)
			}
			w, cancel := chromedp.NewContext(tab)
			seen = watchWorkers(t, w)
			l := e.visitSteps(t, w, c.Label, 100+j, seen)
			require.True(t, l.Detail.Personalized)
			require.False(t, l.Kept, "a warm load's list is the engine's")
			r.Warm = append(r.Warm, l)
			if j < cfg.warm-1 {
				require.True(t, evalJSON[bool](t, w, dropKept))
				cancel()
				// After the last one the other build does not load:
				// that load's kept list is the kept loads' below.
				if e.b && j%2 == 0 {
					visitB(j)
				}
				continue
			}
			closeLast = cancel
			last = w
		}
		if cfg.kept > 0 {
			require.True(t, evalJSON[bool](t, last, awaitKept), "the Worker kept the slot's list")
		}
		for j := range cfg.kept {
			w, cancel := chromedp.NewContext(tab)
			l := e.visitSteps(t, w, c.Label, 300+j, watchWorkers(t, w))
			require.True(t, l.Kept, "a returning reader's list is the one kept, with nothing changed")
			require.Equal(t, 1, l.Lists, "the engine's answer changed nothing")
			r.Kept = append(r.Kept, l)
			cancel()
		}
		ids := make([]string, cfg.trips)
		for k := range ids {
			ids[k] = c.cat.Items[(k*7919)%len(c.cat.Items)].ID
		}
		r.Recommend = timings(evalJSON[[]float64](t, last, `__bench.time(`+strconv.Itoa(cfg.trips)+`, () => hearth.recommend({count: 10}))`))
		r.Track = timings(evalJSON[[]float64](t, last,
			`__bench.time(`+strconv.Itoa(cfg.trips)+`, (i) => hearth.track({kind: 'view', item: `+browser.JS(ids)+`[i]}))`))
		r.RoundTripLongTasks = evalJSON[Load](t, last, `window.__bench`).LongTasks
		if id, ok := seen.last(); ok {
			r.Memory = workerMemory(t, last, id)
		}
		// The next size starts from an empty profile's storage and cache;
		// no tab of this one may hold the storage open.
		closeLast()
	}
	return r
}

// Timings are raw samples with their summary, in milliseconds.
type Timings struct {
	Stats
	Samples []float64 `json:"samples"`
}

func timings(xs []float64) Timings { return Timings{Stats: Summarise(xs), Samples: xs} }
