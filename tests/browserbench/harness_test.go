package browserbench

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/web/serve"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/build/assets"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

// env is a built site with its catalogues, served by httptest.
type env struct {
	site *Site
	b    bool // the site serves another build under /hearth-b/ (HEARTH_BENCH_B)
	url  string
	dir  string // the assets folder, …/hearth
	cats map[string]*benchCatalogue
	now  time.Time // the reader's clock, whole seconds
}

// benchCatalogue is one size's catalogue: its bytes, decoded form, and the
// benchmark reader's profile over it.
type benchCatalogue struct {
	Size
	bytes   []byte
	cat     *catalog.Catalogue
	reader  *profile.Profile
	encoded []byte // reader, msgpack
	export  []byte // reader, the JSON hearth.import takes
}

// newEnv builds the assets (brotli at level, 0 meaning the shipped 11) and
// the catalogues of sizes, and serves them.
func newEnv(t testing.TB, sizes []Size, level int) *env {
	t.Helper()
	e := &env{cats: map[string]*benchCatalogue{}, now: time.Now().Truncate(time.Second)}
	built := map[string][]byte{}
	withText := os.Getenv("HEARTH_BENCH_B_TEXT") == "1"
	for _, s := range sizes {
		start := time.Now()
		b, _, err := Catalogue(s.N)
		require.NoError(t, err)
		built[s.Label] = b
		t.Logf("catalogue %s: %d bytes, built in %v", s.Label, len(b), time.Since(start).Round(time.Millisecond))
		if withText {
			b, _, err := CatalogueWithText(s.N)
			require.NoError(t, err)
			built[s.Label+"-b"] = b
			t.Logf("catalogue %s with text: %d bytes", s.Label, len(b))
		}
	}
	start := time.Now()
	// The smallest catalogue stands in for the demo's, which is not needed.
	report, err := assets.Build(t.TempDir(), assets.Options{BrotliLevel: level, Catalogue: built[sizes[0].Label]})
	require.NoError(t, err)
	t.Logf("assets built in %v", time.Since(start).Round(time.Millisecond))
	e.dir = report.Dir
	if alt := os.Getenv("HEARTH_BENCH_WASM"); alt != "" {
		b, err := os.ReadFile(alt)
		require.NoError(t, err)
		require.NoError(t, WriteFile(filepath.Join(e.dir, serve.Wasm), b))
		t.Logf("engine replaced by %s (%d bytes)", alt, len(b))
	}
	for _, s := range sizes {
		if b, ok := built[s.Label+"-b"]; ok {
			require.NoError(t, WriteCatalogue(e.dir, s.Label+"-b", b))
		}
		b := built[s.Label]
		require.NoError(t, WriteCatalogue(e.dir, s.Label, b))
		c, err := catalog.Decode(b)
		require.NoError(t, err)
		p, err := Reader(c, e.now)
		require.NoError(t, err)
		enc, err := p.Encode()
		require.NoError(t, err)
		exp := exportText(t, p, e.now)
		e.cats[s.Label] = &benchCatalogue{Size: s, bytes: b, cat: c, reader: p, encoded: enc, export: exp}
	}
	e.site = NewSite(e.dir, "../../js")
	if dir := os.Getenv("HEARTH_BENCH_B"); dir != "" || withText {
		if dir == "" {
			dir = e.dir
		}
		suffix := ""
		if withText {
			suffix = "-b"
		}
		e.site.ServeB(dir, suffix)
		e.b = true
		t.Logf("warm loads alternate with the build in %s, catalogues catalogue-<size>%s", dir, suffix)
	}
	srv := httptest.NewServer(e.site)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// Load is what the probe recorded for one page load, in milliseconds since
// the page's time origin (navigation start).
type Load struct {
	Start     float64    `json:"start"`
	Ready     float64    `json:"ready"`
	Recs      float64    `json:"recs"`
	Frame     float64    `json:"frame"`
	Items     []string   `json:"items"`
	Errors    []string   `json:"errors"`
	LongTasks []LongTask `json:"longTasks"`
	// LongFrames are the long animation frames (over 50 ms), which say
	// what ran during a long task.
	LongFrames []LongFrame `json:"longFrames"`
	Detail     struct {
		Consent      string `json:"consent"`
		Personalized bool   `json:"personalized"`
	} `json:"detail"`
	// Fetched lists the Hearth files the server was asked for during the
	// load: with a warm cache none.
	Fetched []string `json:"fetched"`
	// Steps are the Worker's hearth:<step> marks (js/hearth-worker.js), in
	// milliseconds since the page's navigation start like the fields above.
	Steps map[string]float64 `json:"steps,omitempty"`
	// CLS is the layout shift of the load up to the frame after the first
	// recommendations (layout-shift entries without recent input, summed
	// as Lighthouse does), and Prompt the state <hearth-consent> was in
	// then ("shown" while it asks).
	CLS    float64 `json:"cls"`
	Prompt string  `json:"prompt"`
	// Settled is when CLS and Prompt were read.
	Settled float64 `json:"settled"`
	// Kept says the first list was the one the Worker kept (js/store.js
	// Recs), Lists how many lists the slot was given.
	Kept  bool `json:"kept"`
	Lists int  `json:"lists"`
}

// FirstRecs is the time from the loader's start to the first
// recommendations in the page's DOM.
func (l Load) FirstRecs() float64 { return l.Recs - l.Start }

// LongTask is one main-thread task over 50 ms.
type LongTask struct {
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
}

// LongFrame is one long animation frame: its timing, the part spent
// rendering and in style and layout, and the scripts that ran in it.
type LongFrame struct {
	Start          float64       `json:"start"`
	Duration       float64       `json:"duration"`
	Blocking       float64       `json:"blocking"`
	Render         float64       `json:"render"`
	StyleAndLayout float64       `json:"styleAndLayout"`
	Scripts        []FrameScript `json:"scripts"`
}

// FrameScript is a script that ran in a long animation frame: what invoked
// it (an event listener, a resolved promise, ...), its file and function.
type FrameScript struct {
	Invoker      string  `json:"invoker"`
	Source       string  `json:"source"`
	Duration     float64 `json:"duration"`
	ForcedLayout float64 `json:"forcedLayout"`
}

// String describes the frame in one line, scripts longest first.
func (f LongFrame) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "frame at %.0f, %.0f ms (blocking %.0f, rendering %.0f, style and layout %.0f)", f.Start, f.Duration, f.Blocking, f.Render, f.StyleAndLayout)
	scripts := slices.Clone(f.Scripts)
	slices.SortFunc(scripts, func(a, b FrameScript) int { return cmp.Compare(b.Duration, a.Duration) })
	for _, x := range scripts {
		fmt.Fprintf(&b, "; %s %q %.0f ms", x.Invoker, x.Source, x.Duration)
		if x.ForcedLayout > 0 {
			fmt.Fprintf(&b, " (forced layout %.0f)", x.ForcedLayout)
		}
	}
	return b.String()
}

