package eval

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/metric"
	"github.com/hearth-dev/hearth/core/rank"
)

// Bootstrap settings of every interval in the report.
const (
	resamples = 2000
	level     = 0.95
)

// bestShare is the share of the best server-side method's nDCG@10 that
// Hearth with collaborative vectors (panel or transitions) must reach; the
// goal is all of it.
const bestShare = 0.95

// minFoldInAgreement is the mean top-10 overlap below which core's fold-in
// no longer ranks like the server's fold-in of the same factors.
const minFoldInAgreement = 0.8

// Verdict is one pass/fail judgement of a run: a quality target, or a check
// of the harness and of core's fold-in.
type Verdict struct {
	ID     string
	Target bool   // a quality target; otherwise a check
	Claim  string // what passing means
	Detail string // the numbers it is judged by
	Pass   bool
}

// paired is the paired bootstrap interval of the mean per-user a − b.
func (r *Run) paired(a, b []float64) metric.Interval {
	return metric.PairedBootstrap(a, b, resamples, level, r.Settings.Seed)
}

// side names where an interval lies with respect to zero: above (its low
// end above 0), below (its high end below 0) or neither.
func side(iv metric.Interval, above, below, neither string) string {
	switch {
	case iv.Lo > 0:
		return above
	case iv.Hi < 0:
		return below
	}
	return neither
}

// relation says where a paired difference's interval lies: "above",
// "below" or "indistinguishable from" what it is measured against.
func relation(iv metric.Interval) string {
	return side(iv, "above", "below", "indistinguishable from")
}

// scaled is f × each of v.
func scaled(v []float64, f float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = f * x
	}
	return out
}

// position says where an interval lies with respect to zero.
func position(iv metric.Interval) string { return side(iv, "above 0", "below 0", "contains 0") }

// goalWord says whether a goal judged by the interval of a difference is
// met (above 0), not shown (contains 0) or missed (below 0).
func goalWord(iv metric.Interval) string { return side(iv, "is met", "is missed", "is not shown") }

// ratio is a/b to three places, "—" where b is 0 and there is none.
func ratio(a, b float64) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", a/b)
}

func fmtIv(iv metric.Interval) string {
	return fmt.Sprintf("%+.4f [%+.4f, %+.4f]", iv.Mean, iv.Lo, iv.Hi)
}

// Verdicts judges the run: the quality targets by paired bootstrap
// intervals over users (a target passes when its interval lies above zero),
// then the checks of the harness.
func (r *Run) Verdicts() []Verdict {
	var out []Verdict
	def, pop := r.Get(RowDefault), r.Get(RowPopularity)
	if def != nil && pop != nil {
		iv := r.paired(def.NDCG, pop.NDCG)
		out = append(out, Verdict{
			ID: "gain", Target: true, Pass: iv.Lo > 0,
			Claim: "Hearth default: nDCG@10 above popularity's (paired interval of the difference above 0)",
			Detail: fmt.Sprintf("%.4f against %.4f; difference %s, %s",
				metric.Mean(def.NDCG), metric.Mean(pop.NDCG), fmtIv(iv), position(iv)),
		})
	}
	if def != nil {
		pass, parts := true, []string{fmt.Sprintf("Hearth default %.3f", metric.Mean(def.ILD))}
		for _, name := range []string{RowKNN, RowServerALS} {
			o := r.Get(name)
			if o == nil {
				continue
			}
			iv := r.paired(def.ILD, o.ILD)
			pass = pass && iv.Lo > 0
			parts = append(parts, fmt.Sprintf("%s %.3f, difference %s, %s", name, metric.Mean(o.ILD), fmtIv(iv), position(iv)))
		}
		out = append(out, Verdict{
			ID: "diversity", Target: true, Pass: pass,
			Claim:  "Hearth default: intra-list diversity above item-kNN's and ALS's (paired intervals of the differences above 0)",
			Detail: strings.Join(parts, "; "),
		})
	}
	for _, t := range collabRows {
		claim := fmt.Sprintf("Hearth with %s vectors: nDCG@10 at least %.2f × the best server-side method's (paired interval of Hearth − %.2f × best above 0)", t.what, bestShare, bestShare)
		if why := r.Unmeasured[t.row]; why != "" {
			out = append(out, Verdict{ID: t.what, Target: true, Claim: claim, Detail: "Not measured: the data cannot give the row: " + why})
			continue
		}
		best, res := r.BestServer(), r.Get(t.row)
		if best == nil || res == nil {
			continue
		}
		iv, goal := r.paired(res.NDCG, scaled(best.NDCG, bestShare)), r.paired(res.NDCG, best.NDCG)
		out = append(out, Verdict{
			ID: t.what, Target: true, Pass: iv.Lo > 0, Claim: claim,
			Detail: fmt.Sprintf("%.4f against %s's %.4f (ratio %s); Hearth − %.2f × %s per user: %s, %s. The goal of 1.0× %s: Hearth − %s %s, %s",
				metric.Mean(res.NDCG), best.Method, metric.Mean(best.NDCG), ratio(metric.Mean(res.NDCG), metric.Mean(best.NDCG)),
				bestShare, best.Method, fmtIv(iv), position(iv), goalWord(goal), best.Method, fmtIv(goal), position(goal)),
		})
	}

	lists := Verdict{ID: "lists", Pass: true,
		Claim:  "every list has min(10, candidates) distinct items, all candidates",
		Detail: fmt.Sprintf("%d methods × %d users", len(r.Results), len(r.Split.Users)),
	}
	for _, res := range r.Results {
		if err := checkLists(r.Split, res); err != nil {
			lists.Pass, lists.Detail = false, err.Error()
			break
		}
	}
	out = append(out, lists)
	if r.FoldInUsers > 0 {
		out = append(out, Verdict{
			ID: "fold-in", Pass: r.FoldInAgreement >= minFoldInAgreement,
			Claim: fmt.Sprintf("core's fold-in ranks like the server-side fold-in of the same panel factors (mean top-10 overlap at least %.0f%%)", 100*minFoldInAgreement),
			Detail: fmt.Sprintf("overlap %.1f%% over %d readers with at most %d history items",
				100*r.FoldInAgreement, r.FoldInUsers, foldInBound),
		})
	}
	return out
}

