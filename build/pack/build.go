// Package pack builds a Hearth catalogue from a publisher's items: it
// gives each item a stable id, computes key terms, topics and vectors from
// the text, normalises popularity, resolves the policy's item references,
// and writes the msgpack file with a manifest.
//
// # Determinism
//
// The same items, policy and options give byte-identical output. Items are
// ordered by publication time (newest first) and id, the generation time is
// the newest item's date unless Options.Generated says otherwise, and the
// vectors' random start comes from Options.Seed. The output file is named by
// its content hash, so it can be cached forever.
//
// # Incremental updates
//
// With Options.Previous set to the catalogue being replaced, an item whose
// URL the previous catalogue knew keeps its old id even if its guid changed,
// the previous topic vocabulary keeps its order (new topics are appended),
// and with Options.Merge items that dropped out of a feed's window are
// carried over.
//
// # Example
//
//	items, err := feed.ReadFile("goblog.json")
//	if err != nil {
//		return err
//	}
//	cat, err := pack.Build(items, catalog.Policy{}, pack.Options{
//		URL: pack.ReplacePrefix("https://go.dev/blog/", "/blog/"),
//	})
//	if err != nil {
//		return err
//	}
//	b, manifest, err := pack.Encode(cat)
package pack

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
)

// Defaults of [Options] fields left at zero.
const (
	DefaultDim           = 32
	DefaultKeyTerms      = 8
	DefaultMaxTopics     = 64
	DefaultMinTopicItems = 2
	DefaultItemTopics    = 3
	DefaultSeed          = 0x4865617274680001 // "Hearth" and a version
	DefaultLambda        = 0.1
)

// Errors of [Build].
var (
	ErrNoItems        = errors.New("no items")
	ErrDuplicate      = errors.New("duplicate item id")
	ErrVector         = errors.New("inconsistent item vectors")
	ErrGram           = errors.New("invalid Gram matrix")
	ErrUnknownItemRef = errors.New("no item with this id or url")
	ErrOptions        = errors.New("conflicting options")
	ErrDate           = errors.New("date outside the years 1900 to 9999")
)

// Options tune a build. The zero value builds 32-dimensional text vectors,
// 8 key terms and up to 3 topics per item, English text by default.
type Options struct {
	// Dim is the dimension of text vectors (0 means DefaultDim). Ignored
	// when items carry their own vectors.
	Dim int
	// NoVectors builds a catalogue without item vectors.
	NoVectors bool
	// Seed seeds the randomized SVD (0 means DefaultSeed).
	Seed uint64
	// Language is the text language for items that do not name one
	// ("" means English); Item.Language wins when set.
	Language string
	// KeyTerms is the number of key terms per item (0 means DefaultKeyTerms).
	KeyTerms int
	// MaxTopics caps the topic vocabulary (0 means DefaultMaxTopics).
	MaxTopics int
	// MinTopicItems is how many items must share a tag for it to become a
	// topic (0 means DefaultMinTopicItems).
	MinTopicItems int
	// ItemTopics caps the topics of one item (0 means DefaultItemTopics).
	ItemTopics int
	// URL, if set, rewrites every item URL, for example to serve items
	// under local paths; see [ReplacePrefix].
	URL func(string) string
	// Previous is the catalogue this build replaces, if any.
	Previous *catalog.Catalogue
	// Merge carries over items of Previous that are not in the input.
	Merge bool
	// Generated is the catalogue's generation time; zero means the newest
	// item's publication time, so rebuilding old input gives the same file.
	Generated time.Time
	// Gram is YᵀY of publisher-supplied vectors (Dim×Dim, row-major). When
	// items carry vectors and Gram is nil, it is computed from them.
	Gram []float32
	// Lambda is the ALS regularisation shipped with supplied vectors (0
	// means DefaultLambda).
	Lambda float32
	// Progress, if set, is told how far each stage has come.
	Progress func(stage string, done, total int)
	// Warn, if set, makes Build lenient: a duplicate item, one dated
	// outside the years a catalogue allows (ErrDate), or one whose URL is on
	// a host the policy does not list (ErrHost), is reported to Warn and
	// skipped instead of failing the build.
	Warn func(error)
	// Notice, if set, is told what a build accepts but the publisher should
	// look at: items that link to another host than most items do
	// (ErrStrayHost).
	Notice func(error)
	// Item summaries and key terms shape the vectors and topics; whether
	// the catalogue carries them too is chosen here. The engine never reads
	// them (it ranks on vectors, topics, dates and popularity, and shows
	// titles), and with 25-word summaries they are about half of the bytes
	// every reader downloads and the engine decodes before its first
	// recommendations: without them a 10k-item catalogue's came at 279
	// against 323 ms (median of 30 paired loads). So by default they are
	// left out, except with Merge: a later Merge build describes the items
	// it carries over from this catalogue by them. KeepText keeps them in
	// any case (a site that reads them from the catalogue); OmitText
	// leaves them out even with Merge. Setting both is an error.
	KeepText bool
	OmitText bool
}

