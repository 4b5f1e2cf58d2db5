package browserbench

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

// TestBrowser_ReadCatalogue measures how long a page takes to read the
// catalogue's bytes back from each place a browser can keep them: the HTTP
// cache holding the file as served (brotli) or uncompressed, Cache Storage
// holding the bytes (how the Worker keeps them, js/store.js Bodies), and
// IndexedDB. It is why the Worker keeps the catalogue's files
// (docs/performance.md, Kept catalogue files). Run it with
//
//	HEARTH_BENCH=1 HEARTH_BENCH_READ=1 go test -run TestBrowser_ReadCatalogue -v ./tests/browserbench/
//
// (HEARTH_BENCH_SIZES picks the sizes, 100k by default).
func TestBrowser_ReadCatalogue(t *testing.T) {
	if os.Getenv("HEARTH_BENCH") != "1" || os.Getenv("HEARTH_BENCH_READ") != "1" {
		t.Skip("set HEARTH_BENCH=1 HEARTH_BENCH_READ=1 to measure reading the catalogue back")
	}
	if chrome == nil {
		t.Fatal(browser.ErrNoBrowser)
	}
	labels := strings.Split(cmp.Or(os.Getenv("HEARTH_BENCH_SIZES"), "100k"), ",")
	var sizes []Size
	for _, l := range labels {
		i := slices.IndexFunc(Sizes, func(s Size) bool { return s.Label == l })
		require.GreaterOrEqual(t, i, 0, "unknown size %q", l)
		sizes = append(sizes, Sizes[i])
	}
	e := newEnv(t, sizes, 0)
	const runs = 7
	fmt.Printf("\nReading the catalogue back in the page, ms (median of %d, min–max):\n\n", runs)
	fmt.Println("| items | bytes | HTTP cache, brotli as served | HTTP cache, uncompressed | Cache Storage, read as a stream | IndexedDB |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, s := range sizes {
		c := e.cats[s.Label]
		// The same bytes without precompressed siblings: served as they are.
		raw := "/hearth/raw-" + s.Label + ".msgpack"
		require.NoError(t, os.WriteFile(filepath.Join(e.dir, filepath.Base(raw)), c.bytes, 0o644))
		tab := chrome.Tab(t)
		require.NoError(t, chromedp.Do(tab, chromedp.Navigate(e.url+"/hearth/none")))
		got := browser.Eval[map[string][]float64](t, tab, `(async () => {
  const read = async (resp) => {
    const r = resp.body.getReader();
    let n = 0;
    for (;;) {
      const {done, value} = await r.read();
      if (done) return n;
      n += value.length;
    }
  };
  const brotli = `+browser.JS(CataloguePath(s.Label))+`, raw = `+browser.JS(raw)+`;
  await read(await fetch(brotli));
  const bytes = new Uint8Array(await (await fetch(raw)).arrayBuffer());
  const cache = await caches.open('read-bench');
  await cache.put('/kept', new Response(bytes));
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open('read-bench', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('s');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(r.error);
  });
  await new Promise((ok, no) => {
    const tx = db.transaction('s', 'readwrite');
    tx.objectStore('s').put(bytes, 'k');
    tx.oncomplete = ok;
    tx.onerror = () => no(tx.error);
  });
  const ways = {
    brotli: async () => read(await fetch(brotli)),
    raw: async () => read(await fetch(raw)),
    cache: async () => read(await cache.match('/kept')),
    idb: () => new Promise((ok, no) => {
      const r = db.transaction('s').objectStore('s').get('k');
      r.onsuccess = () => ok(r.result.length);
      r.onerror = () => no(r.error);
    }),
  };
  const out = {};
  for (let i = 0; i < `+fmt.Sprint(runs)+`; i++) {
    for (const [name, f] of Object.entries(ways)) {
      const t0 = performance.now();
      const n = await f();
      if (n !== bytes.length) throw new Error(name + ': ' + n + ' bytes, not ' + bytes.length);
      (out[name] ||= []).push(performance.now() - t0);
    }
  }
  db.close();
  return out;
})()`)
		cell := func(xs []float64) string {
			require.Len(t, xs, runs)
			st := Summarise(xs)
			return fmt.Sprintf("%.0f (%.0f–%.0f)", st.Median, st.Min, st.Max)
		}
		fmt.Printf("| %s | %d | %s | %s | %s | %s |\n", s.Label, len(c.bytes), cell(got["brotli"]), cell(got["raw"]), cell(got["cache"]), cell(got["idb"]))
	}
}
