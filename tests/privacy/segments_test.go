package privacy

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/stretchr/testify/require"
)

// segmented is the demo publisher's catalogue written in segments, as
// hearth-catalog -segments writes it, into a copy of the built files.
type segmented struct {
	dir      string
	manifest pack.Manifest
	// files are the manifest, the base and the segments, in the order the
	// Worker fetches them.
	files []string
	// added are the item URLs of each segment.
	added [][]string
	// base is an item of the base; held a post of the demo site that no
	// file lists.
	base, held string
}

// segmentSite builds the demo feed's posts, oldest first, into a base of
// all but the newest seven, then a segment of three and a segment of
// three more; the newest post stays out of the catalogue.
func segmentSite(t *testing.T) segmented {
	t.Helper()
	const feedPrefix = "https://go.dev/blog/"
	items, err := feed.Parse(bytes.NewReader(demo.Feed()), "goblog.json")
	require.NoError(t, err)
	for i := range items {
		slug, ok := strings.CutPrefix(items[i].URL, feedPrefix)
		require.True(t, ok, items[i].URL)
		items[i].Text, err = demo.PostText(slug)
		require.NoError(t, err)
	}
	slices.SortStableFunc(items, func(a, b feed.Item) int { return a.Published.Compare(b.Published) })
	local := func(it feed.Item) string { return demo.PostPath(strings.TrimPrefix(it.URL, feedPrefix)) }

	// The catalogue files replace the built one and its manifest.
	s := segmented{dir: variant(t, map[string][]byte{serve.Catalogue: nil, pack.ManifestName: nil})}
	n := len(items)
	s.base, s.held = local(items[0]), local(items[n-1])
	pol := catalogueIn(t, built).Policy
	for k, end := range []int{n - 7, n - 4, n - 1} {
		input := items[:end]
		now := input[len(input)-1].Published.Add(time.Hour)
		rep, err := pack.WriteSegments(input, pol, s.dir, pack.SegmentOptions{
			Build:       pack.Options{URL: pack.ReplacePrefix(feedPrefix, demo.PostPath("")), Generated: now},
			BrotliLevel: 1,
		})
		require.NoError(t, err)
		require.Equal(t, k == 0, rep.Rebuilt)
		require.Len(t, rep.Manifest.Segments, k)
		if k > 0 {
			require.Equal(t, 3, rep.Added)
			var added []string
			for _, it := range items[end-3 : end] {
				added = append(added, local(it))
			}
			s.added = append(s.added, added)
		}
		s.manifest = rep.Manifest
	}
	s.files = []string{pack.ManifestName, s.manifest.Name}
	for _, p := range s.manifest.Segments {
		s.files = append(s.files, p.Name)
	}
	return s
}

// site is what the audit knows about the demo serving s: the segmented
// catalogue's files are the engine's, fetched in order.
func (s segmented) site(origin string) Site {
	st := site(origin)
	st.Engine = []string{"/hearth/" + serve.Worker, "/hearth/" + serve.WasmExec, "/hearth/" + serve.Wasm}
	for _, f := range s.files {
		st.Engine = append(st.Engine, "/hearth/"+f)
		st.Ordered = append(st.Ordered, "/hearth/"+f)
	}
	return st
}