// shipsText reports whether the catalogue keeps summaries and key terms.
func (o Options) shipsText() bool { return o.KeepText || o.Merge && !o.OmitText }

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Dim, DefaultDim)
	def(&o.KeyTerms, DefaultKeyTerms)
	def(&o.MaxTopics, DefaultMaxTopics)
	def(&o.MinTopicItems, DefaultMinTopicItems)
	def(&o.ItemTopics, DefaultItemTopics)
	if o.MaxTopics > math.MaxUint16 {
		o.MaxTopics = math.MaxUint16
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Lambda == 0 {
		o.Lambda = DefaultLambda
	}
	if o.Progress == nil {
		o.Progress = func(string, int, int) {}
	}
	return o
}

// ReplacePrefix returns a URL rewriter for [Options.URL] that replaces a
// leading old with new and leaves other URLs alone. For the demo site,
// ReplacePrefix("https://go.dev/blog/", "/blog/") maps
// https://go.dev/blog/slices-intro to /blog/slices-intro.
func ReplacePrefix(old, new string) func(string) string {
	return func(u string) string {
		if strings.HasPrefix(u, old) {
			return new + strings.TrimPrefix(u, old)
		}
		return u
	}
}

// entry is an item on its way into the catalogue.
type entry struct {
	src feed.Item
	id  string
	url string
	// carried marks an item kept from the previous catalogue; terms are
	// its key terms, the only text it still has besides title and summary.
	carried bool
	terms   []string
}

// Build computes a catalogue from items and a policy. The policy's pinned
// and excluded entries may name items by catalogue id, publisher id or URL
// (before or after rewriting); they are stored as catalogue ids.
func Build(items []feed.Item, pol catalog.Policy, opts Options) (*catalog.Catalogue, error) {
	o := opts.withDefaults()
	if o.KeepText && o.OmitText {
		return nil, fmt.Errorf("%w: KeepText and OmitText", ErrOptions)
	}
	if !o.Generated.IsZero() && !inYears(o.Generated) {
		return nil, fmt.Errorf("%w: generation time %s", ErrDate, o.Generated.Format(time.RFC3339))
	}
	if err := CheckPolicy(pol); err != nil {
		return nil, err
	}
	entries, err := identify(items, pol, o)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, ErrNoItems
	}
	if o.Notice != nil && len(pol.Hosts) == 0 {
		for _, n := range strayHosts(entries) {
			o.Notice(n)
		}
	}
	sort.SliceStable(entries, func(a, b int) bool {
		ta, tb := entries[a].src.Published, entries[b].src.Published
		if !ta.Equal(tb) {
			return ta.After(tb)
		}
		return entries[a].id < entries[b].id
	})

	n := len(entries)
	c := &catalog.Catalogue{Version: catalog.FormatVersion, Items: make([]catalog.Item, n)}
	for i, e := range entries {
		it := &c.Items[i]
		// Text reaches readers: without bidi controls and zero-width
		// marks, a title reads as it is (plain.go).
		it.ID, it.URL, it.Title, it.Summary, it.Section = e.id, e.url, plain(e.src.Title), plain(e.src.Summary), strings.TrimSpace(plain(e.src.Section))
		if !e.src.Published.IsZero() {
			it.Published = e.src.Published.Unix()
		}
	}

	feats := analyze(entries, o)
	for i := range c.Items {
		if entries[i].carried && len(feats.m.Rows[i].Cols) == 0 {
			c.Items[i].Terms = entries[i].terms
			continue
		}
		c.Items[i].Terms = feats.m.TopTerms(i, o.KeyTerms)
	}

	if err := setVectors(c, entries, feats.m, o); err != nil {
		return nil, err
	}

	tags := make([][]string, n)
	for i, e := range entries {
		for _, t := range e.src.Topics {
			tags[i] = append(tags[i], plain(t))
		}
	}
	var prevTopics []string
	if o.Previous != nil {
		prevTopics = o.Previous.Topics
	}
	o.Progress("topics", 0, n)
	tr := assignTopics(tags, feats.head, feats.m, feats.main, feats.surface, topicConfig{
		maxTopics: o.MaxTopics, minItems: o.MinTopicItems, perItem: o.ItemTopics, previous: prevTopics,
		sensitive: pol.Sensitive,
	})
	o.Progress("topics", n, n)
	c.Topics = tr.vocab
	for i := range c.Items {
		c.Items[i].Topics = tr.items[i]
	}

	setPopularity(c, entries)

	switch {
	case !o.Generated.IsZero():
		c.Generated = o.Generated.Unix()
	default:
		for _, it := range c.Items {
			c.Generated = max(c.Generated, it.Published)
		}
	}
	if c.Policy, err = resolvePolicy(pol, entries); err != nil {
		return nil, err
	}
	if c.Policy.FreshnessHalfLifeDays == 0 {
		c.Policy.FreshnessHalfLifeDays = freshnessHalfLife(c)
	}
	if c.Policy.TopicReasonMin == 0 {
		c.Policy.TopicReasonMin = tr.reasonMin
	}
	// The catalogue states the policy in full, defaults included, so a
	// reader of the public file sees the values that apply.
	c.Policy = c.Policy.WithDefaults()
	if !o.shipsText() {
		for i := range c.Items {
			c.Items[i].Summary, c.Items[i].Terms = "", nil
		}
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("build catalogue: %w", err)
	}
	return c, nil
}

