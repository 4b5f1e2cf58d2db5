package eval

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
)

// TextFeatures are the items' public text features, as the catalogue
// builder derives them: key terms and unit-length LSA vectors of the tf-idf
// matrix of each item's title, descriptive text and tags.
type TextFeatures struct {
	Dim     int
	Vectors [][]float32 // per data set item
	Terms   [][]string  // per data set item
}

// NewTextFeatures builds text features for every item of ds. Tags are
// interactions, so a tag by a user on one of their held-out items is left
// out (held lists such user-item pairs).
func NewTextFeatures(ds *Dataset, held map[[2]int]bool, dim int, seed uint64) *TextFeatures {
	tags := make([][]string, len(ds.Items))
	for _, tg := range ds.Tags {
		if !held[[2]int{tg.User, tg.Item}] {
			tags[tg.Item] = append(tags[tg.Item], tg.Text)
		}
	}
	a := text.NewAnalyzer("en")
	docs := make([][]string, len(ds.Items))
	for i, it := range ds.Items {
		docs[i] = a.Tokens(it.Title + " " + it.Text + " " + strings.Join(tags[i], " "))
	}
	m := text.NewMatrix(docs, text.MatrixOptions{MinDF: 2})
	tf := &TextFeatures{Dim: dim, Vectors: text.Vectors(m, dim, seed), Terms: make([][]string, len(ds.Items))}
	for i := range ds.Items {
		tf.Terms[i] = m.TopTerms(i, 8)
	}
	return tf
}

// PopularityPrior maps an item's history count to the catalogue's
// popularity prior in [0, 1].
type PopularityPrior int

const (
	// PopularityLog is log(1+count)/log(1+max): a prior that separates the
	// long tail instead of flattening it to zero.
	PopularityLog PopularityPrior = iota
	// PopularityLinear is count/max.
	PopularityLinear
	// PopularityNone ships no prior.
	PopularityNone
)

func (p PopularityPrior) String() string {
	return [...]string{"log", "linear", "none"}[p]
}

func (p PopularityPrior) apply(count, top float64) float32 {
	switch {
	case top == 0 || p == PopularityNone:
		return 0
	case p == PopularityLinear:
		return float32(count / top)
	}
	return float32(math.Log1p(count) / math.Log1p(top))
}

// CatalogueOptions say what a publisher puts into the catalogue.
type CatalogueOptions struct {
	Policy     catalog.Policy
	Text       *TextFeatures // text vectors; nil for none
	Factors    *ALS          // publisher-supplied item factors; overrides Text
	Popularity PopularityPrior
}

// BuildCatalogue makes the public catalogue of the split's universe and
// sends it through the codec, as a browser receives it: encoded by the
// builder, decoded and validated by core. Nothing in it is personal: the
// popularity prior is an aggregate count over histories.
func BuildCatalogue(s *Split, o CatalogueOptions) (*catalog.Catalogue, error) {
	ds := s.Data
	cat := &catalog.Catalogue{Version: catalog.FormatVersion, ID: ds.Name, Policy: o.Policy}
	topicIndex := make(map[string]uint16)
	for _, it := range ds.Items {
		for _, t := range it.Topics {
			if _, ok := topicIndex[t]; !ok {
				topicIndex[t] = 0
				cat.Topics = append(cat.Topics, t)
			}
		}
	}
	slices.Sort(cat.Topics)
	for k, t := range cat.Topics {
		topicIndex[t] = uint16(k)
	}
	count := counts(s)
	top := slices.Max(count)
	for _, x := range s.Train {
		cat.Generated = max(cat.Generated, x.Time)
	}
	var vec func(i int) []float32
	switch {
	case o.Factors != nil:
		y := o.Factors.Y
		_, d := y.Dims()
		cat.Dim = d
		cat.Lambda = float32(o.Factors.Config.Lambda)
		cat.Gram = make([]float32, d*d)
		for p := range d {
			for q := range d {
				cat.Gram[p*d+q] = float32(o.Factors.Gram.At(p, q))
			}
		}
		vec = func(i int) []float32 {
			row := make([]float32, d)
			for k, v := range y.RawRowView(i) {
				row[k] = float32(v)
			}
			return row
		}
	case o.Text != nil:
		cat.Dim = o.Text.Dim
		vec = func(i int) []float32 { return o.Text.Vectors[i] }
	}
	for i, it := range ds.Items {
		if !s.Universe[i] {
			continue
		}
		ci := catalog.Item{
			ID:         it.ID,
			URL:        "/item/" + it.ID,
			Title:      it.Title,
			Published:  it.Published,
			Popularity: o.Popularity.apply(count[i], top),
		}
		for _, t := range it.Topics {
			ci.Topics = append(ci.Topics, catalog.TopicWeight{Topic: topicIndex[t], Weight: 1})
		}
		if o.Text != nil {
			ci.Terms = o.Text.Terms[i]
		}
		if vec != nil {
			if q, scale := text.Quantize(vec(i)); scale > 0 {
				ci.Vector, ci.Scale = q, scale
			}
		}
		cat.Items = append(cat.Items, ci)
	}
	b, err := cat.Encode()
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

// NewProfiles builds every test user's profile against cat (whose policy's
// retention, event bound and interest half-life apply).
func NewProfiles(s *Split, cat *catalog.Catalogue, r Reader) (*Profiles, error) {
	ps := &Profiles{byUser: make(map[int]*profile.Profile, len(s.Users))}
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	next := make(chan *TestUser)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for u := range next {
				p, err := buildProfile(s.Data, cat, r, u)
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

func buildProfile(ds *Dataset, cat *catalog.Catalogue, r Reader, u *TestUser) (*profile.Profile, error) {
	p := profile.New()
	if err := p.SetConsent(profile.ConsentGranted); err != nil {
		return nil, err
	}
	for _, x := range u.History {
		ev := profile.Event{Item: ds.Items[x.Item].ID, Kind: r.Kind, Dwell: r.Dwell, Time: x.Time}
		if _, err := p.Track(cat, ev, time.Unix(x.Time, 0)); err != nil {
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
	req := rank.Request{Count: k, Now: time.Unix(u.Now, 0), Seed: h.seed ^ uint64(u.User)*0x9e3779b97f4a7c15}
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
		i, ok := h.index(r.ID)
		if ok && cand[i] && len(out) < k {
			out = append(out, i)
		}
	}
	return out
}

func (h *Hearth) index(id string) (int, bool) {
	i, ok := h.ds.itemIndex()[id]
	return i, ok
}

// Refilled is how many lists needed a second, longer request.
func (h *Hearth) Refilled() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.refilled
}
