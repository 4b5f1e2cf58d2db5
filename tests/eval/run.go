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

// HearthSettings are what a publisher chooses for Hearth's ranking in the
// policy: the scoring weights and the diversity.
type HearthSettings struct {
	Weights   catalog.Weights
	Diversity float32
}

func (h HearthSettings) String() string {
	w := h.Weights
	return fmt.Sprintf("similarity %g, topic %g, freshness %g, popularity %g; diversity %g",
		w.Similarity, w.Topic, w.Freshness, w.Popularity, h.Diversity)
}

// Settings are every method's settings for one run.
type Settings struct {
	KNN                int
	RecentHalfLifeDays float64
	ServerALS          ALSConfig
	PanelALS           ALSConfig // Alpha is fixed by core's confidences
	TextDim            int
	Text               HearthSettings // Hearth on text vectors, tuned on validation (core's defaults ship apart)
	Panel              HearthSettings // Hearth with publisher-supplied factors
	Seed               uint64
}

func (s Settings) String() string {
	return fmt.Sprintf("item-kNN k = %d; recency half-life %g days; server ALS d = %d, λ = %g, α = %g; panel ALS λ = %g; text vectors %d dimensions; tuned row %s; panel vectors %s",
		s.KNN, s.RecentHalfLifeDays, s.ServerALS.Dim, s.ServerALS.Lambda, s.ServerALS.Alpha, s.PanelALS.Lambda, s.TextDim, s.Text, s.Panel)
}

// Tuned are the settings chosen on the MovieLens validation targets by
// Tune (HEARTH_EVAL_REPORT=1 runs it again and reports any change); the
// quick evaluation uses them as they are. Hearth's default row is core's
// shipped policy, whatever Text says.
var Tuned = Settings{
	KNN:                400,
	RecentHalfLifeDays: 1095,
	ServerALS:          ALSConfig{Dim: 64, Lambda: 10, Alpha: 5, Iterations: 10, Seed: 1},
	PanelALS:           ALSConfig{Dim: 64, Lambda: 50, Alpha: 20, Iterations: 10, Seed: 1},
	TextDim:            64,
	Text:               HearthSettings{Weights: catalog.Weights{Similarity: 0.1, Topic: 0.1, Freshness: 0.2, Popularity: 1}, Diversity: 0.2},
	Panel:              HearthSettings{Weights: catalog.Weights{Similarity: 1, Topic: 0.1, Popularity: 1}, Diversity: 0.3},
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
	// FoldInAgreement is the mean top-10 overlap of core's lists with the
	// server-side cosine fold-in of the same panel factors (FoldInUsers
	// readers, those core folds in whole); zero when not measured.
	FoldInAgreement float64
	FoldInUsers     int
	// Cosine is the server-side panel fold-in ranked by cosine, as core's
	// similarity term ranks; nil when not measured.
	Cosine *Result
	// NoFreshness is the Hearth default with its freshness weight set to
	// zero, nil when not measured (or when the default has none).
	NoFreshness *Result

	held      map[[2]int]bool
	folds     []int
	textCat   *catalog.Catalogue // built once; rows differ by policy only
	panel     *ALSMethod
	panelCats []*catalog.Catalogue
}

// Row names used to find results.
const (
	RowPopularity = "popularity"
	RowRecent     = "recency-weighted popularity"
	RowKNN        = "item-kNN"
	RowServerALS  = "ALS"
	RowPanelALS   = "panel ALS + fold-in (server)"
	RowTextOnly   = "Hearth, text vectors only"
	RowDefault    = "Hearth default (core's shipped policy)"
	RowLongMemory = "Hearth default weights, long memory"
	RowTuned      = "Hearth, weights tuned on validation"
	RowPanel      = "Hearth, panel vectors"
)

// serverRows are the server-side methods trained on everyone's histories,
// among which the panel target's best is chosen.
var serverRows = []string{RowPopularity, RowRecent, RowKNN, RowServerALS}

// Who says what data each row learns from.
var Who = map[string]string{
	RowPopularity: "server, everyone's histories",
	RowRecent:     "server, everyone's histories",
	RowKNN:        "server, everyone's histories",
	RowServerALS:  "server, everyone's histories",
	RowPanelALS:   "server factors from the other half of users, reader folded in",
	RowTextOnly:   "device: own history + public catalogue",
	RowDefault:    "device: own history + public catalogue",
	RowLongMemory: "device: own history + public catalogue",
	RowTuned:      "device: own history + public catalogue",
	RowPanel:      "device: own history + catalogue with panel factors",
}

