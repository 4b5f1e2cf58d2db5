package eval

import (
	"fmt"
	"slices"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/metric"
)

// coreALSAlpha is rank's alsAlpha: the device turns an event of weight w
// into the implicit-ALS confidence 1 + coreALSAlpha·w, so publisher factors
// are trained with α = coreALSAlpha·w of the event the data set's
// positives become. TestQuality checks the two fold-ins agree.
const coreALSAlpha = 10

// HearthSettings are what a publisher chooses for Hearth's ranking: the
// policy's scoring weights and diversity, and how the catalogue builder
// turns history counts into the popularity prior.
type HearthSettings struct {
	Weights   catalog.Weights
	Diversity float32
	Prior     PopularityPrior
}

func (h HearthSettings) String() string {
	w := h.Weights
	return fmt.Sprintf("similarity %g, topic %g, freshness %g, popularity %g; diversity %g; popularity prior %s",
		w.Similarity, w.Topic, w.Freshness, w.Popularity, h.Diversity, h.Prior)
}

// Settings are every method's settings for one run.
type Settings struct {
	KNN                int
	RecentHalfLifeDays float64
	ServerALS          ALSConfig
	PanelALS           ALSConfig // Alpha is fixed by core's confidences
	TextDim            int
	Text               HearthSettings // Hearth's default: text vectors, topics, popularity prior
	Panel              HearthSettings // Hearth with publisher-supplied factors
	Seed               uint64
}

// Tuned are the settings chosen on the MovieLens validation targets by
// Tune (HEARTH_EVAL_REPORT=1 runs it again and reports any change); the
// quick evaluation uses them as they are.
var Tuned = Settings{
	KNN:                100,
	RecentHalfLifeDays: 365,
	ServerALS:          ALSConfig{Dim: 64, Lambda: 50, Alpha: 20, Iterations: 10, Seed: 1},
	PanelALS:           ALSConfig{Dim: 64, Lambda: 50, Alpha: 20, Iterations: 10, Seed: 1},
	TextDim:            64,
	Text:               HearthSettings{Weights: catalog.Weights{Similarity: 0.25, Popularity: 1}, Diversity: 0.01, Prior: PopularityLinear},
	Panel:              HearthSettings{Weights: catalog.Weights{Similarity: 1, Popularity: 0.5}, Diversity: 0.01, Prior: PopularityLinear},
	Seed:               1,
}

// basePolicy is the eval catalogue's policy apart from ranking settings:
// consent is the reader's (granted), and minimisation keeps a film
// catalogue's long memory (years of ratings) within core's bounds. The
// shipped minimisation defaults are measured in a row of their own.
var basePolicy = catalog.Policy{RetentionDays: catalog.MaxRetentionDays, MaxEvents: catalog.MaxEvents, InterestHalfLifeDays: catalog.MaxHalfLifeDays}

func (h HearthSettings) policy(base catalog.Policy) catalog.Policy {
	p := base
	p.Weights = h.Weights
	p.Diversity = h.Diversity
	return p
}

// panelAlpha is the ALS confidence the device gives the data set's
// positives.
func panelAlpha(ds *Dataset) float64 {
	r := ReaderFor(ds)
	return coreALSAlpha * float64(r.Kind.Weight(r.Dwell))
}

// Run is every method of one evaluation on one split.
type Run struct {
	Split    *Split
	Settings Settings
	Results  []*Result // in table order
	Notes    map[string]string

	text  *TextFeatures
	folds []int
	panel *ALSMethod
}

// Row names used to find results.
const (
	RowPopularity = "popularity"
	RowRecent     = "recency-weighted popularity"
	RowKNN        = "item-kNN"
	RowServerALS  = "ALS"
	RowPanelALS   = "panel ALS + fold-in (server)"
	RowTextOnly   = "Hearth, text vectors only"
	RowDefault    = "Hearth default (text, topics, popularity)"
	RowShipped    = "Hearth default, core's shipped policy"
	RowPanel      = "Hearth, panel vectors"
)