// ReportInfo is what the report says about how it was made.
type ReportInfo struct {
	Command  string
	Data     string // data set name, with its terms of use when known
	Date     string
	Plot     string // file name of the plot beside the report, "" for none
	TuneLog  []string
	Tuned    bool         // settings were tuned on validation in this run
	Previous *Settings    // the settings the quick run uses, when tuning chose others
	Seeds    []SeedFigure // the collaborative rows' validation figures per seed, when tuned
	Curves   []Sweep      // the accuracy-diversity curves, when swept
}

// WriteMarkdown writes the run as docs/quality.md. Every comparison in it
// is computed from the run.
func (r *Run) WriteMarkdown(w io.Writer, info ReportInfo) error {
	s, ds := r.Split, r.Split.Data
	words := ds.Words
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	targets, seen := 0, 0
	for _, u := range s.Users {
		targets += len(u.Targets)
		seen += len(u.Seen)
	}
	p("# Ranking quality\n\n")
	p("Hearth's on-device ranking beside server-side recommenders, measured on real interaction data in one run:\n")
	p("same split, same candidates, same metrics. Produced on %s by\n\n```\n%s\n```\n\n", info.Date, info.Command)
	p("Data: %s, %s layout. %d items, %d users, %d positive interactions (%s)",
		info.Data, words.Format, len(ds.Items), len(ds.Users), len(ds.Positive), words.Positive)
	if words.Seen != "" {
		p(" and %d other interactions (%s)", len(ds.Seen), words.Seen)
	}
	if ds.Undescribed > 0 {
		p(". Left out, for naming %ss the data set does not describe: %d interactions", words.Item, ds.Undescribed)
	}
	p(".\nThe data set is not part of the project; the run reads it from outside the repository.\n\n")

	p("## Protocol\n\n")
	pr := ds.Protocol
	p("- Per-user temporal holdout: every user with at least %d positives is a test user (%d users", max(pr.MinPositives, 2), len(s.Users))
	if len(s.Users) < s.Eligible {
		p(", a seeded sample of the %d eligible; the others are training data only", s.Eligible)
	}
	p(");\n")
	if pr.TargetFraction > 0 {
		p("  the latest %.0f%% of their positives by time (rounded down, at least one) are targets (%d in all), everything\n", 100*pr.TargetFraction, targets)
		p("  earlier is their history.\n")
	} else {
		p("  their latest positive is the target, everything earlier is their history.\n")
	}
	if pr.Universe == UniverseText {
		p("- Candidates: all %d %ss with text, minus every item the user interacted with before their first target", s.NumUniverse, words.Item)
	} else {
		p("- Candidates: the %d items that appear in anyone's history, minus every item the user interacted with before their first target", s.NumUniverse)
	}
	if words.Seen != "" {
		p("\n  (their history, and their other interactions before it, whatever the rating: %d such items left out in all).\n", seen)
	} else {
		p(" (their history).\n")
	}
	p("  Every method learns from histories only, never from anyone's targets")
	if len(ds.Tags) > 0 {
		p(" (tags a user wrote on their own held-out items are dropped too)")
	}
	p(".\n")
	p("- Metrics at %d: hit rate (any target in the list), nDCG (binary relevance, ideal list of min(10, targets) hits),\n", K)
	p("  catalogue coverage (share of candidates shown to anyone), intra-list diversity (mean pairwise Jaccard distance\n")
	p("  of %s sets), and the share of recommendations outside the reader's top %d %s (filter-bubble measure).\n", words.Topic, topTopics, words.Topics)
	p("  Intervals are %.0f%% percentile bootstraps over users (%d resamples); differences are paired (the same users\n", 100*level, resamples)
	p("  resampled for both methods). A comparison is stated as above or below only when its paired interval excludes 0.\n")
	if info.Tuned {
		p("- Settings of the baselines, of the panel and transition vectors and of the tuned row were tuned in this run on validation targets\n")
		p("  carved from the histories by the same holdout rule (")
		if pr.TargetFraction > 0 {
			p("the latest %.0f%% of each test user's history positives, at least one", 100*pr.TargetFraction)
		} else {
			p("each test user's last history positive")
		}
		p(", with popularity, tags and factors\n")
		p("  recomputed without them), never on test targets: Hearth's by their worst slice of users, the baselines' by\n")
		p("  their mean (see Slices). Hearth's default row is core's shipped policy, not tuned here.\n")
		p("- Decision rule for the collaborative rows, fixed before the run: the panel vectors' λ, the transition vectors'\n")
		p("  λ and α, and Hearth's weights (popularity, topic, freshness), diversity and interest half-life (how fast a\n")
		p("  reader's older events fade from the fold-in: %s days) on each kind of vectors are chosen\n", joinNumbers(collabHalfLives))
		p("  by the worst slice of (Hearth − %.2f × the best server-side baseline) on validation, the best baseline being\n", bestShare)
		p("  the one with the highest mean validation nDCG@10 after the baselines are tuned: the measure of their targets.\n")
		p("  The panel rows are averaged over the same %d cross-fittings on validation as on test.\n", crossFittings)
	} else {
		p("- Settings are the harness's stored ones (`Tuned` in tests/eval); Hearth's default row is core's shipped policy.\n")
	}
	reader := ReaderFor(ds)
	p("- Hearth runs as in the browser: the catalogue is built with the catalogue builder's text features (tokenise,\n")
	p("  stem, tf-idf, truncated SVD, int8) from %s, with a popularity prior from aggregate history\n", words.Text)
	p("  counts; it is encoded and decoded by core's codec; each reader's profile is built by `profile.Track`, one\n")
	p("  event per positive (a %s) at its own time; lists come from `rank.Engine.Recommend` with `Now` = the reader's\n", reader.Kind)
	p("  last history time. Core chooses each reader's blend on the device from the reader's own history (`rank`'s\n")
	p("  adapt): it keeps the freshness term only when the reader's liked or read items were fresher, when read, than\n")
	p("  the popularity-weighted mean of the catalogue then, at 95%% one-sided confidence. It sees the reader's\n")
	p("  history only, never a target.\n")
	p("- Collaborative vectors are built as a publisher builds them: the text catalogue goes through the builder's\n")
	p("  `collab.Attach` (what `hearth-catalog -transitions` and `-panel` run), which learns item factors by implicit ALS,\n")
	p("  maps the items without data from their text vectors (`Factors.MapText`), appends every item's text vector\n")
	p("  (`Factors.AppendText`) and ships the vectors int8 with YᵀY and λ;\n")
	p("  the device folds the reader in from their own history, each event's weight halving with every %d later moments\n", rank.RecentMoments)
	p("  of the reader's (`rank.RecentFactors`) on top of the interest half-life. Transition vectors: each user's history positives in\n")
	p("  time order, every consecutive pair counted, the counts summed over users into from,to,count rows, the only\n")
	p("  thing the builder sees")
	if r.transitCat != nil {
		tr := r.TransitReport
		p(" (%d rows summing %d pairs; %d items learned, %d mapped from their text, %d without a vector)",
			r.Transitions, r.Pairs, tr.Learned, tr.Mapped, tr.Without)
	}
	p(";\n  like a publisher's log, the counts include each reader's own history (never a target), as the server-side\n")
	p("  methods' data does. Panel vectors: the histories of one half of the users are the panel whose vectors rank the\n")
	p("  other half (two-fold cross-fitting: no reader's own history trains the vectors they are ranked with)")
	if r.fits != nil {
		p(".\n  The panel rows' figures are each reader's averaged over %d such cross-fittings, each with its own split of\n", len(r.fits))
		p("  the users and its own random start of the vectors (lists and cold-start figures are the first's). Items\n")
		var counts []string
		for _, fit := range r.fits {
			reps := fit.reports
			counts = append(counts, fmt.Sprintf("%d and %d (%d and %d)", reps[0].Learned, reps[1].Learned, reps[0].Mapped, reps[1].Mapped))
		}
		p("  learned by the two halves' vectors (and mapped from their text), by cross-fitting: %s", strings.Join(counts, ", "))
	}
	p(".\n\n")

	p("## Results\n\n")
	p("| method | learns from | HR@10 | nDCG@10 | nDCG@10 − popularity (paired) | coverage | diversity | outside top %s |\n", words.Topics)
	p("|---|---|---|---|---|---|---|---|\n")
	pop := r.Get(RowPopularity)
	for _, res := range r.Results {
		hr := metric.Bootstrap(res.HR, resamples, level, r.Settings.Seed)
		nd := metric.Bootstrap(res.NDCG, resamples, level, r.Settings.Seed)
		gain := "—"
		if pop != nil && res != pop {
			gain = fmtIv(r.paired(res.NDCG, pop.NDCG))
		}
		p("| %s | %s | %.3f [%.3f, %.3f] | %.4f [%.4f, %.4f] | %s | %.3f | %.3f | %.3f |\n",
			res.Method, Who[res.Method], hr.Mean, hr.Lo, hr.Hi, nd.Mean, nd.Lo, nd.Hi, gain,
			res.Coverage, metric.Mean(res.ILD), metric.Mean(res.Outside))
	}
	if len(r.Unmeasured) > 0 {
		p("\nNot measured, because this data cannot give them:\n\n")
		for _, row := range slices.Sorted(maps.Keys(r.Unmeasured)) {
			p("- %s: %s.\n", row, r.Unmeasured[row])
		}
	}
	p("\nSettings of each row:\n\n")
	for _, res := range r.Results {
		if n := r.Notes[res.Method]; n != res.Method {
			p("- %s: %s.\n", res.Method, n)
		}
	}
	p("\n")
	r.coldFigures(p)

	verdicts := r.Verdicts()
	p("## Targets\n\n")
	p("Each target passes when its paired %.0f%% interval lies above 0; an interval that contains 0 does not show the\n", 100*level)
	p("target met, and fails.\n\n")
	for _, v := range verdicts {
		if v.Target {
			p("- **%s**: %s. %s.\n", passWord(v.Pass), v.Claim, v.Detail)
		}
	}
	p("\n")
	r.sliceFigures(p, info)
	r.panelSizeFigures(p)
	r.observations(p, info)
	r.settings(p, info)

	if info.Plot != "" {
		p("## Accuracy and diversity\n\n![nDCG@10 against intra-list diversity](%s)\n\n", info.Plot)
		p("Each Hearth curve moves the policy's diversity (MMR strength) from 0.01 to 1 with the other settings fixed\n")
		p("(the text vectors' curve is core's shipped policy, the panel and transition vectors' curves their tuned settings);\n")
		p("the baselines are single points. Diversity is the mean pairwise\n")
		p("%s distance within a list.\n\n", words.Topic)
		r.shippedDiversity(p, info.Curves)
	}

	p("## Failures\n\n")
	failed := 0
	for _, v := range verdicts {
		if !v.Pass {
			kind := "check"
			if v.Target {
				kind = "target"
			}
			p("- %s %s failed: %s. %s.\n", kind, v.ID, v.Claim, v.Detail)
			failed++
		}
	}
	if failed == 0 {
		p("None: every target and check passed.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// coldFigures gives every row's figures on the targets the collaborative
// vectors had no data for, and compares the Hearth row concerned with the
// text default and the best server-side method on them.
func (r *Run) coldFigures(p func(string, ...any)) {
	sets := r.ColdSets()
	if len(sets) == 0 {
		return
	}
	p("## Items without data\n\n")
	p("Targets whose item the collaborative vectors had no data for, so that Hearth ranks it by a vector the builder\n")
	p("mapped from its text. Only targets among the reader's candidates count (no method can recommend another):\n\n")
	var shown []ColdSet
	pop := counts(r.Split)
	for _, c := range sets {
		p("- %s (%s): %s. %d targets of %d readers", c.Name, c.Row, c.What, c.Targets, len(c.Users))
		if len(c.Users) > 0 {
			var n []float64
			for _, ts := range c.targets {
				for _, t := range ts {
					n = append(n, pop[t])
				}
			}
			slices.Sort(n)
			p("; training histories holding such an item: median %g (every candidate target: median %g)", n[len(n)/2], r.medianTargetCount(pop))
			shown = append(shown, c)
		}
		p(".\n")
	}
	if len(shown) == 0 {
		p("\n")
		return
	}
	p("\nEach figure is over the readers with such a target, from the list the method made for them (the one scored\n")
	p("above), with only those targets relevant; intervals as above.\n\n")
	p("| method |")
	for _, c := range shown {
		p(" %s: HR@10 | %s: nDCG@10 |", c.Name, c.Name)
	}
	p("\n|---|%s\n", strings.Repeat("---|---|", len(shown)))
	ndcg := make([]map[string][]float64, len(shown))
	for k := range shown {
		ndcg[k] = map[string][]float64{}
	}
	for _, res := range r.Results {
		p("| %s |", res.Method)
		for k, c := range shown {
			hr, nd := c.Cold(res)
			ndcg[k][res.Method] = nd
			h := metric.Bootstrap(hr, resamples, level, r.Settings.Seed)
			n := metric.Bootstrap(nd, resamples, level, r.Settings.Seed)
			p(" %.3f [%.3f, %.3f] | %.4f [%.4f, %.4f] |", h.Mean, h.Lo, h.Hi, n.Mean, n.Lo, n.Hi)
		}
		p("\n")
	}
	p("\n")
	for k, c := range shown {
		nd := ndcg[k]
		if nd[c.Row] == nil {
			continue
		}
		var best string
		for _, name := range serverRows {
			if nd[name] != nil && (best == "" || metric.Mean(nd[name]) > metric.Mean(nd[best])) {
				best = name
			}
		}
		vs := func(name string) string {
			iv := r.paired(nd[c.Row], nd[name])
			return fmt.Sprintf("%s %s's %.4f (%s)", relation(iv), name, metric.Mean(nd[name]), fmtIv(iv))
		}
		p("- %s: %s scores nDCG@10 %.4f on them", c.Name, c.Row, metric.Mean(nd[c.Row]))
		if nd[RowDefault] != nil {
			p(", %s", vs(RowDefault))
		}
		if best != "" {
			p(",\n  %s (the best server-side method on them)", vs(best))
		}
		p(".\n")
	}
	p("\n")
}

// medianTargetCount is the median number of training histories holding a
// test target among the reader's candidates.
func (r *Run) medianTargetCount(pop []float64) float64 {
	var n []float64
	for k := range r.Split.Users {
		u := &r.Split.Users[k]
		cand := r.Split.candidateMask(u)
		for _, t := range u.Targets {
			if cand[t] {
				n = append(n, pop[t])
			}
		}
	}
	if len(n) == 0 {
		return 0
	}
	slices.Sort(n)
	return n[len(n)/2]
}

// days formats a number of days.
func days(d float32) string {
	if d == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%g days", d)
}

func passWord(pass bool) string {
	if pass {
		return "pass"
	}
	return "fail"
}

// observations states what else the run measured, each comparison with its
// paired interval.
func (r *Run) observations(p func(string, ...any), info ReportInfo) {
	get := r.Get
	pop, def := get(RowPopularity), get(RowDefault)
	if pop == nil || def == nil {
		return
	}
	words := r.Split.Data.Words
	p("## Observations\n\n")
	nd := func(res *Result) float64 { return metric.Mean(res.NDCG) }
	// vs says where a's nDCG@10 lies against b's, named what.
	vs := func(a, b *Result, what string) string {
		iv := r.paired(a.NDCG, b.NDCG)
		return fmt.Sprintf("%s %s (%s)", relation(iv), what, fmtIv(iv))
	}

	var parts []string
	for _, name := range []string{RowRecent, RowKNN, RowServerALS} {
		if o := get(name); o != nil {
			parts = append(parts, fmt.Sprintf("%s %.4f, %s", name, nd(o), vs(o, pop, "it")))
		}
	}
	p("- Against popularity's nDCG@10 of %.4f (paired differences): %s.\n", nd(pop), strings.Join(parts, "; "))

	if pa, als := get(RowPanelALS), get(RowServerALS); pa != nil && als != nil {
		p("- The shipped panel vectors (learned from the other half of the users), the reader folded in on the server and\n")
		p("  ranked by dot product, score nDCG@10 %.4f: %.0f%% of ALS trained on everyone's, %s.\n", nd(pa), 100*nd(pa)/nd(als), vs(pa, als, "it"))
	}
	if r.FoldInUsers > 0 {
		p("- Ranked by similarity alone, core's top 10 share %.1f%% of their items with a float64 server-side fold-in of the\n", 100*r.FoldInAgreement)
		p("  same panel factors that weighs the reader's events as core does and ranks by cosine (%d readers with at most %d history items, the most core folds in).\n", r.FoldInUsers, foldInBound)
	}
	if server, pa, panel := r.FoldInAsCore, get(RowPanelALS), get(RowPanel); server != nil && pa != nil && panel != nil {
		p("- That server-side fold-in, weighing events and ranking as core does, scores nDCG@10 %.4f,\n", nd(server))
		p("  %s. Hearth with panel vectors (%s)\n", vs(server, pa, "the plain fold-in's dot-product ranking"), r.Settings.Panel)
		p("  scores %.4f, %s and %s.\n", nd(panel), vs(panel, server, "that ranking"), vs(panel, pa, "the dot-product ranking"))
	}
	if tr, panel := get(RowTransit), get(RowPanel); tr != nil && panel != nil {
		p("- Hearth with transition vectors scores nDCG@10 %.4f, %s; it needs only\n", nd(tr), vs(tr, panel, "Hearth with panel vectors"))
		p("  aggregate counts, where the panel needs every panel member's history.\n")
	}
	for _, c := range collabRows {
		with, without := get(c.row), r.WithoutText[c.row]
		if with == nil || without == nil {
			continue
		}
		p("- Without the items' text in their vectors (`-collab-text-weight 0`), Hearth with %s vectors scores nDCG@10\n", c.what)
		p("  %.4f; with it (%g, the builder's default) %.4f, %s.\n", nd(without), r.Settings.textWeight(c.row == RowPanel), nd(with), vs(with, without, "without it"))
	}
	if t := get(RowTextOnly); t != nil {
		p("- Ranked by text similarity alone, Hearth scores nDCG@10 %.4f, %s.\n", nd(t), vs(t, pop, "popularity"))
	}
	if nf := r.NoFreshness; nf != nil {
		w := shippedWeights()
		p("- Core's default weighs freshness %g, with the half-life the catalogue builder derives from the items' dates\n", w.Freshness)
		p("  (%s here). Without that term the default scores nDCG@10 %.4f; the default with it is\n",
			days(r.textCat.Policy.FreshnessHalfLifeDays), nd(nf))
		p("  %s, and without it %s.\n", vs(def, nf, "the default without it"), vs(nf, pop, "popularity"))
		if a, d := r.aheadShare(pop), r.aheadShare(def); a >= 0 && d >= 0 {
			p("  Of the dated items recommended, popularity's are dated more than a day after the reader's time in %.1f%% of cases,\n", 100*a)
			p("  the default's in %.1f%%.\n", 100*d)
		}
		if dp := r.DatesPermuted; dp != nil {
			p("- Where the items' dates say nothing of what is read next (the same dates permuted among the items,\n")
			p("  as on a site whose readers do not follow its dates), the default scores nDCG@10 %.4f: %s,\n", nd(dp), vs(dp, pop, "popularity"))
			p("  and %s (a ranking dates do not move; the per-reader blend would match it by dropping freshness).\n",
				vs(dp, nf, "the default without freshness"))
		}
	}
	if als := get(RowServerALS); als != nil {
		out := func(a, b *Result) string {
			iv := r.paired(a.Outside, b.Outside)
			return fmt.Sprintf("%s (%+.3f [%+.3f, %+.3f])", relation(iv), iv.Mean, iv.Lo, iv.Hi)
		}
		p("- %.0f%% of the default's recommendations are outside the reader's top %d %s: %s ALS's %.0f%%,\n",
			100*metric.Mean(def.Outside), topTopics, words.Topics, out(def, als), 100*metric.Mean(als.Outside))
		p("  %s popularity's %.0f%% (paired differences of the share).\n", out(def, pop), 100*metric.Mean(pop.Outside))
	}
	if lm := get(RowLongMemory); lm != nil {
		sp := catalog.Policy{}.WithDefaults()
		p("- Core's shipped minimisation (retention %d d, interest half-life %g d, at most %d events) against a long memory\n",
			sp.RetentionDays, sp.InterestHalfLifeDays, sp.MaxEvents)
		p("  (%d d, %g d, %d events), with the same weights: the default's nDCG@10 is %s.\n",
			basePolicy.RetentionDays, basePolicy.InterestHalfLifeDays, basePolicy.MaxEvents, vs(def, lm, "the long memory's"))
	}
	if tu, lm := get(RowTuned), get(RowLongMemory); tu != nil && lm != nil {
		tuned, shipped := r.Settings.Text, shippedSettings()
		var differ []string
		if tuned.Weights != shipped.Weights {
			differ = append(differ, "weights")
		}
		if tuned.Diversity != shipped.Diversity {
			differ = append(differ, "diversity")
		}
		same := "are core's shipped ones"
		if len(differ) > 0 {
			same = "differ from core's shipped ones in their " + strings.Join(differ, " and ")
		}
		p("- The settings tuned on this data's validation targets (%s) %s\n", tuned, same)
		p("  (%s). With the same long memory, the tuned row's nDCG@10 is %s,\n", shipped, vs(tu, lm, "core's settings'"))
		iv := r.paired(tu.ILD, lm.ILD)
		p("  and its diversity %s theirs (%s).\n", relation(iv), fmtIv(iv))
	}
	seedObservation(p, info.Seeds)
	p("\n")
}

// settings lists every method's settings.
func (r *Run) settings(p func(string, ...any), info ReportInfo) {
	set := r.Settings
	sp := catalog.Policy{}.WithDefaults()
	p("## Settings\n\n")
	p("- Core's shipped policy (`Policy.WithDefaults`): %s; exploration %g; retention %d d, interest half-life %g d,\n",
		shippedSettings(), sp.Exploration, sp.RetentionDays, sp.InterestHalfLifeDays)
	p("  at most %d events. The freshness half-life is derived by the catalogue builder when the policy sets none\n", sp.MaxEvents)
	p("  (`pack.Build`, within [1, %d] days): %s on this data.\n", catalog.MaxHalfLifeDays, days(r.textCat.Policy.FreshnessHalfLifeDays))
	if info.Tuned {
		p("- Tuned row: %s, chosen by the worst slice's validation gain over popularity among settings whose\n", set.Text)
		p("  validation lists are more diverse than item-kNN's and ALS's.\n")
	} else {
		p("- Tuned row: %s.\n", set.Text)
	}
	p("- With panel vectors: %s; with transition vectors: %s", set.Panel, set.Transit)
	if info.Tuned {
		p(", each chosen by the worst slice of the\n  validation nDCG@10 minus %.2f × the best server-side baseline's", bestShare)
	}
	p(".\n")
	p("  %s\n", r.builderWeights())
	p("- Baselines: item-kNN k = %d; recency half-life %g days; server ALS d = %d, λ = %g, α = %g, %d iterations;\n",
		set.KNN, set.RecentHalfLifeDays, set.ServerALS.Dim, set.ServerALS.Lambda, set.ServerALS.Alpha, set.ServerALS.Iterations)
	reader := ReaderFor(r.Split.Data)
	p("  panel vectors (`collab.ALS`) d = %d, λ = %g with α = %g, the confidence core gives a %s (1 + %d × weight %g),\n",
		set.PanelALS.Dim, set.PanelALS.Lambda, set.PanelALS.Alpha, reader.Kind, coreALSAlpha, reader.Kind.Weight(reader.Dwell))
	p("  %d iterations, an item learning from a half's panel only when at least %d of its members have it (the builder's\n",
		set.PanelALS.Iterations, set.panelMinMembers())
	p("  privacy floor, `-panel-min-members`); transition vectors (`collab.Transitions`) d = %d, λ = %g, transition α = %g, %d iterations,\n",
		set.TransitALS.Dim, set.TransitALS.Lambda, set.TransitALS.Alpha, set.TransitALS.Iterations)
	p("  items two steps apart in the counts weighted %g (at most %d per item, the builder's defaults).\n",
		float64(collab.DefaultTwoStep), collab.DefaultTwoStepItems)
	p("  Both get one more dimension from `MapText` (the text map's residual, zero for learned items), then the items'\n")
	p("  unit text vectors appended at %g (panel) and %g (transitions) × the factors' RMS length (`collab.Options.TextWeight`).\n",
		set.textWeight(true), set.textWeight(false))
	p("- Text vectors: %d dimensions (catalogue builder, `pack.Options.Dim`).\n", set.TextDim)
	if info.Previous != nil {
		p("\nThe quick evaluation in `go test` uses other settings (`Tuned` in tests/eval): %s.\n", *info.Previous)
	}
	if len(info.TuneLog) > 0 {
		p("\n<details><summary>Tuning log (validation targets)</summary>\n\n```\n%s\n```\n</details>\n", strings.Join(info.TuneLog, "\n"))
	}
	p("\n")
}

// aheadShare is the mean share of a result's lists dated more than a day
// after the reader's time, among items with a date; −1 when no item shown
// has one.
func (r *Run) aheadShare(res *Result) float64 {
	var sum float64
	n := 0
	for i, l := range res.Lists {
		now := r.Split.Users[i].Now
		dated, ahead := 0, 0
		for _, it := range l {
			if pub := r.Split.Data.Items[it].Published; pub != 0 {
				dated++
				if pub > now+86400 {
					ahead++
				}
			}
		}
		if dated > 0 {
			sum += float64(ahead) / float64(dated)
			n++
		}
	}
	if n == 0 {
		return -1
	}
	return sum / float64(n)
}

// joinNumbers lists numbers as "a, b or c".
func joinNumbers(xs []float32) string {
	parts := make([]string, len(xs))
	for k, x := range xs {
		parts[k] = fmt.Sprintf("%g", x)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// builderWeights says which weights the catalogue builder ships with
// learned vectors when a policy sets none, and, where they differ from a
// collaborative row's, what the row scores with them.
func (r *Run) builderWeights() string {
	var same, differ []string
	for _, c := range r.builderCollab() {
		if c.row.Weights == c.ship {
			same = append(same, c.what)
			continue
		}
		part := fmt.Sprintf("for %s vectors %s", c.what, weightsText(c.ship))
		if res, row := r.WithBuilderWeights[c.name], r.Get(c.name); res != nil && row != nil {
			iv := r.paired(res.NDCG, row.NDCG)
			part += fmt.Sprintf(", with which the row scores %.4f (%s its own: %s)", metric.Mean(res.NDCG), relation(iv), fmtIv(iv))
		}
		differ = append(differ, part)
	}
	out := "A build that learns vectors, with a policy that sets no weights, ships (`collab.Weights`) "
	if len(same) > 0 {
		out += "the " + strings.Join(same, " and ") + " row's weights"
		if len(differ) > 0 {
			out += ", and "
		}
	}
	out += strings.Join(differ, "; ")
	return out + "; diversity stays the policy's."
}

// shippedDiversity says what the collaborative rows score at core's
// default diversity, which a build that learns vectors keeps unless its
// policy sets one (the rows use the diversity tuned for accuracy), read off
// the curves: nDCG@10 against the row's, paired, and diversity against
// the collaborative baselines'.
func (r *Run) shippedDiversity(p func(string, ...any), curves []Sweep) {
	d := catalog.Policy{}.WithDefaults().Diversity
	knn, als := r.Get(RowKNN), r.Get(RowServerALS)
	var parts []string
	for _, cw := range r.builderCollab() {
		row := r.Get(cw.name)
		k := slices.IndexFunc(curves, func(c Sweep) bool { return c.Row == cw.name })
		if row == nil || k < 0 {
			continue
		}
		for _, pt := range curves[k].Points {
			if pt.Diversity != d || pt.ndcg == nil {
				continue
			}
			iv := r.paired(pt.ndcg, row.NDCG)
			part := fmt.Sprintf("%s vectors %.4f (%s the row's %.4f: %s), diversity %.3f", cw.what,
				pt.NDCG, relation(iv), metric.Mean(row.NDCG), fmtIv(iv), pt.ILD)
			if knn != nil && als != nil {
				part += fmt.Sprintf(" (item-kNN %.3f, ALS %.3f)", metric.Mean(knn.ILD), metric.Mean(als.ILD))
			}
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return
	}
	p("At core's default diversity, %g, which a build that learns vectors keeps unless its policy sets one: %s.\n\n",
		d, strings.Join(parts, "; "))
}