// identify gives every item its catalogue id and final URL, refuses
// duplicates and URLs on hosts the policy does not list, and adds
// carried-over items of a previous catalogue.
func identify(items []feed.Item, pol catalog.Policy, o Options) ([]entry, error) {
	prevByURL := map[string]string{}
	if o.Previous != nil {
		for _, it := range o.Previous.Items {
			prevByURL[it.URL] = it.ID
		}
	}
	entries := make([]entry, 0, len(items))
	seen := map[string]int{}
	for _, it := range items {
		key := it.ID
		if strings.TrimSpace(key) == "" {
			key = it.URL
		}
		u := strings.TrimSpace(it.URL)
		if o.URL != nil {
			u = o.URL(u)
		}
		if !it.Published.IsZero() && !inYears(it.Published) {
			// A date outside the years a catalogue allows is a mistake
			// (a year 0, a time in milliseconds) that catalog.Validate
			// refuses too.
			err := fmt.Errorf("%w: %s (%s): published %s", ErrDate, source(it), key, it.Published.Format(time.RFC3339))
			if o.Warn == nil {
				return nil, err
			}
			o.Warn(err)
			continue
		}
		if !pol.AllowsURL(u) {
			err := fmt.Errorf("%w: %s (%s): %s is not on %s", ErrHost, source(it), key, u, strings.Join(pol.Hosts, ", "))
			if o.Warn == nil {
				return nil, err
			}
			o.Warn(err)
			continue
		}
		id := StableID(key)
		if old, ok := prevByURL[u]; ok {
			id = old
		}
		if x, dup := seen[id]; dup {
			err := fmt.Errorf("%w %s: %s and %s (%s)", ErrDuplicate, id, entries[x].src.Source, source(it), key)
			if o.Warn == nil {
				return nil, err
			}
			o.Warn(err)
			continue
		}
		seen[id] = len(entries)
		entries = append(entries, entry{src: it, id: id, url: u})
	}
	if o.Previous != nil && o.Merge {
		for _, it := range o.Previous.Items {
			if _, ok := seen[it.ID]; ok {
				continue
			}
			if !pol.AllowsURL(it.URL) {
				err := fmt.Errorf("%w: previous catalogue item %s: %s is not on %s", ErrHost, it.ID, it.URL, strings.Join(pol.Hosts, ", "))
				if o.Warn == nil {
					return nil, err
				}
				o.Warn(err)
				continue
			}
			seen[it.ID] = len(entries)
			src := feed.Item{
				ID: it.ID, URL: it.URL, Title: it.Title, Summary: it.Summary, Section: it.Section,
				Popularity: float64(it.Popularity), Source: "previous catalogue item " + it.ID,
			}
			if it.Published != 0 {
				src.Published = time.Unix(it.Published, 0).UTC()
			}
			for _, tw := range it.Topics {
				if int(tw.Topic) < len(o.Previous.Topics) {
					src.Topics = append(src.Topics, o.Previous.Topics[tw.Topic])
				}
			}
			if len(it.Vector) > 0 && len(o.Previous.Gram) > 0 {
				src.Vector = text.Dequantize(it.Vector, it.Scale)
			}
			entries = append(entries, entry{src: src, id: it.ID, url: it.URL, carried: true, terms: it.Terms})
		}
	}
	return entries, nil
}

