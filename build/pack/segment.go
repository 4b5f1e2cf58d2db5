package pack

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/build/assets/precompress"
	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
)

// Segment files: a catalogue written by [WriteSegments] is a base
// (catalogue.<hash>.msgpack), segments (segment.<hash>.msgpack) and the
// manifest catalogue.json that lists them in order. Each file is named by
// its content, so a browser keeps it for good; only the manifest is
// revalidated, and a rebuild that adds items adds a small segment instead
// of a new catalogue every reader downloads in full (docs/serving.md).

// ManifestName is the manifest's name in a folder of segments.
const ManifestName = "catalogue.json"

// Part is a segment as the manifest lists it.
type Part struct {
	Name      string `json:"name"`
	SHA256    string `json:"sha256"`
	Items     int    `json:"items"`
	Removed   int    `json:"removed,omitempty"`
	Bytes     int    `json:"bytes"`
	Generated string `json:"generated"` // RFC 3339, UTC
}

// Defaults of [SegmentOptions].
const (
	DefaultSegmentPeriod = 24 * time.Hour
	DefaultRebuildShare  = 0.5
)

// SegmentOptions configure [WriteSegments]. The zero value merges the
// segments of each day once it is over and rebuilds the base when its
// segments hold half as many items as it does.
type SegmentOptions struct {
	// Build are the options of a base build; Build.Previous is ignored
	// (the folder's catalogue is the previous one).
	Build Options
	// Period: once a period (aligned to the Unix epoch) is over, its
	// segments are merged into one. 0 means DefaultSegmentPeriod.
	Period time.Duration
	// RebuildShare: the base is rebuilt, and the segments dropped, when
	// the segments would hold more items (added, replaced or removed) than
	// this share of the base's. 0 means DefaultRebuildShare.
	RebuildShare float64
	// RebuildAge: the base is also rebuilt once it is older than this; 0
	// means never for its age.
	RebuildAge time.Duration
	// Rebuild rebuilds the base whatever the rest says. A changed policy
	// takes effect with a rebuild.
	Rebuild bool
	// BrotliLevel is the quality of the .br siblings (0: the best).
	BrotliLevel int
}

// SegmentReport says what [WriteSegments] did.
type SegmentReport struct {
	Manifest Manifest
	// Rebuilt: the base was (re)built and there are no segments.
	Rebuilt bool
	// Added, Replaced and Removed count the items of the segment written
	// (0 when none was).
	Added, Replaced, Removed int
	// Merged is how many segments were merged into fewer.
	Merged int
	// Deleted are the files removed: in neither the previous manifest nor
	// this one.
	Deleted []string
}

// WriteSegments updates the catalogue in segments in dir from items, the
// whole current input: the first call builds the base; later calls write a
// segment with the items the catalogue lacks, those whose title, URL,
// section or date changed, and the ids of items no longer in the input
// (unless Build.Merge), then merge the segments of periods that are over
// and rebuild the base as o says. A segment's items get their vectors in
// the base's space and topics of its vocabulary (segmentItems), so a
// browser appends them to the base as they are.
func WriteSegments(items []feed.Item, pol catalog.Policy, dir string, o SegmentOptions) (SegmentReport, error) {
	if o.Period <= 0 {
		o.Period = DefaultSegmentPeriod
	}
	if o.RebuildShare <= 0 {
		o.RebuildShare = DefaultRebuildShare
	}
	var rep SegmentReport
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return rep, err
	}
	old, base, prev, err := readSegmented(dir)
	if err != nil {
		return rep, err
	}
	bo := o.Build
	bo.Previous = prev
	now := bo.Generated
	if now.IsZero() {
		for _, it := range items {
			if it.Published.After(now) {
				now = it.Published
			}
		}
	}
	var seg *catalog.Segment
	if base != nil && !o.Rebuild && !(o.RebuildAge > 0 && now.Sub(time.Unix(base.Generated, 0)) > o.RebuildAge) && len(base.Gram) == 0 {
		if seg, err = segmentOf(items, pol, prev, base, bo, now); err != nil {
			return rep, err
		}
		changed := len(seg.Items) + len(seg.Removed)
		for _, p := range old.Segments {
			changed += p.Items + p.Removed
		}
		if float64(changed) > o.RebuildShare*float64(len(base.Items)) {
			seg = nil
		}
	}
	var m Manifest
	switch {
	case seg == nil:
		c, err := Build(items, pol, bo)
		if err != nil {
			return rep, err
		}
		b, bm, err := Encode(c)
		if err != nil {
			return rep, err
		}
		if bm.Siblings, err = precompress.Write(dir, bm.Name, b, o.BrotliLevel); err != nil {
			return rep, fmt.Errorf("write catalogue: %w", err)
		}
		m, rep.Rebuilt = bm, true
	case len(seg.Items)+len(seg.Removed) == 0:
		m = old
	default:
		m = old
		for _, it := range seg.Items {
			if _, ok := prev.Find(it.ID); ok {
				rep.Replaced++
			} else {
				rep.Added++
			}
		}
		rep.Removed = len(seg.Removed)
		p, err := writeSegment(dir, seg, o.BrotliLevel)
		if err != nil {
			return rep, err
		}
		m.Segments = append(slices.Clip(m.Segments), p)
	}
	if !rep.Rebuilt {
		if m.Segments, rep.Merged, err = mergePeriods(dir, m.Segments, now, o); err != nil {
			return rep, err
		}
	}
	// The manifest is what browsers follow: it names new files only once
	// readers' engines would take the chain they make. (A rebuilt base was
	// checked by Encode; an unchanged list is the one already published.)
	if !rep.Rebuilt && len(m.Segments) != 0 && !slices.Equal(m.Segments, old.Segments) {
		all, _, err := chainBytes(dir, m)
		if err == nil {
			err = EngineAccepts(all)
		}
		if err != nil {
			return rep, err
		}
	}
	rep.Manifest = m
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return rep, err
	}
	// The manifest is the file every visit revalidates, and it grows with
	// the segments: it gets siblings too.
	if _, err := precompress.Write(dir, ManifestName, append(mb, '\n'), o.BrotliLevel); err != nil {
		return rep, fmt.Errorf("write catalogue manifest: %w", err)
	}
	rep.Deleted, err = deleteUnlisted(dir, old, m)
	return rep, err
}