// evalJSON evaluates expr in the tab, awaiting a promise, and decodes its
// JSON form.
func evalJSON[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	return browser.EvalJSON[T](t, ctx, expr)
}

// workers records the Worker targets a tab starts, so that the harness can
// attach to them.
type workers struct {
	mu  sync.Mutex
	ids []target.ID
}

func watchWorkers(t testing.TB, tab context.Context) *workers {
	t.Helper()
	w := &workers{}
	require.NoError(t, chromedp.Listen(tab, func(ev any) {
		if e, ok := ev.(*target.EventAttachedToTarget); ok && e.TargetInfo.Type == "worker" {
			w.mu.Lock()
			w.ids = append(w.ids, e.TargetInfo.TargetID)
			w.mu.Unlock()
		}
	}))
	return w
}

func (w *workers) last() (target.ID, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.ids) == 0 {
		return "", false
	}
	return w.ids[len(w.ids)-1], true
}

// visit opens the load page of label in tab and waits for the first
// recommendations and the frame after them.
func (e *env) visit(t testing.TB, tab context.Context, label string, n int) Load {
	t.Helper()
	return e.load(t, tab, label, PagePath(label, n))
}

// visitSteps is visit that also reads the steps of the Worker that seen
// recorded last.
func (e *env) visitSteps(t testing.TB, tab context.Context, label string, n int, seen *workers) Load {
	t.Helper()
	l := e.visit(t, tab, label, n)
	if id, ok := seen.last(); ok {
		l.Steps = workerSteps(t, tab, id)
	}
	return l
}

// visitB is visit with the other build of Hearth (HEARTH_BENCH_B).
func (e *env) visitB(t testing.TB, tab context.Context, label string, n int) Load {
	t.Helper()
	return e.load(t, tab, label, PagePath(label, n)+"&b=1")
}

