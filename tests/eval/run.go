package eval

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/metric"
)

// coreALSAlpha is rank's alsAlpha: the device turns an event of weight w
// into the implicit-ALS confidence 1 + coreALSAlpha·w, so publisher factors
// are trained with α = coreALSAlpha·w of the event the data set's
// positives become. TestQuality checks the two fold-ins agree.
const coreALSAlpha = 10

// HearthSettings are what a publisher chooses for Hearth's ranking in the
// policy: the scoring weights, the diversity and, for the collaborative
// rows, the interest half-life: how fast a reader's older events fade from
// what the device learns, the fold-in included.
type HearthSettings struct {
	Weights   catalog.Weights
	Diversity float32
	// InterestHalfLifeDays is the policy's interest half-life in days; 0
	// keeps the base policy's.
	InterestHalfLifeDays float32
}

// weightsText names every scoring weight, as the report and its notes
// write them.
func weightsText(w catalog.Weights) string {
	return fmt.Sprintf("similarity %g, topic %g, freshness %g, popularity %g", w.Similarity, w.Topic, w.Freshness, w.Popularity)
}

func (h HearthSettings) String() string {
	w := h.Weights
	s := fmt.Sprintf("%s; diversity %g", weightsText(w), h.Diversity)
	if h.InterestHalfLifeDays != 0 {
		s += fmt.Sprintf("; interest half-life %g d", h.InterestHalfLifeDays)
	}
	return s
}

// Settings are every method's settings for one run.
type Settings struct {
	KNN                int
	RecentHalfLifeDays float64
	ServerALS          ALSConfig
	PanelALS           ALSConfig // Alpha is fixed by core's confidences
	TransitALS         ALSConfig // Alpha is the transition confidence slope
	TextDim            int
	Text               HearthSettings // Hearth on text vectors, tuned on validation (core's defaults ship apart)
	Panel              HearthSettings // Hearth with panel vectors
	Transit            HearthSettings // Hearth with transition vectors
	// PanelMinMembers is the panel's privacy floor (collab.Options.
	// MinMembers; 0 is the builder's default). Only fixtures of a few
	// users lower it.
	PanelMinMembers int
	// TextWeight is the text's part in both collaborative rows' vectors
	// (collab.Options.TextWeight; 0 is the builder's default for each
	// row's kind of data, negative none).
	TextWeight float64
	Seed       uint64
}

// panelOptions and transitOptions are the builder's options for the panel
// and transition rows' catalogues.
func (s Settings) panelOptions() collab.Options {
	o := s.PanelALS.panelOptions(s.PanelMinMembers)
	o.TextWeight = s.TextWeight
	return o
}

func (s Settings) transitOptions() collab.Options {
	o := s.TransitALS.transitOptions()
	o.TextWeight = s.TextWeight
	return o
}

// textWeight is the text's part in the panel row's vectors (panel) or the
// transition row's (0: none), as the builder resolves it for that kind of
// data. Options the builder refuses fail the rows' builds themselves, so
// their error is not repeated here.
func (s Settings) textWeight(panel bool) float64 {
	o := s.transitOptions()
	if panel {
		o = s.panelOptions()
	}
	o, _ = o.Resolved(panel)
	return max(o.TextWeight, 0)
}

// panelMinMembers is the panel's floor these settings train with.
func (s Settings) panelMinMembers() int {
	o, _ := s.panelOptions().Resolved(true)
	return o.MinMembers
}

func (s Settings) String() string {
	return fmt.Sprintf("item-kNN k = %d; recency half-life %g days; server ALS d = %d, λ = %g, α = %g; panel ALS λ = %g; transitions λ = %g, α = %g; text vectors %d dimensions; tuned row %s; panel vectors %s; transition vectors %s",
		s.KNN, s.RecentHalfLifeDays, s.ServerALS.Dim, s.ServerALS.Lambda, s.ServerALS.Alpha, s.PanelALS.Lambda,
		s.TransitALS.Lambda, s.TransitALS.Alpha, s.TextDim, s.Text, s.Panel, s.Transit)
}

