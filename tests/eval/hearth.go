package eval

import (
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
)

// BuildOptions say what the publisher's build puts into the catalogue
// beside the items' text.
type BuildOptions struct {
	// Dim is the text vectors' dimension.
	Dim int
	// Held lists user-item pairs whose tags must not reach the text: tags
	// are interactions, and a tag on a held-out item would leak it.
	Held map[[2]int]bool
	Seed uint64
}

// BuildCatalogue runs the catalogue builder on the split's universe as a
// publisher would: one item per film or article with its title, its
// descriptive text and readers' tags as text, its genres or category as
// topics, and the aggregate number of histories it is in as popularity.
// Nothing in it is personal. The policy is the builder's default; set
// another with [WithPolicy].
func BuildCatalogue(s *Split, o BuildOptions) (*catalog.Catalogue, error) {
	ds := s.Data
	tags := make([][]string, len(ds.Items))
	for _, tg := range ds.Tags {
		if !o.Held[[2]int{tg.User, tg.Item}] {
			tags[tg.Item] = append(tags[tg.Item], tg.Text)
		}
	}
	count := counts(s)
	var items []feed.Item
	maxTopics := 1
	for i, it := range ds.Items {
		if !s.Universe[i] {
			continue
		}
		fi := feed.Item{
			ID:         it.ID,
			URL:        itemURL(it.ID),
			Title:      it.Title,
			Text:       strings.TrimSpace(it.Text + "\n" + strings.Join(tags[i], "\n")),
			Topics:     it.Topics,
			Popularity: count[i],
			Language:   "en",
			Source:     "item " + it.ID,
		}
		if it.Published != 0 {
			fi.Published = time.Unix(it.Published, 0).UTC()
		}
		maxTopics = max(maxTopics, len(it.Topics))
		items = append(items, fi)
	}
	opts := pack.Options{Dim: o.Dim, Seed: o.Seed, ItemTopics: maxTopics, MinTopicItems: 1, MaxTopics: 1 << 12}
	var gen int64
	for _, x := range s.Train {
		gen = max(gen, x.Time)
	}
	opts.Generated = time.Unix(gen, 0).UTC()
	cat, err := pack.Build(items, catalog.Policy{}, opts)
	if err != nil {
		return nil, fmt.Errorf("build catalogue: %w", err)
	}
	return cat, nil
}

// builtPolicy is pol with the freshness half-life of c's policy when pol
// sets none.
func builtPolicy(c *catalog.Catalogue, pol catalog.Policy) catalog.Policy {
	if pol.FreshnessHalfLifeDays == 0 {
		pol.FreshnessHalfLifeDays = c.Policy.FreshnessHalfLifeDays
	}
	return pol
}

func itemURL(id string) string { return "/item/" + url.PathEscape(id) }

// idOf is the data set id of an item URL, "" for a URL no item has.
func idOf(u string) string {
	id, ok := strings.CutPrefix(u, "/item/")
	if !ok {
		return ""
	}
	id, err := url.PathUnescape(id)
	if err != nil {
		return ""
	}
	return id
}

// WithPolicy returns a copy of a built catalogue under another policy, sent
// through core's codec as a browser receives it: encoded, decoded with
// limits and validated. A policy without a freshness half-life keeps the
// one the builder derived from the items' dates, as building with that
// policy would.
func WithPolicy(c *catalog.Catalogue, pol catalog.Policy) (*catalog.Catalogue, error) {
	if err := pack.CheckPolicy(pol); err != nil {
		return nil, err
	}
	cp := *c
	cp.Policy = builtPolicy(c, pol).WithDefaults()
	b, err := cp.Encode()
	if err != nil {
		return nil, fmt.Errorf("encode catalogue: %w", err)
	}
	dec, err := catalog.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("decode catalogue: %w", err)
	}
	return dec, nil
}

// Reader says how a data set's positives reach the profile: the event
// kind (and dwell) the browser would record for them.
type Reader struct {
	Kind  profile.Kind
	Dwell float32
}

// ReaderFor is the event for a data set's positives: a rating of four
// stars or more is a like, a news click a full read.
func ReaderFor(ds *Dataset) Reader {
	if ds.Protocol.Universe == UniverseText {
		return Reader{Kind: profile.Read, Dwell: 60}
	}
	return Reader{Kind: profile.Like}
}

// Profiles are the test users' profiles, each built on its own from the
// user's history through profile.Track, one event at a time at its own
// time, as the browser records them.
type Profiles struct {
	byUser map[int]*profile.Profile
}