// NewRun prepares the shared inputs of a split: the text catalogue (tags on
// anyone's held-out items, test and validation alike, left out) and the
// user folds for cross-fitting.
func NewRun(s *Split, set Settings, textHeld map[[2]int]bool) (*Run, error) {
	r := &Run{Split: s, Settings: set, Notes: map[string]string{}, held: textHeld, folds: Folds(s.Data, set.Seed)}
	var err error
	r.textCat, err = BuildCatalogue(s, BuildOptions{Dim: set.TextDim, Held: textHeld, Seed: set.Seed})
	return r, err
}

// Baselines evaluates the server-side baselines.
func (r *Run) Baselines() {
	s, set := r.Split, r.Settings
	r.add(RowPopularity, NewPopularity(s))
	r.add(RowRecent, NewRecentPopularity(s, set.RecentHalfLifeDays))
	r.add(RowKNN, NewItemKNN(s, set.KNN))
	r.add(RowServerALS, NewServerALS(s, set.ServerALS))
	r.add(RowPanelALS, r.panelALS())
}

func (r *Run) panelALS() *ALSMethod {
	if r.panel == nil {
		r.panel = NewPanelALS(r.Split, r.Settings.PanelALS, r.folds)
	}
	return r.panel
}

// Hearth evaluates Hearth's rows: text similarity alone, core's shipped
// policy, its weights with a long memory, the weights tuned on validation,
// and panel vectors.
func (r *Run) Hearth() error {
	set := r.Settings
	for _, row := range []struct {
		name string
		pol  catalog.Policy
	}{
		{RowTextOnly, HearthSettings{Weights: catalog.Weights{Similarity: 1}}.policy(basePolicy)},
		// The zero policy is core's shipped default, minimisation included.
		{RowDefault, catalog.Policy{}},
		// Core's weights and diversity with a film catalogue's long memory,
		// so that the next two rows differ in one thing each.
		{RowLongMemory, basePolicy},
		{RowTuned, set.Text.policy(basePolicy)},
	} {
		h, err := r.textHearth(row.pol)
		if err != nil {
			return fmt.Errorf("%s: %w", row.name, err)
		}
		r.add(row.name, h)
		r.Notes[row.name] = policyNote(builtPolicy(r.textCat, row.pol))
	}
	// The default without its freshness term, to show what that term adds.
	if w := shippedWeights(); w.Freshness != 0 {
		w.Freshness = 0
		h, err := r.textHearth(catalog.Policy{Weights: w})
		if err != nil {
			return fmt.Errorf("default without freshness: %w", err)
		}
		r.NoFreshness = Evaluate(r.Split, h)
	}
	h, err := r.panelHearth(set.Panel.policy(basePolicy))
	if err != nil {
		return fmt.Errorf("%s: %w", RowPanel, err)
	}
	r.add(RowPanel, h)
	r.Notes[RowPanel] = policyNote(builtPolicy(r.panelCats[0], set.Panel.policy(basePolicy)))
	return nil
}

// shippedWeights are core's default scoring weights.
func shippedWeights() catalog.Weights { return catalog.Policy{}.WithDefaults().Weights }

// shippedSettings are core's default weights and diversity.
func shippedSettings() HearthSettings {
	p := catalog.Policy{}.WithDefaults()
	return HearthSettings{Weights: p.Weights, Diversity: p.Diversity}
}

// FoldIn compares core's fold-in with the server's: Hearth on the panel
// catalogues ranked by similarity alone, against the server-side fold-in of
// the same factors ranked by cosine, over readers with at most
// rank's fold-in bound of history items.
func (r *Run) FoldIn() error {
	pol := basePolicy
	pol.Exploration = 1e-9 // zero would mean the default
	h, err := r.panelHearth(HearthSettings{Weights: catalog.Weights{Similarity: 1}, Diversity: 1e-9}.policy(pol))
	if err != nil {
		return fmt.Errorf("fold-in agreement: %w", err)
	}
	core := Evaluate(r.Split, h)
	r.Cosine = Evaluate(r.Split, r.panelALS().Cosine())
	r.Cosine.Method = "server-side panel fold-in, cosine"
	var sum float64
	n := 0
	for i, u := range r.Split.Users {
		if len(u.History) > foldInBound {
			continue
		}
		common := 0
		for _, it := range core.Lists[i] {
			if slices.Contains(r.Cosine.Lists[i], it) {
				common++
			}
		}
		sum += float64(common) / K
		n++
	}
	r.FoldInUsers = n
	if n > 0 {
		r.FoldInAgreement = sum / float64(n)
	}
	return nil
}