// Tuned are the settings chosen on the MovieLens validation targets by
// Tune (HEARTH_EVAL_REPORT=1 runs it again and reports any change); the
// quick evaluation uses them as they are. Hearth's default row is core's
// shipped policy, whatever Text says. The collaborative vectors' training
// settings are the catalogue builder's defaults (build/collab); the weights
// a build ships with them (collab.Weights) are measured too where they
// differ from these (Run.WithBuilderWeights).
var Tuned = Settings{
	KNN:                1600,
	RecentHalfLifeDays: 365,
	ServerALS:          ALSConfig{Dim: 64, Lambda: 50, Alpha: 5, Iterations: 10, Seed: 1},
	PanelALS:           ALSConfig{Dim: collab.DefaultDim, Lambda: collab.DefaultLambda, Alpha: collab.DefaultAlpha, Iterations: collab.DefaultIterations, Seed: 1},
	TransitALS:         ALSConfig{Dim: collab.DefaultDim, Lambda: collab.DefaultLambdaTransit, Alpha: collab.DefaultTransitionAlpha, Iterations: collab.DefaultIterations, Seed: 1},
	TextDim:            64,
	Text:               HearthSettings{Weights: catalog.Weights{Similarity: 0.25, Topic: 0.25, Freshness: 0.3, Popularity: 1}, Diversity: 0.4},
	Panel:              HearthSettings{Weights: catalog.Weights{Similarity: 1, Topic: 0.1, Popularity: 1}, Diversity: 0.01, InterestHalfLifeDays: 30},
	Transit:            HearthSettings{Weights: catalog.Weights{Similarity: 1, Topic: 0.1, Freshness: 0.2, Popularity: 0.75}, Diversity: 0.01, InterestHalfLifeDays: 30},
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
	if h.InterestHalfLifeDays != 0 {
		p.InterestHalfLifeDays = h.InterestHalfLifeDays
	}
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
	// server-side fold-in of the same panel factors, weighing events and
	// ranking as core does (ALSMethod.AsCore), over FoldInUsers readers,
	// those core folds in whole; zero when not measured.
	FoldInAgreement float64
	FoldInUsers     int
	// FoldInAsCore is that server-side panel fold-in's result; nil when
	// not measured.
	FoldInAsCore *Result
	// NoFreshness is the Hearth default with its freshness weight set to
	// zero, nil when not measured (or when the default has none).
	NoFreshness *Result
	// PanelSizes are Hearth with panel vectors from smaller panels, nil
	// when not measured.
	PanelSizes []PanelSize
	// DatesPermuted is the Hearth default on the text catalogue with its
	// items' dates permuted among them: a site whose dates say nothing of
	// what is read next, where the per-reader blend must find freshness
	// useless. nil when not measured (no dated items).
	DatesPermuted *Result
	// WithBuilderWeights are the panel and transition rows (by row name)
	// with the weights a build that learns such vectors ships when its
	// policy sets none (collab.Weights), measured only where those differ
	// from the row's.
	WithBuilderWeights map[string]*Result
	// WithoutText are the panel and transition rows (by row name) with
	// vectors that carry no text (hearth-catalog -collab-text-weight 0),
	// nil when not measured.
	WithoutText map[string]*Result
	// Unmeasured are the rows this data cannot give, by row name, with
	// why: a panel none of whose items has the floor's members teaches
	// nothing (a data set of a dozen users), and counts that link no
	// two items teach no transition vectors. Their targets fail, the
	// report says why, and the rest of the run goes on.
	Unmeasured map[string]string

	held    map[[2]int]bool
	textCat *catalog.Catalogue // built once; rows differ by policy only
	// Catalogues with collaborative vectors, built when first needed:
	// panel vectors per cross-fitting and half of the users (panelFit),
	// transition vectors from everyone's histories.
	fits       []*panelFit
	transitCat *catalog.Catalogue
	// TransitReport says what the builder did with the counts, Transitions
	// how many from,to,count rows they are and Pairs how many consecutive
	// pairs they sum.
	TransitReport collab.Report
	Transitions   int
	Pairs         int
	counted       []bool // items some transition row links to another
	counts        []collab.NamedTransition
	memo          map[minimisation]*Profiles
}

// minimisation is what of a policy shapes a profile: profile.Track reads
// the catalogue's items and topics (the same in every catalogue of a run,
// which differ in vectors only) and these settings, since the run's
// policies mark no topic sensitive.
type minimisation struct {
	retention, maxEvents int
	interestHalfLife     float32
}

// profiles are the test users' profiles under c's policy, built once per
// minimisation.
func (r *Run) profiles(c *catalog.Catalogue) (*Profiles, error) {
	pol := c.Policy.WithDefaults()
	k := minimisation{pol.RetentionDays, pol.MaxEvents, pol.InterestHalfLifeDays}
	if ps, ok := r.memo[k]; ok {
		return ps, nil
	}
	ps, err := NewProfiles(r.Split, c, ReaderFor(r.Split.Data))
	if err != nil {
		return nil, err
	}
	if r.memo == nil {
		r.memo = map[minimisation]*Profiles{}
	}
	r.memo[k] = ps
	return ps, nil
}

// Row names used to find results.
const (
	RowPopularity = "popularity"
	RowRecent     = "recency-weighted popularity"
	RowKNN        = "item-kNN"
	RowServerALS  = "ALS"
	RowPanelALS   = "panel ALS + fold-in (server)"
	RowTextOnly   = "Hearth, text similarity only"
	RowDefault    = "Hearth, text vectors (core's shipped policy)"
	RowLongMemory = "Hearth, text vectors, long memory"
	RowTuned      = "Hearth, text vectors, weights tuned on validation"
	RowPanel      = "Hearth, panel vectors"
	RowTransit    = "Hearth, transition vectors"
)

// collabRows are Hearth's rows with collaborative vectors, each with its
// kind of vectors (which names its target too).
var collabRows = []struct{ row, what string }{{RowPanel, "panel"}, {RowTransit, "transition"}}