// readSegmented reads the manifest of dir and the catalogue it lists: the
// base alone and the catalogue of base and segments. All are zero when
// there is no manifest yet.
func readSegmented(dir string) (m Manifest, base, whole *catalog.Catalogue, err error) {
	mb, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil, nil, nil
	}
	if err != nil {
		return m, nil, nil, err
	}
	if err := json.Unmarshal(mb, &m); err != nil {
		return m, nil, nil, fmt.Errorf("%s: %w", ManifestName, err)
	}
	all, n, err := chainBytes(dir, m)
	if err != nil {
		return m, nil, nil, err
	}
	if base, err = decode(all[:n:n]); err != nil {
		return m, nil, nil, fmt.Errorf("%s: %w", m.Name, err)
	}
	if whole, err = catalog.DecodeChain(all, readLimits, false); err != nil {
		return m, nil, nil, fmt.Errorf("%s: %w", ManifestName, err)
	}
	return m, base, whole, nil
}

// chainBytes returns the files m lists in dir, the base and its segments,
// joined in order as a browser joins them, and the base's length.
func chainBytes(dir string, m Manifest) ([]byte, int, error) {
	all, err := os.ReadFile(filepath.Join(dir, m.Name))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: base: %w", ManifestName, err)
	}
	n := len(all)
	for _, p := range m.Segments {
		sb, err := os.ReadFile(filepath.Join(dir, p.Name))
		if err != nil {
			return nil, 0, fmt.Errorf("%s: segment: %w", ManifestName, err)
		}
		all = append(all, sb...)
	}
	return all, n, nil
}