// foldInBound is how many of the reader's latest items core folds in.
const foldInBound = 200

// policyNote describes the ranking settings of a policy as they apply.
func policyNote(p catalog.Policy) string {
	p = p.WithDefaults()
	w := p.Weights
	return fmt.Sprintf("weights similarity %g, topic %g, freshness %g, popularity %g; diversity %g; exploration %g; freshness half-life %g d; retention %d d; interest half-life %g d",
		w.Similarity, w.Topic, w.Freshness, w.Popularity, p.Diversity, p.Exploration, p.FreshnessHalfLifeDays, p.RetentionDays, p.InterestHalfLifeDays)
}

// textHearth is Hearth on the text catalogue under a policy, with profiles
// built under that policy.
func (r *Run) textHearth(pol catalog.Policy) (*Hearth, error) {
	cat, err := WithPolicy(r.textCat, pol)
	if err != nil {
		return nil, err
	}
	ps, err := NewProfiles(r.Split, cat, ReaderFor(r.Split.Data))
	if err != nil {
		return nil, err
	}
	return NewHearth(RowDefault, r.Split, []*catalog.Catalogue{cat}, nil, ps, r.Settings.Seed), nil
}

// panelHearth is Hearth on the two panel catalogues under a policy: each
// reader gets the catalogue whose factors were trained without them.
func (r *Run) panelHearth(pol catalog.Policy) (*Hearth, error) {
	if r.panelCats == nil {
		for _, m := range r.panelALS().models {
			c, err := BuildCatalogue(r.Split, BuildOptions{Factors: m, Seed: r.Settings.Seed})
			if err != nil {
				return nil, fmt.Errorf("panel catalogue: %w", err)
			}
			r.panelCats = append(r.panelCats, c)
		}
	}
	cats := make([]*catalog.Catalogue, len(r.panelCats))
	for f, c := range r.panelCats {
		var err error
		if cats[f], err = WithPolicy(c, pol); err != nil {
			return nil, err
		}
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
	for _, name := range serverRows {
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

// Sweep evaluates core's shipped policy and Hearth's panel settings at
// each diversity.
func (r *Run) Sweep(diversities []float32) (text, panel []SweepPoint, err error) {
	for _, d := range diversities {
		th, err := r.textHearth(catalog.Policy{Diversity: d})
		if err != nil {
			return nil, nil, err
		}
		res := Evaluate(r.Split, th)
		text = append(text, SweepPoint{d, metric.Mean(res.NDCG), metric.Mean(res.ILD)})

		h := r.Settings.Panel
		h.Diversity = d
		ph, err := r.panelHearth(h.policy(basePolicy))
		if err != nil {
			return nil, nil, err
		}
		res = Evaluate(r.Split, ph)
		panel = append(panel, SweepPoint{d, metric.Mean(res.NDCG), metric.Mean(res.ILD)})
	}
	return text, panel, nil
}

// Tune chooses every method's settings on the validation split v, starting
// from set: baselines by a small grid each, then Hearth's weights,
// diversity and popularity prior by a grid over the policy. Only
// validation targets are looked at. logf receives one line per choice.
func Tune(v *Split, set Settings, textHeld map[[2]int]bool, logf func(format string, args ...any)) (Settings, error) {
	// Every choice maximises validation nDCG@10; Hearth's text settings
	// only among settings whose lists are more diverse than the
	// collaborative baselines', the diversity the target asks of the
	// default.
	minILD := 0.0
	var lastILD float64
	score := func(m Method) float64 {
		res := Evaluate(v, m)
		lastILD = metric.Mean(res.ILD)
		return metric.Mean(res.NDCG)
	}
	pick := func(what string, n int, eval func(k int) float64) int {
		best, bestVal, bestILD := -1, -1.0, 0.0
		fallback, fallbackVal, fallbackILD := 0, -1.0, 0.0
		for k := range n {
			val := eval(k)
			if val > fallbackVal {
				fallback, fallbackVal, fallbackILD = k, val, lastILD
			}
			if lastILD > minILD && val > bestVal {
				best, bestVal, bestILD = k, val, lastILD
			}
		}
		if best < 0 {
			logf("tune %s: no choice has diversity above %.3f", what, minILD)
			best, bestVal, bestILD = fallback, fallbackVal, fallbackILD
		}
		logf("tune %s: choice %d of %d, validation nDCG@10 %.4f, diversity %.3f (best without a diversity bound: %.4f)",
			what, best+1, n, bestVal, bestILD, fallbackVal)
		return best
	}
	var collabILD []float64

	ks := []int{100, 200, 400, 800, 1600}
	set.KNN = ks[pick("item-kNN neighbours", len(ks), func(k int) float64 { return score(NewItemKNN(v, ks[k])) })]
	score(NewItemKNN(v, set.KNN))
	collabILD = append(collabILD, lastILD)
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
	score(NewServerALS(v, set.ServerALS))
	collabILD = append(collabILD, lastILD)

	folds := Folds(v.Data, set.Seed)
	var panel []ALSConfig
	for _, lambda := range []float64{10, 50, 200} {
		c := set.PanelALS
		c.Lambda, c.Alpha = lambda, panelAlpha(v.Data)
		panel = append(panel, c)
	}
	set.PanelALS = panel[pick("panel ALS λ", len(panel), func(k int) float64 { return score(NewPanelALS(v, panel[k], folds)) })]
	logf("  panel ALS: %+v", set.PanelALS)

	r, err := NewRun(v, set, textHeld)
	if err != nil {
		return set, err
	}
	// Weights and diversity leave the profiles as they are (Track reads
	// only the minimisation settings), so every candidate ranks the same
	// profiles: built once per catalogue kind.
	probe, err := WithPolicy(r.textCat, basePolicy)
	if err != nil {
		return set, err
	}
	ps, err := NewProfiles(v, probe, ReaderFor(v.Data))
	if err != nil {
		return set, err
	}
	var firstErr error
	try := func(h HearthSettings, base []*catalog.Catalogue) float64 {
		var cats []*catalog.Catalogue
		for _, c := range base {
			c, err := WithPolicy(c, h.policy(basePolicy))
			if err != nil {
				firstErr = err
				return -1
			}
			cats = append(cats, c)
		}
		fold := func(int) int { return 0 }
		if len(cats) == 2 {
			fold = func(u int) int { return 1 - r.folds[u] }
		}
		return score(NewHearth("tune", v, cats, fold, ps, set.Seed))
	}

	// The freshness half-life is the builder's, derived from the items'
	// dates (a policy that sets none gets it). Core's shipped weights and
	// diversity are always among the choices.
	grid := []HearthSettings{shippedSettings()}
	for _, sim := range []float32{0, 0.1, 0.25, 0.5} {
		for _, topic := range []float32{0, 0.1, 0.25} {
			for _, fresh := range []float32{0, 0.1, 0.2, 0.3} {
				for _, div := range []float32{0.01, 0.2, 0.4} {
					h := HearthSettings{Weights: catalog.Weights{Similarity: sim, Topic: topic, Freshness: fresh, Popularity: 1}, Diversity: div}
					if h != grid[0] {
						grid = append(grid, h)
					}
				}
			}
		}
	}
	logf("  freshness half-life derived by the catalogue builder: %g days", r.textCat.Policy.FreshnessHalfLifeDays)
	minILD = slices.Max(collabILD)
	set.Text = grid[pick("Hearth text settings", len(grid), func(k int) float64 { return try(grid[k], []*catalog.Catalogue{r.textCat}) })]
	logf("  Hearth text: %s", set.Text)

	minILD = 0
	r.Settings = set
	if _, err := r.panelHearth(basePolicy); err != nil {
		return set, err
	}
	grid = grid[:0]
	for _, pop := range []float32{0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3} {
		for _, topic := range []float32{0, 0.1} {
			for _, div := range []float32{0.01, 0.1, 0.3} {
				grid = append(grid, HearthSettings{Weights: catalog.Weights{Similarity: 1, Topic: topic, Popularity: pop}, Diversity: div})
			}
		}
	}
	set.Panel = grid[pick("Hearth panel settings", len(grid), func(k int) float64 { return try(grid[k], r.panelCats) })]
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