// serverRows are the server-side methods trained on everyone's histories,
// among which the panel and transition targets' best is chosen.
var serverRows = []string{RowPopularity, RowRecent, RowKNN, RowServerALS}

// Who says what data each row learns from.
var Who = map[string]string{
	RowPopularity: "server, everyone's histories",
	RowRecent:     "server, everyone's histories",
	RowKNN:        "server, everyone's histories",
	RowServerALS:  "server, everyone's histories",
	RowPanelALS:   "server: the shipped panel vectors (other half of users), reader folded in",
	RowTextOnly:   "device: own history + public catalogue",
	RowDefault:    "device: own history + public catalogue",
	RowLongMemory: "device: own history + public catalogue",
	RowTuned:      "device: own history + public catalogue",
	RowPanel:      "device: own history + catalogue with panel factors",
	RowTransit:    "device: own history + catalogue with factors from transition counts",
}

// NewRun prepares the shared input of a split: the text catalogue (tags on
// anyone's held-out items, test and validation alike, left out).
func NewRun(s *Split, set Settings, textHeld map[[2]int]bool) (*Run, error) {
	r := &Run{Split: s, Settings: set, Notes: map[string]string{}, Unmeasured: map[string]string{}, held: textHeld}
	var err error
	r.textCat, err = BuildCatalogue(s, BuildOptions{Dim: set.TextDim, Held: textHeld, Seed: set.Seed})
	return r, err
}

// Baselines evaluates the server-side baselines.
func (r *Run) Baselines() error {
	s, set := r.Split, r.Settings
	r.add(RowPopularity, NewPopularity(s))
	r.add(RowRecent, NewRecentPopularity(s, set.RecentHalfLifeDays))
	r.add(RowKNN, NewItemKNN(s, set.KNN))
	als, err := NewServerALS(s, set.ServerALS)
	if err != nil {
		return err
	}
	r.add(RowServerALS, als)
	panel, err := r.panelALS()
	if err != nil {
		return skipUnmeasured(err)
	}
	r.add(RowPanelALS, panel)
	return nil
}

// errUnmeasured marks an error that says a row cannot be measured on this
// data (Run.Unmeasured), not that the run failed.
var errUnmeasured = errors.New("not measurable on this data")

// unmeasured notes rows as unmeasured when err says the builder had no
// data to learn from (collab.ErrNoData), and marks err so; other errors
// pass unchanged.
func (r *Run) unmeasured(err error, rows ...string) error {
	if !errors.Is(err, collab.ErrNoData) {
		return err
	}
	for _, row := range rows {
		r.Unmeasured[row] = err.Error()
	}
	return fmt.Errorf("%w: %w", errUnmeasured, err)
}

// skipUnmeasured is nil for an error that only says a row is unmeasured,
// which its caller then leaves out, and err otherwise.
func skipUnmeasured(err error) error {
	if errors.Is(err, errUnmeasured) {
		return nil
	}
	return err
}

// crossFittings is how many two-fold cross-fittings the panel rows average:
// which half of the users is the panel moves a panel row several times as
// much as ALS's random start moves ALS, so neither a choice nor a verdict
// should rest on one split of the users.
const crossFittings = 3

// panelFit is one two-fold cross-fitting of the panel: the users split in
// two halves, and the catalogue a publisher would ship with panel vectors
// learned by build/collab from one half's histories (or a part of that
// half's, for a smaller panel) ranks the other half's readers (no reader's
// own history trains the vectors they are ranked with).
type panelFit struct {
	folds   []int                // each user's half
	panel   []int                // each user's half when on its panel, else -1
	cats    []*catalog.Catalogue // per half, vectors from its panel's histories
	has     [][]bool             // per half, the items its panel has
	reports []collab.Report
	foldIn  *ALSMethod // the server-side fold-in of these vectors, when built
}

// other is the half whose panel vectors rank user's lists.
func (f *panelFit) other(user int) int { return 1 - f.folds[user] }

// fitSeed is the seed of cross-fitting k from a run's seed: the run's own
// for the first, and for the others seeds far from those SeedSpread
// shifts the run's by.
func fitSeed(seed uint64, k int) uint64 { return seed + uint64(k)<<32 }

// panelFits are the run's cross-fittings (crossFittings of them), each
// with its own split of the users (Folds) and its own random start of the
// vectors.
func (r *Run) panelFits() ([]*panelFit, error) {
	if r.fits == nil {
		fits, err := r.crossFit(1, r.Settings.panelOptions())
		if err != nil {
			return nil, r.unmeasured(err, RowPanelALS, RowPanel)
		}
		r.fits = fits
	}
	return r.fits, nil
}

