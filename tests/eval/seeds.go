package eval

import (
	"fmt"
	"math"
	"slices"

	"github.com/hearth-dev/hearth/core/metric"
)

// SeedFigure is one seed's mean validation nDCG@10 of the server-side ALS
// and of Hearth on panel and transition vectors, under the settings the
// run chose; NaN for a row the data cannot give (Run.Unmeasured).
type SeedFigure struct {
	Seed                uint64
	ALS, Panel, Transit float64
}

// seedRuns is how many seeds SeedSpread tries, the run's own first.
const seedRuns = 5

// SeedSpread measures on validation targets how much the run's random
// parts move the collaborative rows: how the users split into panels
// (crossFittings cross-fittings per seed) and the random starts of the text
// vectors and of every factorisation. Seed k adds k to each of set's
// seeds; k = 0 is the run's own. The targets are judged on the run's seed
// alone, and its settings were tuned on it, so this says how far a verdict
// could move with the luck of one seed.
func SeedSpread(v *Split, set Settings, textHeld map[[2]int]bool) ([]SeedFigure, error) {
	var out []SeedFigure
	for k := range uint64(seedRuns) {
		s := set
		s.Seed += k
		s.ServerALS.Seed += k
		s.PanelALS.Seed += k
		s.TransitALS.Seed += k
		als, err := NewServerALS(v, s.ServerALS)
		if err != nil {
			return nil, fmt.Errorf("seed %d: %w", s.Seed, err)
		}
		r, err := NewRun(v, s, textHeld)
		if err != nil {
			return nil, fmt.Errorf("seed %d: %w", s.Seed, err)
		}
		fig := SeedFigure{Seed: s.Seed, ALS: metric.Mean(Evaluate(v, als).NDCG)}
		for _, row := range []struct {
			to     *float64
			hearth func() (Method, error)
		}{
			{&fig.Panel, func() (Method, error) { return r.panelHearth(s.Panel.policy(basePolicy)) }},
			{&fig.Transit, func() (Method, error) { return r.transitHearth(s.Transit.policy(basePolicy)) }},
		} {
			m, err := row.hearth()
			if err != nil {
				if err = skipUnmeasured(err); err != nil {
					return nil, fmt.Errorf("seed %d: %w", s.Seed, err)
				}
				*row.to = math.NaN()
				continue
			}
			*row.to = metric.Mean(Evaluate(v, m).NDCG)
		}
		out = append(out, fig)
	}
	return out, nil
}

// seedObservation states the seeds' spread of each collaborative row's
// ratio to ALS, and where the run's own seed lies in it.
func seedObservation(p func(string, ...any), figs []SeedFigure) {
	if len(figs) < 2 {
		return
	}
	spread := func(of func(SeedFigure) float64) string {
		var rs []float64
		for _, f := range figs {
			if math.IsNaN(of(f)) {
				return "not measured (the validation data cannot give it)"
			}
			if f.ALS == 0 {
				return "no ratio (ALS scores 0 on some seed)"
			}
			rs = append(rs, of(f)/f.ALS)
		}
		own := rs[0]
		above := 0
		for _, r := range rs[1:] {
			if r > own {
				above++
			}
		}
		return fmt.Sprintf("%.3f× to %.3f× of ALS's nDCG@10 (this run's seed %.3f×, %d of the other %d above it)",
			slices.Min(rs), slices.Max(rs), own, above, len(rs)-1)
	}
	var als []float64
	for _, f := range figs {
		als = append(als, f.ALS)
	}
	p("- How much the run's random parts move the collaborative rows (validation targets, the chosen settings, seeds %d to %d\n",
		figs[0].Seed, figs[len(figs)-1].Seed)
	p("  of the panels' splits and of the text vectors' and every factorisation's start): Hearth with panel vectors\n")
	p("  scores %s, with transition vectors %s;\n", spread(func(f SeedFigure) float64 { return f.Panel }), spread(func(f SeedFigure) float64 { return f.Transit }))
	p("  ALS itself %.4f to %.4f. The targets are judged on this run's seed alone, the one its settings were tuned on.\n",
		slices.Min(als), slices.Max(als))
}