// Who says what data each row learns from.
var Who = map[string]string{
	RowPopularity: "server, everyone's histories",
	RowRecent:     "server, everyone's histories",
	RowKNN:        "server, everyone's histories",
	RowServerALS:  "server, everyone's histories",
	RowPanelALS:   "server factors from the other half of users, reader folded in",
	RowTextOnly:   "device: own history + public catalogue",
	RowDefault:    "device: own history + public catalogue",
	RowShipped:    "device: own history + public catalogue",
	RowPanel:      "device: own history + catalogue with panel factors",
}

// NewRun prepares the shared inputs of a split: text features (leaving out
// tags on anyone's held-out items, test and validation alike) and the user
// folds for cross-fitting.
func NewRun(s *Split, set Settings, textHeld map[[2]int]bool) *Run {
	return &Run{Split: s, Settings: set, Notes: map[string]string{},
		text:  NewTextFeatures(s.Data, textHeld, set.TextDim, set.Seed),
		folds: Folds(s.Data, set.Seed)}
}

// Baselines evaluates the server-side baselines.
func (r *Run) Baselines() error {
	s, set := r.Split, r.Settings
	r.add(RowPopularity, NewPopularity(s))
	r.add(RowRecent, NewRecentPopularity(s, set.RecentHalfLifeDays))
	r.add(RowKNN, NewItemKNN(s, set.KNN))
	r.add(RowServerALS, NewServerALS(s, set.ServerALS))
	r.panel = NewPanelALS(s, set.PanelALS, r.folds)
	r.add(RowPanelALS, r.panel)
	return nil
}

// Hearth evaluates Hearth's rows: text-only, the default with tuned and
// with core's shipped policy, and panel vectors.
func (r *Run) Hearth() error {
	s, set := r.Split, r.Settings
	reader := ReaderFor(s.Data)
	build := func(h HearthSettings, base catalog.Policy, factors *ALS) (*catalog.Catalogue, error) {
		return BuildCatalogue(s, CatalogueOptions{Policy: h.policy(base), Text: r.text, Factors: factors, Popularity: h.Prior})
	}
	textOnly := HearthSettings{Weights: catalog.Weights{Similarity: 1}, Diversity: set.Text.Diversity, Prior: PopularityNone}
	for _, row := range []struct {
		name string
		h    HearthSettings
		base catalog.Policy
	}{
		{RowTextOnly, textOnly, basePolicy},
		{RowDefault, set.Text, basePolicy},
		// The policy's zero value is core's shipped default, minimisation
		// included; only consent is the reader's.
		{RowShipped, HearthSettings{Prior: set.Text.Prior}, catalog.Policy{}},
	} {
		cat, err := build(row.h, row.base, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", row.name, err)
		}
		ps, err := NewProfiles(s, cat, reader)
		if err != nil {
			return fmt.Errorf("%s: %w", row.name, err)
		}
		r.add(row.name, NewHearth(row.name, s, []*catalog.Catalogue{cat}, nil, ps, set.Seed))
	}
	h, err := r.panelHearth(set.Panel, basePolicy)
	if err != nil {
		return err
	}
	r.add(RowPanel, h)
	return nil
}

func (r *Run) panelHearth(hs HearthSettings, base catalog.Policy) (*Hearth, error) {
	if r.panel == nil {
		r.panel = NewPanelALS(r.Split, r.Settings.PanelALS, r.folds)
	}
	cats := make([]*catalog.Catalogue, 2)
	for f := range cats {
		c, err := BuildCatalogue(r.Split, CatalogueOptions{Policy: hs.policy(base), Factors: r.panel.models[f], Popularity: hs.Prior})
		if err != nil {
			return nil, fmt.Errorf("panel catalogue %d: %w", f, err)
		}
		cats[f] = c
	}
	ps, err := NewProfiles(r.Split, cats[0], ReaderFor(r.Split.Data))
	if err != nil {
		return nil, fmt.Errorf("panel profiles: %w", err)
	}
	return NewHearth(RowPanel, r.Split, cats, func(u int) int { return 1 - r.folds[u] }, ps, r.Settings.Seed), nil
}