// crossFit builds the cross-fittings with each half's panel cut to share
// of its users (1: all of them), learned with the builder's options opts;
// every user is still a reader, ranked by the other half's panel vectors.
func (r *Run) crossFit(share float64, opts collab.Options) ([]*panelFit, error) {
	s := r.Split
	var fits []*panelFit
	for k := range crossFittings {
		seed := fitSeed(r.Settings.Seed, k)
		fit := &panelFit{}
		fit.folds, fit.panel = panels(s.Data, seed, share)
		o := opts
		o.Seed = fitSeed(opts.Seed, k)
		for f := range 2 {
			in := collab.Input{Panel: panelRows(s.Data, s.Train, fit.panel, f)}
			c, rep, err := collabCatalogue(r.textCat, in, o)
			if err != nil {
				return nil, fmt.Errorf("panel catalogue of cross-fitting %d, half %d: %w", k+1, f, err)
			}
			fit.cats, fit.reports = append(fit.cats, c), append(fit.reports, rep)
			fit.has = append(fit.has, inFold(s.Data, s.Train, fit.panel, f))
		}
		fits = append(fits, fit)
	}
	return fits, nil
}

// panelALS is the server-side fold-in of the shipped panel vectors, each
// reader against the other half's, over every cross-fitting.
func (r *Run) panelALS() (CrossFitted, error) {
	fits, err := r.panelFits()
	if err != nil {
		return nil, err
	}
	var out CrossFitted
	for _, fit := range fits {
		out = append(out, r.panelFoldIn(fit))
	}
	return out, nil
}

// panelFoldIn is the server-side fold-in of one cross-fitting's panel
// vectors, built once.
func (r *Run) panelFoldIn(fit *panelFit) *ALSMethod {
	if fit.foldIn == nil {
		var fs []*collab.Factors
		for _, c := range fit.cats {
			fs = append(fs, shippedFactors(r.Split.Data, c))
		}
		fit.foldIn = NewFoldIn(fmt.Sprintf("ALS, panel + fold-in (d=%d)", r.Settings.PanelALS.Dim), fs, fit.other, panelAlpha(r.Split.Data))
	}
	return fit.foldIn
}

// transitCatalogue is the catalogue a publisher would ship with vectors
// learned by build/collab from the transition counts of every training
// history (transitionCounts): the counts include each reader's own
// earlier history, as a publisher's log would, and no target.
func (r *Run) transitCatalogue() (*catalog.Catalogue, error) {
	if r.transitCat != nil {
		return r.transitCat, nil
	}
	counts := r.transitionCounts()
	c, rep, err := collabCatalogue(r.textCat, collab.Input{Transitions: counts}, r.Settings.transitOptions())
	if err != nil {
		return nil, r.unmeasured(fmt.Errorf("transition catalogue: %w", err), RowTransit)
	}
	r.transitCat, r.TransitReport = c, rep
	r.Transitions, r.Pairs = len(counts), 0
	for _, t := range counts {
		r.Pairs += int(t.Count)
	}
	r.counted = counted(r.Split.Data, counts)
	return c, nil
}

// transitionCounts are the split's transition counts (transitionCounts),
// counted once: they do not depend on the settings.
func (r *Run) transitionCounts() []collab.NamedTransition {
	if r.counts == nil {
		r.counts = transitionCounts(r.Split.Data, r.Split.Train)
	}
	return r.counts
}

// forget drops the collaborative catalogues, to be built again under new
// settings.
func (r *Run) forget() {
	r.fits, r.transitCat = nil, nil
}

// Hearth evaluates Hearth's rows: text similarity alone, core's shipped
// policy, its weights with a long memory, the weights tuned on validation,
// panel vectors and transition vectors.
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
	if cat := permutedDates(r.textCat, r.Settings.Seed); cat != nil {
		h, err := r.textHearthOn(cat, catalog.Policy{})
		if err != nil {
			return fmt.Errorf("default with permuted dates: %w", err)
		}
		r.DatesPermuted = Evaluate(r.Split, h)
	}
	panel, err := r.panelHearth(set.Panel.policy(basePolicy))
	if err == nil {
		r.add(RowPanel, panel)
		r.Notes[RowPanel] = policyNote(builtPolicy(r.fits[0].cats[0], set.Panel.policy(basePolicy)))
	} else if err = skipUnmeasured(err); err != nil {
		return fmt.Errorf("%s: %w", RowPanel, err)
	}
	h, err := r.transitHearth(set.Transit.policy(basePolicy))
	if err == nil {
		r.add(RowTransit, h)
		r.Notes[RowTransit] = policyNote(builtPolicy(r.transitCat, set.Transit.policy(basePolicy)))
	} else if err = skipUnmeasured(err); err != nil {
		return fmt.Errorf("%s: %w", RowTransit, err)
	}
	return r.measureBuilderWeights()
}

// measureBuilderWeights measures the panel and transition rows with the
// weights a build ships with such vectors (builderCollab), where those
// differ from the rows', the rest of each row's settings unchanged.
func (r *Run) measureBuilderWeights() error {
	r.WithBuilderWeights = map[string]*Result{}
	for _, c := range r.builderCollab() {
		if c.row.Weights == c.ship || r.Unmeasured[c.name] != "" {
			continue
		}
		h := c.row
		h.Weights = c.ship
		m, err := c.hearth(h.policy(basePolicy))
		if err != nil {
			return fmt.Errorf("%s with the builder's weights: %w", c.name, err)
		}
		r.WithBuilderWeights[c.name] = Evaluate(r.Split, m)
	}
	return nil
}