// inYears reports whether t is within the publication times a catalogue
// allows, catalog.MinPublished to MaxPublished.
func inYears(t time.Time) bool {
	u := t.Unix()
	return u >= catalog.MinPublished && u <= catalog.MaxPublished
}

func source(it feed.Item) string {
	if it.Source != "" {
		return it.Source
	}
	return "item " + it.URL
}

// setPopularity maps aggregate counts to [0, 1] on a log scale: page views
// are heavy-tailed, and a linear scale would leave all but the top few
// items at zero.
func setPopularity(c *catalog.Catalogue, entries []entry) {
	var top float64
	for _, e := range entries {
		if !e.carried {
			top = math.Max(top, e.src.Popularity)
		}
	}
	for i, e := range entries {
		if e.carried {
			// Already normalised by the build that wrote it.
			c.Items[i].Popularity = float32(math.Min(1, e.src.Popularity))
			continue
		}
		if top <= 0 {
			continue
		}
		p := math.Log1p(e.src.Popularity) / math.Log1p(top)
		c.Items[i].Popularity = float32(math.Round(p*1000) / 1000)
	}
}

// freshnessHalfLife is the freshness half-life of a policy that sets none:
// the age of the newest tenth of the catalogue's dated items (at least the
// second newest) at its generation time, in whole days within [1,
// catalog.MaxHalfLifeDays]. So
// "new" is on the catalogue's own time scale (days for news, years for
// films), and the items the engine calls new (within one half-life) are
// about the newest tenth. 0 (core's default) with fewer than two dated
// items. In the quality evaluation (docs/quality.md) a half-life of years
// beat core's 14 days on a film catalogue.
func freshnessHalfLife(c *catalog.Catalogue) float32 {
	var ages []int64
	for _, it := range c.Items {
		if it.Published != 0 {
			ages = append(ages, max(0, c.Generated-it.Published))
		}
	}
	if len(ages) < 2 {
		return 0
	}
	sort.Slice(ages, func(a, b int) bool { return ages[a] < ages[b] })
	days := math.Round(float64(ages[max(1, len(ages)/10)]) / 86400)
	return float32(min(max(days, 1), catalog.MaxHalfLifeDays))
}

// resolvePolicy replaces the pinned and excluded references by catalogue
// ids, refusing references to items that do not exist.
func resolvePolicy(p catalog.Policy, entries []entry) (catalog.Policy, error) {
	ref := map[string]string{}
	for _, e := range entries {
		for _, k := range []string{e.src.URL, e.src.ID, e.url, e.id} {
			if k = strings.TrimSpace(k); k != "" {
				ref[k] = e.id
			}
		}
	}
	resolve := func(field string, in []string) ([]string, error) {
		var out []string
		seen := map[string]bool{}
		for i, r := range in {
			id, ok := ref[strings.TrimSpace(r)]
			if !ok {
				return nil, fmt.Errorf("%w: %s[%d]: %w: %q", catalog.ErrPolicy, field, i, ErrUnknownItemRef, r)
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		return out, nil
	}
	var err error
	if p.Pinned, err = resolve("pinned", p.Pinned); err != nil {
		return p, err
	}
	if p.Excluded, err = resolve("excluded", p.Excluded); err != nil {
		return p, err
	}
	return p, nil
}