func (r *Run) add(name string, m Method) {
	res := Evaluate(r.Split, m)
	res.Method = name
	r.Results = append(r.Results, res)
	r.Notes[name] = m.Name()
}

// Get returns the result of a row, nil when it was not run.
func (r *Run) Get(name string) *Result {
	for _, res := range r.Results {
		if res.Method == name {
			return res
		}
	}
	return nil
}

// BestServer is the server-side baseline with the highest mean nDCG@10.
func (r *Run) BestServer() *Result {
	var best *Result
	for _, name := range []string{RowPopularity, RowRecent, RowKNN, RowServerALS} {
		if res := r.Get(name); res != nil && (best == nil || metric.Mean(res.NDCG) > metric.Mean(best.NDCG)) {
			best = res
		}
	}
	return best
}

// SweepPoint is one diversity setting's accuracy and diversity.
type SweepPoint struct {
	Diversity float32
	NDCG, ILD float64
}

// Sweep evaluates Hearth's default and panel settings at each diversity.
func (r *Run) Sweep(diversities []float32) (text, panel []SweepPoint, err error) {
	s := r.Split
	reader := ReaderFor(s.Data)
	var ps *Profiles
	for _, d := range diversities {
		h := r.Settings.Text
		h.Diversity = d
		cat, err := BuildCatalogue(s, CatalogueOptions{Policy: h.policy(basePolicy), Text: r.text, Popularity: h.Prior})
		if err != nil {
			return nil, nil, err
		}
		if ps == nil {
			if ps, err = NewProfiles(s, cat, reader); err != nil {
				return nil, nil, err
			}
		}
		res := Evaluate(s, NewHearth("sweep", s, []*catalog.Catalogue{cat}, nil, ps, r.Settings.Seed))
		text = append(text, SweepPoint{d, metric.Mean(res.NDCG), metric.Mean(res.ILD)})

		hp := r.Settings.Panel
		hp.Diversity = d
		ph, err := r.panelHearth(hp, basePolicy)
		if err != nil {
			return nil, nil, err
		}
		res = Evaluate(s, ph)
		panel = append(panel, SweepPoint{d, metric.Mean(res.NDCG), metric.Mean(res.ILD)})
	}
	return text, panel, nil
}