// MeasureText measures the panel and transition rows again, under their
// own policies, with vectors that carry no text (collab.Options.TextWeight
// negative): what the items' text adds to them. The panels and every
// factorisation's start are the rows' own, so the paired difference is the
// text's alone.
func (r *Run) MeasureText() error {
	r.WithoutText = map[string]*Result{}
	if r.Unmeasured[RowPanel] == "" && r.Settings.textWeight(true) > 0 {
		po := r.Settings.panelOptions()
		po.TextWeight = -1
		fits, err := r.crossFit(1, po)
		if err != nil {
			return fmt.Errorf("%s without text: %w", RowPanel, err)
		}
		panel, err := r.panelHearthOver(fits, r.Settings.Panel.policy(basePolicy))
		if err != nil {
			return fmt.Errorf("%s without text: %w", RowPanel, err)
		}
		r.WithoutText[RowPanel] = Evaluate(r.Split, panel)
	}
	if r.Unmeasured[RowTransit] != "" || r.Settings.textWeight(false) == 0 {
		return nil
	}
	to := r.Settings.transitOptions()
	to.TextWeight = -1
	c, _, err := collabCatalogue(r.textCat, collab.Input{Transitions: r.transitionCounts()}, to)
	if err != nil {
		return fmt.Errorf("%s without text: %w", RowTransit, err)
	}
	h, err := r.collabHearth(RowTransit, []*catalog.Catalogue{c}, nil, r.Settings.Transit.policy(basePolicy))
	if err != nil {
		return fmt.Errorf("%s without text: %w", RowTransit, err)
	}
	r.WithoutText[RowTransit] = Evaluate(r.Split, h)
	return nil
}

// collabWeights pairs a collaborative row's settings with the weights a
// build ships for its kind of vectors.
type collabWeights struct {
	name, what string // the row, and its kind of vectors
	row        HearthSettings
	ship       catalog.Weights
	hearth     func(catalog.Policy) (Method, error) // Hearth on the row's vectors under a policy
}

// builderCollab are the panel and transition rows' settings beside the
// weights a build ships with their vectors.
func (r *Run) builderCollab() []collabWeights {
	return []collabWeights{
		{RowPanel, "panel", r.Settings.Panel, collab.PanelWeights,
			func(p catalog.Policy) (Method, error) { return r.panelHearth(p) }},
		{RowTransit, "transition", r.Settings.Transit, collab.TransitionWeights,
			func(p catalog.Policy) (Method, error) { return r.transitHearth(p) }},
	}
}

// shippedWeights are core's default scoring weights.
func shippedWeights() catalog.Weights { return catalog.Policy{}.WithDefaults().Weights }

// shippedSettings are core's default weights and diversity.
func shippedSettings() HearthSettings {
	p := catalog.Policy{}.WithDefaults()
	return HearthSettings{Weights: p.Weights, Diversity: p.Diversity}
}

