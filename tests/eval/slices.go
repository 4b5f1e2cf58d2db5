package eval

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/core/metric"
)

// Slices of the test users, for robustness: a setting that wins on
// average may lose in one period of the data or for one kind of reader,
// and a site's readers are some such mix. The users are cut twice, each
// cut into groups of (nearly) equal size: by the time their list is made
// (their last history event, so the period of their targets) into
// numPeriods periods, and by how many history positives they have into
// numActivity groups (light to heavy).
const (
	numPeriods  = 4
	numActivity = 3
)

// activityNames name the activity groups, lightest first.
var activityNames = [numActivity]string{"light", "medium", "heavy"}

// Slice is a group of a split's test users.
type Slice struct {
	Kind  string // "period" or "activity"
	Name  string // what the group is, with its range
	Users []int  // indices into Split.Users
}

// Slices cuts s's test users by period and by activity (numPeriods,
// numActivity); a cut has fewer groups when there are too few users.
// Users with equal keys stay in one group.
func Slices(s *Split) []Slice {
	var out []Slice
	when := func(i int) int64 { return s.Users[i].Now }
	for k, g := range cut(len(s.Users), numPeriods, func(i int) float64 { return float64(when(i)) }) {
		lo, hi := when(g[0]), when(g[len(g)-1])
		out = append(out, Slice{Kind: "period", Users: g,
			Name: fmt.Sprintf("period %d, lists made %s to %s", k+1, day(lo), day(hi))})
	}
	hist := func(i int) int { return len(s.Users[i].History) }
	groups := cut(len(s.Users), numActivity, func(i int) float64 { return float64(hist(i)) })
	for k, g := range groups {
		name := fmt.Sprintf("%d–%d history positives", hist(g[0]), hist(g[len(g)-1]))
		if len(groups) == numActivity {
			name = activityNames[k] + ", " + name
		}
		out = append(out, Slice{Kind: "activity", Users: g, Name: name})
	}
	return out
}

func day(t int64) string { return time.Unix(t, 0).UTC().Format("2006-01-02") }

// cut orders n users by key (ties by index) and cuts them into at most
// parts groups of nearly equal size, never between equal keys; each group
// is in key order.
func cut(n, parts int, key func(i int) float64) [][]int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a, b)) })
	var out [][]int
	start := 0
	for p := 1; p <= parts && start < n; p++ {
		end := int(math.Round(float64(p) * float64(n) / float64(parts)))
		if p == parts {
			end = n
		}
		for end < n && end > start && key(idx[end]) == key(idx[end-1]) {
			end++
		}
		if end <= start {
			continue
		}
		out = append(out, idx[start:end])
		start = end
	}
	return out
}

// of returns the values of a per-user metric for a slice's users.
func (sl Slice) of(values []float64) []float64 {
	out := make([]float64, len(sl.Users))
	for k, i := range sl.Users {
		out[k] = values[i]
	}
	return out
}

// worstGain is the robustness score every tuning choice is made by: the
// smallest, over slices, of the slice's mean nDCG@10 minus the
// reference's on the same users (popularity's, or bestShare × the best
// baseline's for the collaborative rows: Tune); and that slice.
func worstGain(sls []Slice, ndcg, ref []float64) (float64, Slice) {
	worst, at := math.Inf(1), Slice{}
	for _, sl := range sls {
		if g := metric.Mean(sl.of(ndcg)) - metric.Mean(sl.of(ref)); g < worst {
			worst, at = g, sl
		}
	}
	return worst, at
}

// sliceRows are the rows the slices table shows, with their columns'
// names.
var sliceRows = []struct{ row, name string }{
	{RowPopularity, "popularity"}, {RowKNN, "item-kNN"}, {RowServerALS, "ALS"},
	{RowDefault, "Hearth default"}, {RowPanel, "Hearth, panel vectors"}, {RowTransit, "Hearth, transition vectors"},
}