// ReadManifest reads the catalogue a manifest lists, base and segments, as
// a browser decodes it.
func ReadManifest(path string) (*catalog.Catalogue, Manifest, error) {
	m, _, c, err := readSegmented(filepath.Dir(path))
	if err == nil && c == nil {
		err = fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	return c, m, err
}

// segmentOf returns the segment that brings prev up to items: new items,
// changed ones, and the ids of those gone from the input.
func segmentOf(items []feed.Item, pol catalog.Policy, prev, base *catalog.Catalogue, o Options, now time.Time) (*catalog.Segment, error) {
	o = o.withDefaults()
	entries, err := identify(items, pol, o)
	if err != nil {
		return nil, err
	}
	var fresh []entry
	in := make(map[string]bool, len(entries))
	for _, e := range entries {
		in[e.id] = true
		if e.carried {
			continue
		}
		i, ok := prev.Find(e.id)
		if ok {
			it := &prev.Items[i]
			var pub int64
			if !e.src.Published.IsZero() {
				pub = e.src.Published.Unix()
			}
			if it.URL == e.url && it.Title == plain(e.src.Title) && it.Section == strings.TrimSpace(plain(e.src.Section)) && it.Published == pub {
				continue
			}
		}
		fresh = append(fresh, e)
	}
	seg := &catalog.Segment{Base: base.ID, Generated: now.Unix(), Dim: prev.Dim}
	if !o.Merge {
		for _, it := range prev.Items {
			if !in[it.ID] {
				seg.Removed = append(seg.Removed, it.ID)
			}
		}
	}
	var top float64
	for _, e := range entries {
		if !e.carried {
			top = math.Max(top, e.src.Popularity)
		}
	}
	seg.Items = segmentItems(fresh, prev, top, o)
	b, err := seg.Encode()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	seg.ID = hex.EncodeToString(sum[:8])
	return seg, nil
}

// segmentItems makes the catalogue items of entries new to prev, in a
// build's order. What differs from a full build, which computes vectors,
// topics and popularity for all items at once:
//   - vectors: a new item's is folded into prev's space through prev's
//     titles: each title word stands for the idf-weighted sum of the
//     vectors of the items whose titles have it, and the item's vector is
//     the sum of its words' (its title, summary and text, weighted by
//     count and idf), normalised;
//   - topics: the item's own tags that prev's vocabulary has; without any,
//     the topics of the prev item nearest to its vector; no new topics;
//   - popularity on the scale of the input's most popular item, as a build
//     sets it, while prev's items keep the values of their builds;
//   - key terms are not computed (summaries are kept as a build keeps
//     them).
func segmentItems(entries []entry, prev *catalog.Catalogue, top float64, o Options) []catalog.Item {
	out := make([]catalog.Item, len(entries))
	an := text.NewAnalyzer(o.Language)
	var words map[string][]float32
	if prev.Dim > 0 && len(entries) > 0 {
		words = titleWords(prev, an)
	}
	vocab := map[string]uint16{}
	for k, t := range prev.Topics {
		vocab[NormalizeTopic(t)] = uint16(k)
	}
	for i, e := range entries {
		it := &out[i]
		it.ID, it.URL, it.Title, it.Section = e.id, e.url, plain(e.src.Title), strings.TrimSpace(plain(e.src.Section))
		if o.shipsText() {
			it.Summary = plain(e.src.Summary)
		}
		if !e.src.Published.IsZero() {
			it.Published = e.src.Published.Unix()
		}
		if top > 0 {
			it.Popularity = float32(math.Round(math.Log1p(e.src.Popularity)/math.Log1p(top)*1000) / 1000)
		}
		var v []float32
		if words != nil {
			body := e.src.Text
			if strings.Contains(body, "<") {
				body = text.PlainText(body)
			}
			v = make([]float32, prev.Dim)
			for _, w := range an.Tokens(Document(e.src.Title, e.src.Summary, body)) {
				for k, x := range words[w] {
					v[k] += x
				}
			}
			if text.Normalize(v) {
				it.Vector, it.Scale = text.Quantize(v)
			} else {
				v = nil
			}
		}
		for _, tag := range e.src.Topics {
			if k, ok := vocab[NormalizeTopic(plain(tag))]; ok && len(it.Topics) < o.ItemTopics &&
				!slices.ContainsFunc(it.Topics, func(tw catalog.TopicWeight) bool { return tw.Topic == k }) {
				it.Topics = append(it.Topics, catalog.TopicWeight{Topic: k, Weight: 1})
			}
		}
		if len(it.Topics) == 0 && v != nil {
			if j := nearest(prev, v); j >= 0 {
				it.Topics = slices.Clone(prev.Items[j].Topics)
			}
		}
	}
	slices.SortFunc(out, func(a, b catalog.Item) int {
		return cmp.Or(cmp.Compare(b.Published, a.Published), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// titleWords maps each word of prev's titles to the idf-weighted sum of
// the vectors of the items whose titles have it.
func titleWords(prev *catalog.Catalogue, an text.Analyzer) map[string][]float32 {
	df := map[string]int{}
	toks := make([][]string, len(prev.Items))
	n := 0
	for i, it := range prev.Items {
		if len(it.Vector) == 0 {
			continue
		}
		n++
		toks[i] = an.Tokens(it.Title)
		slices.Sort(toks[i])
		toks[i] = slices.Compact(toks[i])
		for _, w := range toks[i] {
			df[w]++
		}
	}
	words := make(map[string][]float32, len(df))
	for i, it := range prev.Items {
		if len(toks[i]) == 0 {
			continue
		}
		v := text.Dequantize(it.Vector, it.Scale)
		for _, w := range toks[i] {
			idf := float32(math.Log(float64(n+1) / float64(df[w]+1)))
			if idf <= 0 {
				continue
			}
			s := words[w]
			if s == nil {
				s = make([]float32, prev.Dim)
				words[w] = s
			}
			for k, x := range v {
				s[k] += idf * x
			}
		}
	}
	return words
}

// nearest returns the index of prev's item whose vector is most similar
// to v, or -1.
func nearest(prev *catalog.Catalogue, v []float32) int {
	best, at := float32(math.Inf(-1)), -1
	for i, it := range prev.Items {
		if len(it.Vector) == 0 {
			continue
		}
		var s float32
		for k, b := range it.Vector {
			s += float32(int8(b)) * v[k]
		}
		if s > best {
			best, at = s, i
		}
	}
	return at
}

// writeSegment writes seg with its siblings and returns its manifest entry.
func writeSegment(dir string, seg *catalog.Segment, level int) (Part, error) {
	b, err := seg.Encode()
	if err != nil {
		return Part{}, err
	}
	p := Part{Name: "segment." + seg.ID + ".msgpack", SHA256: precompress.SHA256(b), Items: len(seg.Items),
		Removed: len(seg.Removed), Bytes: len(b), Generated: time.Unix(seg.Generated, 0).UTC().Format(time.RFC3339)}
	if _, err := precompress.Write(dir, p.Name, b, level); err != nil {
		return p, fmt.Errorf("write segment: %w", err)
	}
	return p, nil
}

// mergePeriods merges the segments of each period that is over at now
// into one segment, which a browser then fetches instead of them.
func mergePeriods(dir string, parts []Part, now time.Time, o SegmentOptions) ([]Part, int, error) {
	period := func(p Part) int64 {
		t, _ := time.Parse(time.RFC3339, p.Generated)
		return t.Unix() / int64(o.Period/time.Second)
	}
	current := now.Unix() / int64(o.Period/time.Second)
	var out []Part
	merged := 0
	for i := 0; i < len(parts); {
		j := i + 1
		for j < len(parts) && period(parts[j]) == period(parts[i]) {
			j++
		}
		if j-i == 1 || period(parts[i]) >= current {
			out = append(out, parts[i:j]...)
			i = j
			continue
		}
		p, err := mergeSegments(dir, parts[i:j], o.BrotliLevel)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
		merged += j - i
		i = j
	}
	return out, merged, nil
}

// mergeSegments writes the one segment that does what parts do in turn.
func mergeSegments(dir string, parts []Part, level int) (Part, error) {
	var m catalog.Segment
	byID := map[string]int{}
	removed := map[string]bool{}
	for _, p := range parts {
		b, err := os.ReadFile(filepath.Join(dir, p.Name))
		if err != nil {
			return Part{}, err
		}
		s, err := catalog.DecodeSegment(b, readLimits)
		if err != nil {
			return Part{}, fmt.Errorf("%s: %w", p.Name, err)
		}
		m.Base, m.Generated, m.Dim = s.Base, s.Generated, s.Dim
		m.Topics = append(m.Topics, s.Topics...)
		if s.Policy.Consent != "" {
			m.Policy = s.Policy
		}
		for _, id := range s.Removed {
			if k, ok := byID[id]; ok {
				m.Items[k].ID = ""
				delete(byID, id)
			}
			removed[id] = true
		}
		for _, it := range s.Items {
			delete(removed, it.ID)
			if k, ok := byID[it.ID]; ok {
				m.Items[k].ID = ""
			}
			byID[it.ID] = len(m.Items)
			m.Items = append(m.Items, it)
		}
	}
	m.Items = slices.DeleteFunc(m.Items, func(it catalog.Item) bool { return it.ID == "" })
	slices.SortFunc(m.Items, func(a, b catalog.Item) int {
		return cmp.Or(cmp.Compare(b.Published, a.Published), cmp.Compare(a.ID, b.ID))
	})
	for id := range removed {
		m.Removed = append(m.Removed, id)
	}
	slices.Sort(m.Removed)
	b, err := m.Encode()
	if err != nil {
		return Part{}, err
	}
	sum := sha256.Sum256(b)
	m.ID = hex.EncodeToString(sum[:8])
	return writeSegment(dir, &m, level)
}

// hashedFile matches the names WriteSegments gives its files; other
// files of dir (a catalogue.msgpack written by the asset build) are not
// its to delete.
var hashedFile = regexp.MustCompile(`^(catalogue|segment)\.[0-9a-f]{16}\.msgpack$`)

// deleteUnlisted removes the catalogue files of dir, with their siblings
// and their lines of the sibling index, that neither the previous manifest
// nor the new one lists: a browser that read the previous manifest may
// still fetch its files.
func deleteUnlisted(dir string, old, m Manifest) ([]string, error) {
	keep := map[string]bool{old.Name: true, m.Name: true}
	for _, p := range append(slices.Clip(old.Segments), m.Segments...) {
		keep[p.Name] = true
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.msgpack"))
	if err != nil {
		return nil, err
	}
	var deleted []string
	for _, path := range names {
		name := filepath.Base(path)
		if keep[name] || !hashedFile.MatchString(name) {
			continue
		}
		if err := precompress.Remove(dir, name); err != nil {
			return deleted, err
		}
		deleted = append(deleted, name)
	}
	return deleted, nil
}