// Tune chooses every method's settings on the validation split v, starting
// from set: baselines by a small grid each, then Hearth's weights,
// diversity and popularity prior by a grid over the policy. Only
// validation targets are looked at. logf receives one line per choice.
func Tune(v *Split, set Settings, textHeld map[[2]int]bool, logf func(format string, args ...any)) (Settings, error) {
	score := func(m Method) float64 { return metric.Mean(Evaluate(v, m).NDCG) }
	pick := func(what string, n int, eval func(k int) float64) int {
		best, bestVal := 0, -1.0
		for k := range n {
			if val := eval(k); val > bestVal {
				best, bestVal = k, val
			}
		}
		logf("tune %s: choice %d of %d, validation nDCG@10 %.4f", what, best+1, n, bestVal)
		return best
	}

	ks := []int{25, 50, 100, 200, 400}
	set.KNN = ks[pick("item-kNN neighbours", len(ks), func(k int) float64 { return score(NewItemKNN(v, ks[k])) })]
	hls := []float64{30, 90, 365, 1095, 3650}
	set.RecentHalfLifeDays = hls[pick("recency half-life", len(hls), func(k int) float64 { return score(NewRecentPopularity(v, hls[k])) })]

	var als []ALSConfig
	for _, lambda := range []float64{10, 50, 200} {
		for _, alpha := range []float64{5, 20, 40} {
			c := set.ServerALS
			c.Lambda, c.Alpha = lambda, alpha
			als = append(als, c)
		}
	}
	set.ServerALS = als[pick("server ALS λ, α", len(als), func(k int) float64 { return score(NewServerALS(v, als[k])) })]
	logf("  server ALS: %+v", set.ServerALS)

	folds := Folds(v.Data, set.Seed)
	var panel []ALSConfig
	for _, lambda := range []float64{10, 50, 200} {
		c := set.PanelALS
		c.Lambda, c.Alpha = lambda, panelAlpha(v.Data)
		panel = append(panel, c)
	}
	set.PanelALS = panel[pick("panel ALS λ", len(panel), func(k int) float64 { return score(NewPanelALS(v, panel[k], folds)) })]
	logf("  panel ALS: %+v", set.PanelALS)

	r := NewRun(v, set, textHeld)
	reader := ReaderFor(v.Data)
	probe, err := BuildCatalogue(v, CatalogueOptions{Policy: basePolicy, Text: r.text})
	if err != nil {
		return set, err
	}
	// Weights, diversity and the prior leave the profile as it is, so
	// every candidate ranks the same profiles.
	ps, err := NewProfiles(v, probe, reader)
	if err != nil {
		return set, err
	}
	var firstErr error
	try := func(h HearthSettings, factors []*ALS) float64 {
		var cats []*catalog.Catalogue
		for _, f := range factors {
			c, err := BuildCatalogue(v, CatalogueOptions{Policy: h.policy(basePolicy), Text: r.text, Factors: f, Popularity: h.Prior})
			if err != nil {
				firstErr = err
				return -1
			}
			cats = append(cats, c)
		}
		fold := func(int) int { return 0 }
		if len(cats) == 2 {
			fold = func(u int) int { return 1 - folds[u] }
		}
		return score(NewHearth("tune", v, cats, fold, ps, set.Seed))
	}

	var grid []HearthSettings
	for _, prior := range []PopularityPrior{PopularityLinear, PopularityLog} {
		for _, sim := range []float32{0, 0.1, 0.25, 0.5, 1} {
			for _, topic := range []float32{0, 0.1, 0.25, 0.5} {
				for _, fresh := range []float32{0, 0.05, 0.2} {
					for _, div := range []float32{0.01, 0.1, 0.3} {
						grid = append(grid, HearthSettings{Weights: catalog.Weights{Similarity: sim, Topic: topic, Freshness: fresh, Popularity: 1}, Diversity: div, Prior: prior})
					}
				}
			}
		}
	}
	set.Text = grid[pick("Hearth default settings", len(grid), func(k int) float64 { return try(grid[k], []*ALS{nil}) })]
	logf("  Hearth default: %s", set.Text)

	r.Settings = set
	r.panel = NewPanelALS(v, set.PanelALS, folds)
	grid = grid[:0]
	for _, prior := range []PopularityPrior{PopularityLinear, PopularityLog} {
		for _, pop := range []float32{0, 0.1, 0.2, 0.35, 0.5, 0.75, 1} {
			for _, topic := range []float32{0, 0.1} {
				for _, div := range []float32{0.01, 0.1, 0.3} {
					grid = append(grid, HearthSettings{Weights: catalog.Weights{Similarity: 1, Topic: topic, Popularity: pop}, Diversity: div, Prior: prior})
				}
			}
		}
	}
	set.Panel = grid[pick("Hearth panel settings", len(grid), func(k int) float64 { return try(grid[k], r.panel.models) })]
	logf("  Hearth panel: %s", set.Panel)
	return set, firstErr
}

// checkLists reports the first list that breaks the protocol: an item that
// is not a candidate, a duplicate, or a short list while candidates remain.
func checkLists(s *Split, res *Result) error {
	for i, l := range res.Lists {
		u := &s.Users[i]
		cand := s.candidateMask(u)
		n := 0
		for _, c := range cand {
			if c {
				n++
			}
		}
		if len(l) != min(K, n) {
			return fmt.Errorf("%s: user %s: %d items, want %d", res.Method, s.Data.Users[u.User], len(l), min(K, n))
		}
		for j, it := range l {
			if !cand[it] {
				return fmt.Errorf("%s: user %s: item %s is not a candidate", res.Method, s.Data.Users[u.User], s.Data.Items[it].ID)
			}
			if slices.Contains(l[:j], it) {
				return fmt.Errorf("%s: user %s: item %s twice", res.Method, s.Data.Users[u.User], s.Data.Items[it].ID)
			}
		}
	}
	return nil
}