// catalogueIDs maps data set items to the ids the builder gave them, by
// URL; items outside the catalogue map to "".
func catalogueIDs(ds *Dataset, cat *catalog.Catalogue) []string {
	byURL := make(map[string]string, len(cat.Items))
	for _, it := range cat.Items {
		byURL[it.URL] = it.ID
	}
	ids := make([]string, len(ds.Items))
	for i, it := range ds.Items {
		ids[i] = byURL[itemURL(it.ID)]
	}
	return ids
}

// NewProfiles builds every test user's profile against cat (whose policy's
// retention, event bound and interest half-life apply).
func NewProfiles(s *Split, cat *catalog.Catalogue, r Reader) (*Profiles, error) {
	ps := &Profiles{byUser: make(map[int]*profile.Profile, len(s.Users))}
	ids := catalogueIDs(s.Data, cat)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	next := make(chan *TestUser)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for u := range next {
				p, err := buildProfile(s.Data, ids, cat, r, u)
				mu.Lock()
				ps.byUser[u.User] = p
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	for i := range s.Users {
		next <- &s.Users[i]
	}
	close(next)
	wg.Wait()
	return ps, firstErr
}

func buildProfile(ds *Dataset, ids []string, cat *catalog.Catalogue, r Reader, u *TestUser) (*profile.Profile, error) {
	p := profile.New()
	if err := p.SetConsent(profile.ConsentGranted); err != nil {
		return nil, err
	}
	for _, x := range u.History {
		if ids[x.Item] == "" {
			return nil, fmt.Errorf("track user %s: item %s of their history is not in the catalogue", ds.Users[u.User], ds.Items[x.Item].ID)
		}
		ev := profile.Event{Item: ids[x.Item], Kind: r.Kind, Dwell: r.Dwell, Time: x.Time}
		if _, err := p.Track(cat, ev, x.Time); err != nil {
			return nil, fmt.Errorf("track user %s: %w", ds.Users[u.User], err)
		}
	}
	return p, nil
}

// Hearth ranks with core's engine on the reader's own profile only. With
// several catalogues (one per fold of users), a reader is ranked with the
// catalogue whose publisher factors were trained without them.
type Hearth struct {
	name     string
	ds       *Dataset
	engines  []*rank.Engine
	fold     func(user int) int
	profiles *Profiles
	seed     uint64

	mu       sync.Mutex
	refilled int // lists that needed a second request (see Recommend)
}

// NewHearth ranks with one engine per catalogue; fold picks a user's
// catalogue (nil: the first for everyone).
func NewHearth(name string, s *Split, cats []*catalog.Catalogue, fold func(user int) int, ps *Profiles, seed uint64) *Hearth {
	h := &Hearth{name: name, ds: s.Data, fold: fold, profiles: ps, seed: seed}
	if h.fold == nil {
		h.fold = func(int) int { return 0 }
	}
	for _, c := range cats {
		h.engines = append(h.engines, rank.New(c))
	}
	return h
}

// Name implements Method.
func (h *Hearth) Name() string { return h.name }

// Recommend implements Method. The engine never recommends what the
// profile's read set holds; that set is bounded, so a reader with a very
// long history can get an old history item back, which the protocol does
// not count as a candidate: such a list is asked for again, longer, and
// filtered.
func (h *Hearth) Recommend(u *TestUser, cand []bool, k int) []int {
	e := h.engines[h.fold(u.User)]
	p := h.profiles.byUser[u.User]
	req := rank.Request{Count: k, Now: u.Now, Seed: h.seed ^ uint64(u.User)*0x9e3779b97f4a7c15}
	list := h.filter(e.Recommend(p, req), cand, k)
	if len(list) < k {
		h.mu.Lock()
		h.refilled++
		h.mu.Unlock()
		req.Count = rank.MaxCount
		list = h.filter(e.Recommend(p, req), cand, k)
	}
	return list
}

func (h *Hearth) filter(recs []rank.Recommendation, cand []bool, k int) []int {
	out := make([]int, 0, k)
	for _, r := range recs {
		i, ok := h.index(r.URL)
		if ok && cand[i] && len(out) < k {
			out = append(out, i)
		}
	}
	return out
}

func (h *Hearth) index(u string) (int, bool) {
	i, ok := h.ds.itemIndex()[idOf(u)]
	return i, ok
}

// Refilled is how many lists needed a second, longer request.
func (h *Hearth) Refilled() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.refilled
}
