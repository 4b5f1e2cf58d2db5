package pack_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/assets/precompress"
	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/stretchr/testify/require"
)

// newsSite is a simulated news site: base items published before start,
// then perDay new items a day, evenly spaced.
type newsSite struct {
	base, perDay int
	start        time.Time
	items        []feed.Item
}

func newNewsSite(base, perDay, days int) *newsSite {
	s := &newsSite{base: base, perDay: perDay, start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.items = pack.Synthetic(base+perDay*days, 7)
	for i := range s.items[:base] {
		if !s.items[i].Published.Before(s.start) {
			s.items[i].Published = s.start.Add(-time.Hour)
		}
	}
	step := 24 * time.Hour / time.Duration(perDay)
	for k := range s.items[base:] {
		s.items[base+k].Published = s.start.Add(time.Duration(k+1) * step)
	}
	return s
}

// at returns the items published by t.
func (s *newsSite) at(t time.Time) []feed.Item {
	n := s.base
	for n < len(s.items) && !s.items[n].Published.After(t) {
		n++
	}
	return s.items[:n]
}

// reader is a browser's HTTP cache of one reader: content-hashed names are
// immutable (web/serve: a year, immutable), so a file once fetched is never
// fetched again; the manifest is revalidated (plain name: five minutes, then
// must-revalidate), which costs its body only when it changed.
type reader struct {
	cached   map[string]bool
	manifest string // the manifest's bytes last fetched
}

// fetch is what the reader's browser downloads on a visit: the bytes on
// the wire, a file's brotli sibling where web/serve would send it.
func (r *reader) fetch(t *testing.T, dir string) (bytes, files int) {
	mb, err := os.ReadFile(filepath.Join(dir, pack.ManifestName))
	require.NoError(t, err)
	if string(mb) != r.manifest {
		r.manifest = string(mb)
		bytes += wire(t, dir, pack.ManifestName)
	}
	_, m, err := pack.ReadManifest(filepath.Join(dir, pack.ManifestName))
	require.NoError(t, err)
	for _, p := range append([]pack.Part{{Name: m.Name}}, m.Segments...) {
		if !r.cached[p.Name] {
			r.cached[p.Name] = true
			bytes += wire(t, dir, p.Name)
			files++
		}
	}
	return bytes, files
}

// wire is the size of name as web/serve sends it to a browser: its brotli
// sibling when there is one, else the file.
func wire(t *testing.T, dir, name string) int {
	for _, n := range []string{name + serve.SiblingExt("br"), name} {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return int(st.Size())
		}
	}
	t.Fatalf("%s: missing", name)
	return 0
}

// fullSize is the brotli size of the catalogue of dir as one file, what
// every reader downloads after every rebuild without segments.
func fullSize(t *testing.T, dir string, level int) int {
	c, _, err := pack.ReadManifest(filepath.Join(dir, pack.ManifestName))
	require.NoError(t, err)
	b, _, err := pack.Encode(c)
	require.NoError(t, err)
	br, err := precompress.Compress(b, "br", level)
	require.NoError(t, err)
	return len(br)
}

// simulate runs the builder hourly over days of a news site and a reader
// who visits daily at 09:00, and returns the bytes of each visit after the
// first and the full catalogue's brotli size on that day.
func simulate(t *testing.T, site *newsSite, days int, o pack.SegmentOptions) (visits, full, files []int, rebuilds, merges int) {
	dir := t.TempDir()
	r := &reader{cached: map[string]bool{}}
	for h := 0; h <= days*24+9; h++ {
		now := site.start.Add(time.Duration(h) * time.Hour)
		bo := o
		bo.Build.Generated = now
		rep, err := pack.WriteSegments(site.at(now), catalog.Policy{}, dir, bo)
		require.NoError(t, err)
		if rep.Rebuilt && h > 0 {
			rebuilds++
		}
		if rep.Merged > 0 {
			merges++
		}
		if now.Hour() == 9 {
			b, n := r.fetch(t, dir)
			if h > 24 {
				visits = append(visits, b)
				files = append(files, n)
				full = append(full, fullSize(t, dir, o.BrotliLevel))
			}
		}
	}
	return visits, full, files, rebuilds, merges
}

// TestSegments_NewsSite is the simulation of docs/performance.md: a news
// site of 10,000 items that publishes 100 a day and rebuilds hourly, and a
// reader who visits once a day. It prints the bytes the reader's browser
// downloads per day against the full catalogue's. Slow (a build an hour):
// it runs under HEARTH_BENCH=1 (make bench); HEARTH_SEGMENT_DAYS and
// HEARTH_SEGMENT_SHARE change the days simulated and the rebuild share.
func TestSegments_NewsSite(t *testing.T) {
	if os.Getenv("HEARTH_BENCH") == "" {
		t.Skip("a simulation of weeks of hourly builds: HEARTH_BENCH=1 (make bench)")
	}
	days, share := 30, 0.0
	if v := os.Getenv("HEARTH_SEGMENT_DAYS"); v != "" {
		days, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("HEARTH_SEGMENT_SHARE"); v != "" {
		share, _ = strconv.ParseFloat(v, 64)
	}
	site := newNewsSite(10_000, 100, days+1)
	o := pack.SegmentOptions{RebuildShare: share}
	start := time.Now()
	visits, full, files, rebuilds, merges := simulate(t, site, days, o)
	sum, fsum := 0, 0
	for d := range visits {
		sum += visits[d]
		fsum += full[d]
		t.Logf("day %2d: %7d bytes in %2d files, %5.2f%% of the full catalogue's %d", d+1, visits[d], files[d], 100*float64(visits[d])/float64(full[d]), full[d])
	}
	if share == 0 {
		share = pack.DefaultRebuildShare
	}
	fmt.Printf("segments: 10000 items +100/day, hourly builds, daily reader, %d days, rebuild share %.2f: %d bytes/day, %.2f%% of a full download (%d bytes/day); %d base rebuilds, %d days with merges; %.0fs\n",
		len(visits), share, sum/len(visits), 100*float64(sum)/float64(fsum), fsum/len(visits), rebuilds, merges, time.Since(start).Seconds())
}