func (e *env) load(t testing.TB, tab context.Context, label, path string) Load {
	t.Helper()
	e.site.Requests()
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(e.url+path)))
	deadline := time.Now().Add(90 * time.Second)
	var l Load
	for {
		l = evalJSON[Load](t, tab, `window.__bench || {}`)
		// Done when the list is painted and hearth:ready has fired,
		// which may come after it (the page's view is recorded after the
		// slots are ranked), or when an error came with ready.
		if l.Ready > 0 && (l.Settled > 0 || len(l.Errors) > 0) {
			break
		}
		require.False(t, time.Now().After(deadline), "no recommendations on %s after 90 s: %+v", label, l)
		time.Sleep(20 * time.Millisecond)
	}
	require.Empty(t, l.Errors, "hearth:error on %s", label)
	for path := range e.site.Requests() {
		if rest, ok := strings.CutPrefix(path, "/hearth/"); ok {
			l.Fetched = append(l.Fetched, rest)
		} else if rest, ok := strings.CutPrefix(path, "/hearth-b/"); ok {
			l.Fetched = append(l.Fetched, rest)
		}
	}
	slices.Sort(l.Fetched)
	return l
}

// Memory is the engine's memory in its Worker, read through the DevTools
// protocol: the wasm linear memory (memory.buffer.byteLength of every
// WebAssembly.Memory in the Worker) and the Worker's JavaScript heap.
type Memory struct {
	Wasm       []int64 `json:"wasm"`
	JSHeapUsed float64 `json:"jsHeapUsed"`
}

// workerMemory attaches to the Worker target id and measures its memory.
// Attaching ends with the tab, so call it last.
func workerMemory(t testing.TB, tab context.Context, id target.ID) Memory {
	t.Helper()
	wctx, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(id))
	defer cancel()
	var m Memory
	require.NoError(t, chromedp.Do(wctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		wasm, err := browser.WasmMemory(ctx)
		if err != nil {
			return err
		}
		m.Wasm = wasm
		heap, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
		if err != nil {
			return err
		}
		m.JSHeapUsed = heap.UsedSize
		return nil
	})))
	return m
}

// workerSteps reads the hearth:<step> User Timing marks of the Worker
// target id and returns them in milliseconds since tab's navigation start:
// the two threads have time origins of their own. It detaches without
// ending the Worker.
func workerSteps(t testing.TB, tab context.Context, id target.ID) map[string]float64 {
	t.Helper()
	page := evalJSON[float64](t, tab, `performance.timeOrigin`)
	wctx, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	defer cancel()
	type markSet struct {
		Origin float64            `json:"origin"`
		Marks  map[string]float64 `json:"marks"`
	}
	marks, err := chromedp.Run(wctx, chromedp.Evaluate[markSet](`({origin: performance.timeOrigin, marks: Object.fromEntries(
		performance.getEntriesByType('mark').filter((m) => m.name.startsWith('hearth:')).map((m) => [m.name.slice(7), m.startTime]))})`))
	require.NoError(t, err)
	steps := make(map[string]float64, len(marks.Marks))
	for name, at := range marks.Marks {
		steps[name] = marks.Origin + at - page
	}
	return steps
}

// clearSite empties the browser's HTTP cache and the storage of the
// origin of siteURL (IndexedDB: profile, consent, kept lists).
func clearSite(t testing.TB, tab context.Context, siteURL string) {
	t.Helper()
	clearCache(t, tab)
	u, err := url.Parse(siteURL)
	require.NoError(t, err)
	_, err = chromedp.Call(tab, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: u.Scheme + "://" + u.Host, StorageTypes: "all"})
	require.NoError(t, err)
}

// clearCache empties the browser's HTTP cache.
func clearCache(t testing.TB, tab context.Context) {
	t.Helper()
	_, err := chromedp.Call(tab, network.ClearBrowserCache, cdp.Empty{})
	require.NoError(t, err)
}

// Side is the side-by-side Worker's report (page/side-worker.js).
type Side struct {
	Timer          string   `json:"timer"`
	WasmFetchMs    float64  `json:"wasmFetchMs"`
	InstantiateMs  float64  `json:"instantiateMs"`
	EngineStartMs  float64  `json:"engineStartMs"`
	CatalogueBytes int      `json:"catalogueBytes"`
	Items          int      `json:"items"`
	GoLoadMs       float64  `json:"goLoadMs"`
	JSLoadMs       float64  `json:"jsLoadMs"`
	JSModelBytes   int      `json:"jsModelBytes"`
	MemStart       int64    `json:"memStart"`
	MemLoaded      int64    `json:"memLoaded"`
	MemEnd         int64    `json:"memEnd"`
	CallFloor      Stats    `json:"callFloor"`
	Go             Stats    `json:"go"`
	JS             Stats    `json:"js"`
	GoIDs          []string `json:"goIDs"`
	JSIDs          []string `json:"jsIDs"`
	// The last lists, items with their reasons, and how many of the timed
	// pairs of calls listed differently (0 when the two agree).
	GoRecs []Rec `json:"goRecs"`
	JSRecs []Rec `json:"jsRecs"`
	Differ int   `json:"differ"`
	// The timed calls in order, in milliseconds.
	GoSamples []float64 `json:"goSamples"`
	JSSamples []float64 `json:"jsSamples"`
}

