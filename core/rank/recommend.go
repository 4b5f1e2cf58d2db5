package rank

import "github.com/hearth-dev/hearth/core/profile"

// Request says what list to rank. Its zero value asks for DefaultCount
// items of the non-related list at the catalogue's generation time.
type Request struct {
	// Count is the list length; 0 means DefaultCount, more than MaxCount
	// means MaxCount.
	Count int
	// Current is the id of the page the reader is on: never recommended,
	// and the anchor of a related list.
	Current string
	// Related asks for items similar to Current, lightly personalised.
	Related bool
	// Seed drives exploration; the same seed gives the same list.
	Seed uint64
	// Now is the time of the request in Unix seconds; 0 means the
	// catalogue's generation time. (An int64, not a time.Time: importing
	// package time links 34 KB of brotli into the WebAssembly engine,
	// docs/size.md.)
	Now int64
}

// List lengths. DefaultCount is what readers see in a slot without a count
// attribute: the bridge and the loader take it from here (js/ops.gen.js is
// generated from it).
const (
	DefaultCount = 5
	MaxCount     = 100
)

// Recommendation is one ranked item with the reasons it was chosen.
type Recommendation struct {
	ID, URL, Title string
	Score          float32
	Reasons        []Reason
}

// Reason explains a recommendation to the reader. Code is one of the
// Reason* constants; Text is the English sentence; Ref is the id of the item
// or the name of the topic the reason refers to, if any.
type Reason struct{ Code, Text, Ref string }

// Reason codes.
const (
	ReasonRead    = "read"    // because you read <title>; Ref is that item's id
	ReasonTopic   = "topic"   // you follow <topic>; Ref is the topic
	ReasonRelated = "related" // related to the current page; Ref is its id
	ReasonNew     = "new"     // published recently
	ReasonPopular = "popular" // popular with readers overall
	ReasonExplore = "explore" // something different
	ReasonPinned  = "pinned"  // chosen by the publisher
)

// Recommend returns up to req.Count items for the reader with profile p (nil
// for none). The list is personal only when p is active under the
// catalogue's policy and has learned something; otherwise it is the
// publisher's non-personal order.
func (e *Engine) Recommend(p *profile.Profile, req Request) []Recommendation {
	return e.recommend(nil, p, req)
}

// Memo remembers what the engine learned from the last profile it ranked
// for, so that ranking again for the same profile skips learning it: its
// interests, history, user vector and the items it rules out (a quarter of
// a request at 1,000 items; for 100,000 items, the scan for muted topics
// alone takes 1.4 ms under WebAssembly). Learning does not depend on the
// request's time while the clock is past the profile's newest event (see
// learned), so the memo serves every request until the profile changes.
//
// A memo recognises a profile by its address: it is for callers that
// replace the profile on every change and never modify one in place, as
// Hearth's Worker bridge does. Its zero value is ready to use; it is not
// safe for concurrent use.
type Memo struct {
	e *Engine
	l *learned
}

// RecommendMemo is [Engine.Recommend] with a memo of what was learned from
// p, which it uses or replaces. The list is the same as Recommend's.
func (e *Engine) RecommendMemo(m *Memo, p *profile.Profile, req Request) []Recommendation {
	return e.recommend(m, p, req)
}

func (e *Engine) recommend(m *Memo, p *profile.Profile, req Request) []Recommendation {
	count := req.Count
	switch {
	case count <= 0:
		count = DefaultCount
	case count > MaxCount:
		count = MaxCount
	}
	count = min(count, e.n)
	if count == 0 {
		return []Recommendation{}
	}
	s := e.newStateMemo(m, p, req)
	var list []int
	switch {
	case req.Related && s.current >= 0:
		s.relatedMode = true
		list = s.related(count)
	case s.personal:
		pool, scores := s.best(count)
		list = s.diversify(pool, scores, count, s.lambda())
		list, s.explored = s.explore(list, count, newRNG(req.Seed))
	default:
		list = s.nonPersonal(count)
	}
	return s.explainAll(list)
}

// state is what one request needs besides the engine: the reader's view of
// the catalogue. Its allocations do not depend on the number of candidates
// (a bitset and per-topic tables are one allocation each).
type state struct {
	e        *Engine
	now      int64
	factor   float64 // freshness factor, see Engine.freshFactor
	current  int     // index of Current, -1 when absent
	personal bool
	active   bool
	variety  float32

	// The request's terms (see setTerms), the scoring loops' batch and a
	// second sum for it.
	scoreMix, personalMix, priorMix weights
	batch                           batch
	rest                            [batchSize]float32

	blocked  []uint64  // bitset: not a candidate (besides current); read-only
	interest []float32 // per vocabulary topic, scaled to max |w| = 1
	anyTopic bool      // some interest is non-zero
	user     []float32 // unit user vector, nil without one
	history  []hist    // the reader's items, strongest signal first
	explored int       // index of the explored item, -1 when none

	relatedMode bool
	scale       weights // the reader's blend: a scale of each term's weight (adapt)
}

func (e *Engine) newState(p *profile.Profile, req Request) *state {
	return e.newStateMemo(nil, p, req)
}

func (e *Engine) newStateMemo(m *Memo, p *profile.Profile, req Request) *state {
	now := req.Now
	if now == 0 {
		now = e.cat.Generated
	}
	s := &state{e: e, now: now, factor: e.freshFactor(now), current: -1, explored: -1, blocked: e.excluded, scale: ones}
	if i, ok := e.cat.Find(req.Current); ok && req.Current != "" {
		s.current = i
	}
	s.active = p.Active(e.pol)
	if s.active {
		s.variety = p.Settings.Variety
		ref := learnRef(p, now)
		var l *learned
		if m != nil && m.e == e && m.l.p == p && m.l.ref == ref {
			l = m.l
		} else {
			l = e.learn(p, ref)
			l.scale = e.adapt(p)
			if m != nil {
				m.e, m.l = e, l
			}
		}
		s.use(l)
		s.scale = l.scale
		s.personal = s.anyTopic || s.user != nil || len(s.history) > 0
	}
	s.setTerms()
	return s
}

// maxLambda is the strongest diversity a reader's variety can ask for: at
// λ = 1 MMR would ignore relevance and list whatever differs most, including
// topics the reader disliked.
const maxLambda = 0.7

// lambda is the MMR diversity: the publisher's Diversity moved toward 0 by
// a negative variety and toward maxLambda (or the publisher's value, if
// higher) by a positive one.
func (s *state) lambda() float32 {
	d, v := s.e.pol.Diversity, s.variety
	if v >= 0 {
		return d + v*max(0, maxLambda-d)
	}
	return d * (1 + v)
}