// sliceFigures reports every slice's nDCG@10 for sliceRows with the paired
// interval of the default's gain over popularity, names the worst slice,
// and states the tuning procedure the slices serve.
func (r *Run) sliceFigures(p func(string, ...any), info ReportInfo) {
	def, pop := r.Get(RowDefault), r.Get(RowPopularity)
	if def == nil || pop == nil {
		return
	}
	sls := Slices(r.Split)
	p("## Slices\n\n")
	p("The test users cut twice into groups of nearly equal size: by when their list is made (their last history\n")
	p("event, so the period of their targets) into %d periods, and by their number of history positives into %d\n", numPeriods, numActivity)
	p("activity groups, light to heavy. nDCG@10 of each group, and the paired interval of the default's gain over popularity:\n\n")
	p("| slice | users |")
	var shown []*Result
	for _, c := range sliceRows {
		if res := r.Get(c.row); res != nil {
			shown = append(shown, res)
			p(" %s |", c.name)
		}
	}
	p(" default − popularity (paired) |\n|---|---|%s---|\n", strings.Repeat("---|", len(shown)))
	above := 0
	var worst Slice
	var worstIv metric.Interval
	for k, sl := range sls {
		p("| %s | %d |", sl.Name, len(sl.Users))
		for _, res := range shown {
			p(" %.4f |", metric.Mean(sl.of(res.NDCG)))
		}
		iv := r.paired(sl.of(def.NDCG), sl.of(pop.NDCG))
		p(" %s |\n", fmtIv(iv))
		if iv.Lo > 0 {
			above++
		}
		if k == 0 || iv.Mean < worstIv.Mean {
			worst, worstIv = sl, iv
		}
	}
	p("\nThe default's gain over popularity is above 0 in %d of %d slices. Its smallest is in the %s slice\n", above, len(sls), worst.Kind)
	p("\"%s\": %s, %s.", worst.Name, fmtIv(worstIv), position(worstIv))
	best := r.BestServer()
	for _, c := range collabRows {
		res := r.Get(c.row)
		if res == nil || best == nil {
			continue
		}
		// A slice where the best method scores 0 has no ratio.
		var ratios []float64
		var names []string
		for _, sl := range sls {
			if b := metric.Mean(sl.of(best.NDCG)); b > 0 {
				ratios, names = append(ratios, metric.Mean(sl.of(res.NDCG))/b), append(names, sl.Name)
			}
		}
		if len(ratios) == 0 {
			continue
		}
		low := slices.Index(ratios, slices.Min(ratios))
		p(" Hearth with %s vectors reaches %.3f× to %.3f× of %s's nDCG@10 across the slices", c.what, ratios[low], slices.Max(ratios), best.Method)
		if len(ratios) < len(sls) {
			p(" (the %d of %d where %s scores above 0)", len(ratios), len(sls), best.Method)
		}
		p(", the least in \"%s\".", names[low])
	}
	p("\n\n")
	if info.Tuned {
		p("Tuning procedure: every setting of Hearth's this run chooses on validation targets (the collaborative vectors'\n")
		p("regularisation and Hearth's weights, diversity and interest half-life on each kind of vectors, listed in the\n")
		p("tuning log) is chosen by its worst slice: the validation users are cut the same way, the setting's mean\n")
		p("validation nDCG@10 minus a reference's is taken in each slice, and the setting whose smallest such gain is\n")
		p("largest wins, not the one with the best mean. The reference is what the row's target compares it with:\n")
		p("popularity for the text settings (chosen only among those more diverse than item-kNN and ALS on validation),\n")
		p("%.2f × the best server-side baseline on validation for the collaborative vectors and Hearth's settings on them.\n", bestShare)
		p("The server-side baselines' settings are chosen by their mean validation nDCG@10 instead, so that Hearth is\n")
		p("measured against their strongest setting on the measure the targets use. Not chosen here, and so not by slices:\n")
		p("core's shipped policy, the default row, whose constants are core's and whose per-reader blend is chosen on the\n")
		p("device from the reader's own history; the builder's defaults a publisher's build uses as they are (the\n")
		p("collaborative vectors' dimensions, iterations and two-step weight, the text vectors' dimensions); the plot's\n")
		p("diversity sweep; and the smaller panels (Panel size), which keep the panel row's settings.\n\n")
	}
}