// Rec is one recommendation as the side-by-side page compares them: the
// item and its reasons (Ref "" when a reason has none).
type Rec struct {
	ID      string        `json:"id"`
	Reasons []rank.Reason `json:"reasons"`
}

// sideRun says how to run the side-by-side page.
type sideRun struct {
	runs, warmup int
	visit        int // makes the page's URL distinct
}

// side runs the side-by-side page of c in tab.
func (e *env) side(t testing.TB, tab context.Context, c *benchCatalogue, run sideRun) Side {
	t.Helper()
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(fmt.Sprintf("%s/bench/side/%s?visit=%d", e.url, c.Label, run.visit))))
	// The engine loads the stored (sealed) profile; the JS reference reads
	// the MessagePack inside the seal.
	inner, err := profile.Open(c.encoded)
	require.NoError(t, err)
	opts := map[string]any{
		"wasm":           "/hearth/" + serve.Wasm,
		"catalogue":      CataloguePath(c.Label),
		"profile":        json.RawMessage(browser.JS(c.encoded)),
		"profileMsgpack": json.RawMessage(browser.JS(inner)),
		"now":            e.now.UnixMilli(),
		"count":          10,
		"runs":           run.runs,
		"warmup":         run.warmup,
	}
	return evalJSON[Side](t, tab, `window.__runSide(`+browser.JS(opts)+`)`)
}

// engine returns the natively compiled engine for c and c's reader as the
// Worker holds it: decoded and pruned at now, as load-profile does.
func (e *env) engine(c *benchCatalogue) (*rank.Engine, *profile.Profile) {
	p, err := profile.Decode(c.encoded)
	if err != nil {
		panic(err)
	}
	p.Prune(c.cat.Policy, e.now.Unix())
	return rank.New(c.cat), p
}

// nativeList returns the ids of the natively compiled engine's top count
// for c's reader at now, with the seed the browser benchmarks use.
func (e *env) nativeList(c *benchCatalogue, count int) []string {
	var ids []string
	for _, r := range e.nativeRecs(c, count) {
		ids = append(ids, r.ID)
	}
	return ids
}

// nativeRecs is nativeList with the reasons.
func (e *env) nativeRecs(c *benchCatalogue, count int) []Rec {
	eng, p := e.engine(c)
	return recs(eng.Recommend(p, rank.Request{Count: count, Now: e.now.Unix(), Seed: 1}))
}

func recs(rs []rank.Recommendation) []Rec {
	out := make([]Rec, len(rs))
	for i, r := range rs {
		out[i] = Rec{ID: r.ID, Reasons: r.Reasons}
	}
	return out
}

// native times the natively compiled engine ranking c's top 10 for its
// reader, runs times after warmup calls.
func (e *env) native(c *benchCatalogue, runs, warmup int) Stats {
	eng, p := e.engine(c)
	req := rank.Request{Count: 10, Now: e.now.Unix(), Seed: 1}
	for range warmup {
		eng.Recommend(p, req)
	}
	times := make([]float64, runs)
	for i := range times {
		start := time.Now()
		eng.Recommend(p, req)
		times[i] = float64(time.Since(start).Nanoseconds()) / 1e6
	}
	return Summarise(times)
}

// exportText is the file the Worker exports of p at now (js/export.js, run
// by Node): what a returning reader imports.
func exportText(t testing.TB, p *profile.Profile, now time.Time) []byte {
	t.Helper()
	plain, err := p.Plain()
	require.NoError(t, err)
	mod, err := filepath.Abs("../../js/export.js")
	require.NoError(t, err)
	script := `import { exportText } from ` + strconv.Quote("file://"+mod) + `;
process.stdout.write(exportText(Buffer.from(process.argv[1], 'hex'), Number(process.argv[2])));`
	out, err := exec.Command("node", "--input-type=module", "-e", script, hex.EncodeToString(plain), strconv.FormatInt(now.UnixMilli(), 10)).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return out
}