// TestSegments_Audit serves a catalogue in segments with web/serve, as a
// publisher does (data-catalogue names the manifest), to two readers who
// open the same pages and do different things there. The audit must find
// nothing; both must have fetched the manifest, the base and every segment
// once, in the manifest's order; and both engines must know every
// segment's items, and not the post no file lists.
func TestSegments_Audit(t *testing.T) {
	seg := segmentSite(t)
	cat, _, err := pack.ReadManifest(filepath.Join(seg.dir, pack.ManifestName))
	require.NoError(t, err)
	opts := readerOptions
	opts.Catalogue = "/hearth/" + pack.ManifestName
	opts.Fallback = demo.NonPersonal(cat, time.Now)
	srv := startSite(t, seg.dir, opts)
	s := seg.site(srv.URL)

	last := seg.added[len(seg.added)-1][0]
	known := append([]string{seg.base, seg.held}, slices.Concat(seg.added...)...)
	// likes is the page each reader likes: its profiles differ.
	likes := []string{last, seg.base}
	recs := make([]Recording, len(likes))
	profiles := make([]profileView, len(likes))
	codes := make([]map[string]string, len(likes))
	t.Run("readers", func(t *testing.T) {
		for i, liked := range likes {
			t.Run(liked, func(t *testing.T) {
				t.Parallel()
				p := newTab(t, srv.URL)
				rec := Recording{Persona: "reader who likes " + liked}
				nav := func(path string) {
					rec.Chosen = append(rec.Chosen, srv.URL+path)
					p.open(path)
				}
				nav("/")
				rec.Off = []Span{{From: 0, To: p.proxy.Len()}}
				p.accept()
				p.waitFor(`document.querySelector('hearth-recs[slot-name="home"]').dataset.hearthState === 'personal'`, 30*time.Second)
				for _, path := range []string{last, seg.base} {
					nav(path)
					// The page's view, which the engine records only for
					// an item it knows.
					p.waitFor(`hearth.profile().then((v) => v.events.some((e) => e.kind === 'view' && e.url === `+browser.JS(path)+`))`, 10*time.Second)
					if path == liked {
						require.True(t, eval[bool](t, p, `hearth.track({kind: 'like', item: location.href})`))
					}
				}
				nav("/")
				codes[i] = evalJSON[map[string]string](t, p, `Promise.all(`+browser.JS(known)+`.map((u) =>
  hearth.recommend({item: u, related: true, count: 1}).then(() => [u, ''], (e) => [u, e.code || String(e)])))
  .then(Object.fromEntries)`)
				profiles[i] = p.profile()
				// The Worker keeps the base and every segment as the
				// engine read them (js/store.js keptBody), not the
				// manifest, which names them.
				var kept []string
				for _, f := range seg.files[1:] {
					kept = append(kept, "/hearth/"+f)
				}
				slices.Sort(kept)
				p.waitFor(`caches.open('hearth-catalogue').then((c) => c.keys()).then((k) => JSON.stringify(k.map((r) => new URL(r.url).pathname).sort()) === `+browser.JS(browser.JS(kept))+`)`, 10*time.Second)
				require.Empty(t, p.exceptions())
				require.Empty(t, p.violations())
				rec.Requests = p.proxy.Requests()
				rec.Cookies = p.cookies()
				recs[i] = rec
			})
		}
	})
	if t.Failed() {
		return
	}

	require.NotEqual(t, profiles[0].Events, profiles[1].Events, "the readers' profiles differ")
	var want []string
	for _, f := range seg.files {
		want = append(want, "GET "+srv.URL+"/hearth/"+f)
	}
	for i, rec := range recs {
		require.Equal(t, want, orderedRequests(s, rec), "%s: the manifest, the base and each segment once, in the manifest's order", rec.Persona)
		for _, u := range known {
			if u == seg.held {
				require.Equal(t, "unknown-item", codes[i][u], "%s: %s is in no file", rec.Persona, u)
			} else {
				require.Empty(t, codes[i][u], "%s: the engine knows %s", rec.Persona, u)
			}
		}
	}
	t.Logf("%d catalogue files (%d items in segments): %v", len(seg.files), len(known)-2, seg.files)
	findings := Audit(s, recs)
	require.Empty(t, findings, "the audit found leaks:\n%s", joinFindings(findings))
	require.Zero(t, srv.reports.Load(), "CSP violation reports")
}

// TestAudit_Ordered: the order rule reports a reader whose requests for
// the ordered files come in another order, or with one more or one fewer.
func TestAudit_Ordered(t *testing.T) {
	const o = "http://127.0.0.1:9"
	files := []string{"/hearth/catalogue.json", "/hearth/catalogue.a.msgpack", "/hearth/segment.b.msgpack", "/hearth/segment.c.msgpack"}
	s := Site{Origin: o, Loader: "/hearth/hearth.js", Engine: append([]string{"/hearth/hearth.wasm"}, files...), Ordered: files}
	reader := func(name string, order ...int) Recording {
		reqs := []Request{req("GET", o+"/", "document"), req("GET", o+"/hearth/hearth.js", "script", "Referer", o+"/")}
		for _, k := range order {
			reqs = append(reqs, req("GET", o+files[k], "empty"))
		}
		reqs = append(reqs, req("GET", o+"/hearth/hearth.wasm", "empty"))
		return Recording{Persona: name, Chosen: []string{o + "/"}, Requests: reqs}
	}
	tests := []struct {
		name  string
		order []int
		same  bool
	}{
		{"the same order", []int{0, 1, 2, 3}, true},
		{"two segments swapped", []int{0, 1, 3, 2}, false},
		{"the manifest again", []int{0, 1, 2, 3, 0}, false},
		{"a segment fewer", []int{0, 1, 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rules []string
			for _, f := range Audit(s, []Recording{reader("a", 0, 1, 2, 3), reader("b", tt.order...)}) {
				rules = append(rules, f.Rule)
			}
			if tt.same {
				require.Empty(t, rules)
				return
			}
			require.Contains(t, rules, RuleOrder)
			if tt.name == "two segments swapped" {
				// The comparison of page views, which sorts each, misses it.
				require.NotContains(t, rules, RuleSame)
			}
		})
	}
}