// FoldIn compares core's fold-in with the server's: Hearth on the first
// cross-fitting's panel catalogues ranked by similarity alone, against the
// server-side fold-in of the same factors that weighs events and ranks as
// core does, over readers with at most rank's fold-in bound of history
// items. FoldInAsCore's metrics are over every cross-fitting, as the panel
// rows'.
func (r *Run) FoldIn() error {
	pol := basePolicy
	pol.Exploration = 1e-9 // zero would mean the default
	fits, err := r.panelFits()
	if err != nil {
		return skipUnmeasured(fmt.Errorf("fold-in agreement: %w", err))
	}
	h, err := r.panelHearthOn(fits[0], HearthSettings{Weights: catalog.Weights{Similarity: 1}, Diversity: 1e-9}.policy(pol))
	if err != nil {
		return fmt.Errorf("fold-in agreement: %w", err)
	}
	core := Evaluate(r.Split, h)
	var server CrossFitted
	for _, fit := range fits {
		server = append(server, r.panelFoldIn(fit).AsCore())
	}
	r.FoldInAsCore = Evaluate(r.Split, server)
	r.FoldInAsCore.Method = "server-side panel fold-in, as core"
	var sum float64
	n := 0
	for i, u := range r.Split.Users {
		if len(u.History) > foldInBound {
			continue
		}
		common := 0
		for _, it := range core.Lists[i] {
			if slices.Contains(r.FoldInAsCore.Lists[i], it) {
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
	return fmt.Sprintf("weights %s; diversity %g; exploration %g; freshness half-life %g d; retention %d d; interest half-life %g d",
		weightsText(w), p.Diversity, p.Exploration, p.FreshnessHalfLifeDays, p.RetentionDays, p.InterestHalfLifeDays)
}

// textHearth is Hearth on the text catalogue under a policy, with profiles
// built under that policy.
func (r *Run) textHearth(pol catalog.Policy) (*Hearth, error) {
	return r.textHearthOn(r.textCat, pol)
}

// textHearthOn is Hearth on text catalogue c (the run's, or one that
// differs from it in dates only) under a policy.
func (r *Run) textHearthOn(c *catalog.Catalogue, pol catalog.Policy) (*Hearth, error) {
	cat, err := WithPolicy(c, pol)
	if err != nil {
		return nil, err
	}
	ps, err := r.profiles(cat)
	if err != nil {
		return nil, err
	}
	return NewHearth(RowDefault, r.Split, []*catalog.Catalogue{cat}, nil, ps, r.Settings.Seed), nil
}

// panelHearth is Hearth on the panel catalogues under a policy, over every
// cross-fitting.
func (r *Run) panelHearth(pol catalog.Policy) (CrossFitted, error) {
	fits, err := r.panelFits()
	if err != nil {
		return nil, err
	}
	return r.panelHearthOver(fits, pol)
}

// panelHearthOver is Hearth on the panel catalogues of fits under a policy.
func (r *Run) panelHearthOver(fits []*panelFit, pol catalog.Policy) (CrossFitted, error) {
	var out CrossFitted
	for _, fit := range fits {
		h, err := r.panelHearthOn(fit, pol)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// panelHearthOn is Hearth on one cross-fitting's two panel catalogues:
// each reader gets the catalogue whose vectors were learned without them.
func (r *Run) panelHearthOn(fit *panelFit, pol catalog.Policy) (*Hearth, error) {
	return r.collabHearth(RowPanel, fit.cats, fit.other, pol)
}

// transitHearth is Hearth on the transition catalogue under a policy.
func (r *Run) transitHearth(pol catalog.Policy) (*Hearth, error) {
	c, err := r.transitCatalogue()
	if err != nil {
		return nil, err
	}
	return r.collabHearth(RowTransit, []*catalog.Catalogue{c}, nil, pol)
}

// collabHearth is Hearth on catalogues with collaborative vectors, sent
// through core's codec under a policy, with profiles built under it.
func (r *Run) collabHearth(name string, base []*catalog.Catalogue, fold func(int) int, pol catalog.Policy) (*Hearth, error) {
	cats := make([]*catalog.Catalogue, len(base))
	for f, c := range base {
		var err error
		if cats[f], err = WithPolicy(c, pol); err != nil {
			return nil, err
		}
	}
	ps, err := r.profiles(cats[0])
	if err != nil {
		return nil, fmt.Errorf("%s profiles: %w", name, err)
	}
	return NewHearth(name, r.Split, cats, fold, ps, r.Settings.Seed), nil
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
	ndcg      []float64 // per reader, for paired comparisons
}

// Sweep is one curve of the accuracy-diversity plot.
type Sweep struct {
	Row    string
	Points []SweepPoint
}

// Sweep evaluates core's shipped policy and Hearth's panel and transition
// settings at each diversity.
func (r *Run) Sweep(diversities []float32) ([]Sweep, error) {
	curves := []Sweep{{Row: RowDefault}, {Row: RowPanel}, {Row: RowTransit}}
	for _, d := range diversities {
		panel, transit := r.Settings.Panel, r.Settings.Transit
		panel.Diversity, transit.Diversity = d, d
		for k, build := range []func() (Method, error){
			func() (Method, error) { return r.textHearth(catalog.Policy{Diversity: d}) },
			func() (Method, error) { return r.panelHearth(panel.policy(basePolicy)) },
			func() (Method, error) { return r.transitHearth(transit.policy(basePolicy)) },
		} {
			if r.Unmeasured[curves[k].Row] != "" {
				continue
			}
			h, err := build()
			if err != nil {
				return nil, err
			}
			res := Evaluate(r.Split, h)
			curves[k].Points = append(curves[k].Points, SweepPoint{d, metric.Mean(res.NDCG), metric.Mean(res.ILD), res.NDCG})
		}
	}
	return slices.DeleteFunc(curves, func(c Sweep) bool { return len(c.Points) == 0 }), nil
}

// collabHalfLives are the interest half-lives, in days, Tune chooses
// among for Hearth on collaborative vectors: core's shipped 30, a year,
// and the base policy's long memory.
var collabHalfLives = []float32{30, 365, catalog.MaxHalfLifeDays}

// Tune chooses every method's settings on the validation split v, starting
// from set: the baselines' by a small grid each, Hearth's text weights and
// diversity by a grid over the policy, then for each kind of
// collaborative vectors their regularisation and Hearth's weights,
// diversity and interest half-life on them in turn. Only validation
// targets are looked at. logf receives one line per choice.
func Tune(v *Split, set Settings, textHeld map[[2]int]bool, logf func(format string, args ...any)) (Settings, error) {
	// Hearth's choices maximise the worst slice's validation gain over a
	// reference (worstGain over Slices of v), not the mean: a setting must
	// hold in every period and for light and heavy readers alike. The
	// reference is what the row's target compares it with: popularity for
	// the text settings, bestShare × the best server-side baseline
	// (highest mean validation nDCG@10, as BestServer) for the panel and
	// transition vectors and Hearth's weights on them. The server-side
	// baselines' maximise their mean validation nDCG@10, so that Hearth is
	// measured against their strongest setting on the measure the targets
	// use (byMean). Hearth's text settings are chosen only among settings
	// whose lists are more diverse than the collaborative baselines', the
	// diversity the target asks of the default.
	sls, pop := Slices(v), Evaluate(v, NewPopularity(v)).NDCG
	ref := pop
	best, bestName := pop, RowPopularity
	byMean := true
	minILD := 0.0
	type measured struct {
		ndcg, ild, worst float64
		slice            string
	}
	var last measured
	var firstErr error
	score := func(m Method, err error) float64 {
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return math.Inf(-1)
		}
		res := Evaluate(v, m)
		last.ndcg, last.ild = metric.Mean(res.NDCG), metric.Mean(res.ILD)
		var sl Slice
		last.worst, sl = worstGain(sls, res.NDCG, ref)
		last.slice = sl.Name
		if byMean {
			return last.ndcg
		}
		return last.worst
	}
	type choice struct {
		k   int
		val float64
		at  measured
	}
	pick := func(what string, n int, eval func(k int) float64) int {
		best, fallback := choice{k: -1, val: math.Inf(-1)}, choice{val: math.Inf(-1)}
		for k := range n {
			c := choice{k: k, val: eval(k), at: last}
			if c.val > fallback.val {
				fallback = c
			}
			if c.at.ild > minILD && c.val > best.val {
				best = c
			}
		}
		if best.k < 0 {
			logf("tune %s: no choice has diversity above %.3f", what, minILD)
			best = fallback
		}
		by := "worst slice's gain"
		if byMean {
			by = "mean nDCG@10"
		}
		logf("tune %s: choice %d of %d by %s: validation nDCG@10 %.4f, worst slice's gain %+.4f (%s), diversity %.3f (best without a diversity bound: %.4f)",
			what, best.k+1, n, by, best.at.ndcg, best.at.worst, best.at.slice, best.at.ild, fallback.val)
		return best.k
	}
	var collabILD []float64

	ks := []int{100, 200, 400, 800, 1600}
	// keep notes a tuned baseline's validation lists as the best so far
	// when its mean nDCG@10 is the highest.
	keep := func(name string, m Method) {
		res := Evaluate(v, m)
		if metric.Mean(res.NDCG) > metric.Mean(best) {
			best, bestName = res.NDCG, name
		}
		last.ild = metric.Mean(res.ILD)
	}
	set.KNN = ks[pick("item-kNN neighbours", len(ks), func(k int) float64 { return score(NewItemKNN(v, ks[k]), nil) })]
	keep(RowKNN, NewItemKNN(v, set.KNN))
	collabILD = append(collabILD, last.ild)
	hls := []float64{30, 90, 365, 1095, 3650}
	set.RecentHalfLifeDays = hls[pick("recency half-life", len(hls), func(k int) float64 { return score(NewRecentPopularity(v, hls[k]), nil) })]
	keep(RowRecent, NewRecentPopularity(v, set.RecentHalfLifeDays))

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
	serverALS, err := NewServerALS(v, set.ServerALS)
	if err != nil {
		return set, err
	}
	keep(RowServerALS, serverALS)
	collabILD = append(collabILD, last.ild)
	if firstErr != nil {
		return set, firstErr
	}

	byMean = false
	r, err := NewRun(v, set, textHeld)
	if err != nil {
		return set, err
	}
	// Hearth's candidates are scored on the run's catalogues of one kind
	// (textHearth, panelHearth, transitHearth) under their policy.
	// Weights and diversity leave the profiles as they are (Track reads
	// only the minimisation settings), so every candidate of one interest
	// half-life ranks the same profiles: built once per half-life
	// (Run.profiles).
	policy := func(h HearthSettings) catalog.Policy { return h.policy(basePolicy) }

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
	set.Text = grid[pick("Hearth text settings", len(grid), func(k int) float64 { return score(r.textHearth(policy(grid[k]))) })]
	logf("  Hearth text: %s", set.Text)
	minILD = 0

	// Collaborative vectors: their λ (and the transitions' α), chosen by
	// Hearth's validation score on the catalogue the builder makes with
	// them, and Hearth's weights on them (similarity leads, the rest is
	// tuned) are chosen in turn: the vectors under the stored weights, the
	// weights on those vectors, then the vectors again under the chosen
	// weights and, when that changes them, the weights again, so that
	// neither choice rests on the other's stale value.
	ref = scaled(best, bestShare)
	logf("  panel and transition vectors chosen by their worst slice's validation nDCG@10 − %.2f × %s's (validation nDCG@10 %.4f)",
		bestShare, bestName, metric.Mean(best))
	var panel []ALSConfig
	for _, lambda := range []float64{10, 50, 200} {
		c := set.PanelALS
		c.Lambda, c.Alpha = lambda, panelAlpha(v.Data)
		panel = append(panel, c)
	}
	var transit []ALSConfig
	for _, lambda := range []float64{50, 100, 200, 400} {
		for _, alpha := range []float64{10, 20, 50, 200} {
			c := set.TransitALS
			c.Lambda, c.Alpha = lambda, alpha
			transit = append(transit, c)
		}
	}
	grid = grid[:0]
	for _, pop := range []float32{0.5, 0.75, 1, 1.5, 2} {
		for _, topic := range []float32{0, 0.1} {
			for _, fresh := range []float32{0, 0.2, 0.4} {
				for _, div := range []float32{0.01, 0.1, 0.3} {
					grid = append(grid, HearthSettings{Weights: catalog.Weights{Similarity: 1, Topic: topic, Freshness: fresh, Popularity: pop}, Diversity: div})
				}
			}
		}
	}
	// Hearth's settings on collaborative vectors: the weights and
	// diversity at the current interest half-life, then the half-life at
	// those, then the weights again if it changed. The half-life weighs
	// the reader's recent events above older ones in the fold-in; core
	// ships 30 days, the base policy keeps a film catalogue's long memory.
	tuneCollab := func(what, again string, h HearthSettings, eval func(HearthSettings) float64) HearthSettings {
		among := func(choice string, hs []HearthSettings) HearthSettings {
			return hs[pick("Hearth "+what+" "+choice+again, len(hs), func(k int) float64 { return eval(hs[k]) })]
		}
		at := func(hl float32) HearthSettings {
			hs := slices.Clone(grid)
			for k := range hs {
				hs[k].InterestHalfLifeDays = hl
			}
			return among("settings", hs)
		}
		was := h.InterestHalfLifeDays
		if was == 0 {
			was = basePolicy.InterestHalfLifeDays
		}
		h = at(was)
		hs := make([]HearthSettings, len(collabHalfLives))
		for k, hl := range collabHalfLives {
			hs[k] = h
			hs[k].InterestHalfLifeDays = hl
		}
		h = among("interest half-life", hs)
		if h.InterestHalfLifeDays != was {
			h = at(h.InterestHalfLifeDays)
		}
		return h
	}
	// Each collaborative row's vectors and Hearth's settings on them. A row
	// the validation data cannot give keeps the settings it has
	// (Run.Unmeasured): whether it can does not depend on them.
	type collabTune struct {
		name, what     string // the row, and its kind of vectors
		vectors, log   string // how the tuning log names its choices
		grid           []ALSConfig
		chosen, trying *ALSConfig // set's vectors, and the run's while trying grid
		hearth         *HearthSettings
		rank           func(catalog.Policy) (Method, error)
	}
	_, errPanel := r.panelFits()
	_, errTransit := r.transitCatalogue()
	if err := cmp.Or(skipUnmeasured(errPanel), skipUnmeasured(errTransit)); err != nil {
		return set, err
	}
	var rows []collabTune
	for _, t := range []collabTune{
		{RowPanel, "panel", "panel vectors λ", "Hearth panel", panel, &set.PanelALS, &r.Settings.PanelALS, &set.Panel,
			func(p catalog.Policy) (Method, error) { return r.panelHearth(p) }},
		{RowTransit, "transition", "transition vectors λ, α", "Hearth transitions", transit, &set.TransitALS, &r.Settings.TransitALS, &set.Transit,
			func(p catalog.Policy) (Method, error) { return r.transitHearth(p) }},
	} {
		if why := r.Unmeasured[t.name]; why != "" {
			logf("  %s: not tuned, the validation data cannot give it: %s", t.name, why)
			continue
		}
		rows = append(rows, t)
	}
	for round := 1; round <= 2; round++ {
		again := ""
		if round > 1 {
			again = " again"
		}
		was := [2]ALSConfig{set.PanelALS, set.TransitALS}
		for _, t := range rows {
			*t.chosen = t.grid[pick(t.vectors+again, len(t.grid), func(k int) float64 {
				r.forget()
				*t.trying = t.grid[k]
				return score(t.rank(policy(*t.hearth)))
			})]
			logf("  %s vectors: %+v", t.what, *t.chosen)
		}
		r.forget()
		r.Settings = set
		if firstErr != nil {
			return set, firstErr
		}
		if round > 1 && was == [2]ALSConfig{set.PanelALS, set.TransitALS} {
			break
		}
		for _, t := range rows {
			*t.hearth = tuneCollab(t.what, again, *t.hearth, func(h HearthSettings) float64 { return score(t.rank(policy(h))) })
			logf("  %s: %s", t.log, *t.hearth)
		}
	}
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

// permutedDates returns a copy of c whose dated items carry each other's
// dates, shuffled with seed: the same dates (so the same derived freshness
// half-life and generation time), no longer tied to the items. nil when
// fewer than two items are dated.
func permutedDates(c *catalog.Catalogue, seed uint64) *catalog.Catalogue {
	var dated []int
	for i, it := range c.Items {
		if it.Published != 0 {
			dated = append(dated, i)
		}
	}
	if len(dated) < 2 {
		return nil
	}
	out := *c
	out.Items = slices.Clone(c.Items)
	perm := rand.New(rand.NewPCG(seed, seed)).Perm(len(dated))
	for k, i := range dated {
		out.Items[i].Published = c.Items[dated[perm[k]]].Published
	}
	return &out
}
