package eval

import (
	"bytes"
	"fmt"
	"image/png"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/metric"
	"github.com/stretchr/testify/require"
)

// writeFiles writes name → content files into a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

// synthMovieLens is a MovieLens CSV folder without tags.csv: two tastes of
// users, each rating films of their genres high and the others low, at
// increasing times.
func synthMovieLens(t *testing.T, users, films int) string {
	t.Helper()
	genres := []string{"Drama|Romance", "Action|Sci-Fi", "Comedy", "Horror|Thriller"}
	var movies, ratings strings.Builder
	movies.WriteString("movieId,title,genres\n")
	for m := range films {
		fmt.Fprintf(&movies, "%d,\"Film %d, part %d (%d)\",%s\n", m+1, m, m%3, 1990+m%30, genres[m%len(genres)])
	}
	ratings.WriteString("userId,movieId,rating,timestamp\n")
	rng := rand.New(rand.NewPCG(1, 2))
	for u := range users {
		ts := int64(1_000_000_000 + u*1000)
		for _, m := range rng.Perm(films)[:films/2] {
			r := 1.5 + float64(rng.IntN(3))
			if m%2 == u%2 { // the user's taste: genres 0 and 2, or 1 and 3
				r = 4 + 0.5*float64(rng.IntN(3))
			}
			ts += int64(1 + rng.IntN(100))
			fmt.Fprintf(&ratings, "%d,%d,%.1f,%d\n", u+1, m+1, r, ts)
		}
	}
	return writeFiles(t, map[string]string{"movies.csv": movies.String(), "ratings.csv": ratings.String()})
}

// synthMIND is a folder in the MIND layout: articles in three categories,
// users who read and click within one of them.
func synthMIND(t *testing.T, users, articles int) string {
	t.Helper()
	cats := []string{"sports", "finance", "health"}
	words := map[string][]string{
		"sports":  {"match", "team", "league", "coach", "goal", "season"},
		"finance": {"market", "stocks", "bank", "rates", "profit", "bonds"},
		"health":  {"diet", "sleep", "doctor", "fitness", "heart", "walking"},
	}
	var news, behaviors strings.Builder
	rng := rand.New(rand.NewPCG(3, 4))
	for a := range articles {
		c := cats[a%len(cats)]
		w := words[c]
		fmt.Fprintf(&news, "N%d\t%s\t%s%d\t%s %s news %d\t%s and %s: %s report %d.\thttps://example.org/n%d\t[]\t[]\n",
			a, c, c, a%2, w[a%6], w[(a+1)%6], a, w[(a+2)%6], w[(a+3)%6], c, a, a)
	}
	start := time.Date(2019, 11, 11, 6, 0, 0, 0, time.UTC)
	imp := 0
	for u := range users {
		c := u % len(cats)
		own := func() int { return c + len(cats)*rng.IntN(articles/len(cats)) }
		var hist []string
		for range 3 {
			hist = append(hist, fmt.Sprintf("N%d", own()))
		}
		at := start.Add(time.Duration(u) * time.Hour)
		for range 3 {
			at = at.Add(time.Duration(10+rng.IntN(600)) * time.Minute)
			shown := []string{fmt.Sprintf("N%d-1", own()), fmt.Sprintf("N%d-0", rng.IntN(articles)), fmt.Sprintf("N%d-0", rng.IntN(articles))}
			imp++
			fmt.Fprintf(&behaviors, "%d\tU%d\t%s\t%s\t%s\n", imp, u, at.Format(mindTime), strings.Join(hist, " "), strings.Join(shown, " "))
		}
	}
	return writeFiles(t, map[string]string{"news.tsv": news.String(), "behaviors.tsv": behaviors.String()})
}

func TestLoadMovieLens_noTags(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"movies.csv":  "movieId,title,genres\n10,\"Sea, Again (1999)\",Drama\n20,Stars (2004),Sci-Fi|Action\n",
		"ratings.csv": "userId,movieId,rating,timestamp\n7,10,5.0,100\n7,20,2.5,90\n8,20,4.0,120\n8,99,5.0,130\n",
	})
	format, err := DetectFormat(dir)
	require.NoError(t, err)
	require.Equal(t, FormatMovieLens, format)
	ds, err := Load(dir)
	require.NoError(t, err)
	require.Empty(t, ds.Tags)
	require.Equal(t, "titles and genres", ds.Words.Text, "no tags, none claimed")
	require.Equal(t, "Sea, Again (1999)", ds.Items[0].Title)
	require.Equal(t, []Interaction{{User: 0, Item: 0, Time: 100}, {User: 1, Item: 1, Time: 120}}, ds.Positive)
	require.Equal(t, []Interaction{{User: 0, Item: 1, Time: 90}}, ds.Seen)
	require.Equal(t, 1, ds.Undescribed, "film 99 is not in movies.csv")
}

func TestLoadMIND_tempDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"news.tsv": "N1\tsports\tgolf\tA long drive\tThe open starts.\thttps://example.org/1\t[{\"Label\": \"Golf\"}]\t[]\n" +
			"N2\tnews\tworld\tTalks resume\t\thttps://example.org/2\t[]\t[]\n" +
			"N3\tnews\tworld\t\t\thttps://example.org/3\t[]\t[]\n",
		// Windows line ends on one line; a user whose earlier impression
		// comes later in the file.
		"behaviors.tsv": "1\tU9\t11/15/2019 8:55:42 AM\tN1\tN2-1 N3-1\r\n" +
			"2\tU9\t11/14/2019 1:00:00 PM\tN1\tN1-0 N2-0\n",
	})
	ds, err := Load(dir)
	require.NoError(t, err)
	require.Equal(t, "MIND", ds.Words.Format)
	require.Len(t, ds.Items, 2, "N3 has neither title nor abstract")
	require.Equal(t, []string{"U9"}, ds.Users)
	first := at("11/14/2019 1:00:00 PM")
	require.Equal(t, []Interaction{{User: 0, Item: 0, Time: first - 1}, {User: 0, Item: 1, Time: at("11/15/2019 8:55:42 AM")}}, ds.Positive)
	require.Equal(t, first, ds.Items[0].Published, "first shown in the earlier impression")
	require.Empty(t, ds.Seen, "an impression without a click is no interaction")
	require.Equal(t, 1, ds.Undescribed, "the click on N3, which has no text")
}

// TestAssess_anyData runs the whole report, tuning and plot included, on
// synthetic folders in both layouts, MovieLens without tags: the report is
// written whatever the verdicts, in the data set's own words.
func TestAssess_anyData(t *testing.T) {
	for _, tc := range []struct {
		name, dir  string
		want, not  []string
		candidates string
	}{
		{"movielens", synthMovieLens(t, 40, 40),
			[]string{"MovieLens layout", "a rating below 4 stars", "outside top genres", "titles and genres,"},
			[]string{"category", "tags a user wrote"}, "items that appear in anyone's history"},
		{"mind", synthMIND(t, 30, 30),
			[]string{"MIND layout", "outside top categories", "their latest positive is the target", "a read"},
			[]string{"genre", "stars", "film"}, "articles with text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Load(tc.dir)
			require.NoError(t, err)
			// A few dozen users: the builder's panel floor would leave
			// the smaller panels no item to learn.
			set := Tuned
			set.PanelMinMembers = 1
			a, err := Assess(ds, Options{Tune: true, Diversities: []float32{0.1, 0.5, 1}, Settings: &set})
			require.NoError(t, err)
			var md, plot bytes.Buffer
			require.NoError(t, a.Report(&md, &plot, ReportInfo{Command: "make eval", Data: tc.name, Date: "2019-11-15", Plot: "quality.png"}))
			_, err = png.Decode(&plot)
			require.NoError(t, err)
			text := md.String()
			for _, s := range append(tc.want, tc.candidates, "## Targets", "## Slices", "Tuning procedure: ", "## Items without data", "## Observations", "## Failures", "Produced on 2019-11-15", "(quality.png)", "| "+RowTransit+" |", "## Panel size", "| each half (the panel row) |", "How much the run's random parts move the collaborative rows",
				fmt.Sprintf("averaged over %d such cross-fittings", crossFittings)) {
				require.Contains(t, text, s)
			}
			for _, s := range tc.not {
				require.NotContains(t, text, s)
			}
			require.Len(t, a.Seeds, seedRuns)
			require.Equal(t, a.Run.Settings.Seed, a.Seeds[0].Seed)
			// Tune chose each collaborative row's interest half-life among
			// its candidates, and the row ran with it.
			for _, c := range []struct {
				row string
				h   HearthSettings
			}{{RowPanel, a.Run.Settings.Panel}, {RowTransit, a.Run.Settings.Transit}} {
				require.Contains(t, collabHalfLives, c.h.InterestHalfLifeDays, c.row)
				require.Contains(t, a.Run.Notes[c.row], fmt.Sprintf("interest half-life %g d", c.h.InterestHalfLifeDays), c.row)
			}
			// The collaborative rows' vectors carry the items' text, as a
			// build ships them, and the report says at what weight.
			require.Positive(t, a.Run.textCat.Dim)
			require.Equal(t, a.Run.textCat.Dim, a.Run.TransitReport.TextDims)
			require.EqualValues(t, collab.DefaultTextWeightTransit, a.Run.TransitReport.TextWeight)
			for _, fit := range a.Run.fits {
				for _, rep := range fit.reports {
					require.Equal(t, a.Run.textCat.Dim, rep.TextDims)
					require.EqualValues(t, collab.DefaultTextWeight, rep.TextWeight)
				}
			}
			require.Contains(t, text, fmt.Sprintf("unit text vectors appended at %g (panel) and %g (transitions) ×",
				float64(collab.DefaultTextWeight), float64(collab.DefaultTextWeightTransit)))
			// And the report says what the text adds, measured without it.
			for _, row := range []string{RowPanel, RowTransit} {
				res := a.Run.WithoutText[row]
				require.NotNil(t, res, row)
				require.Len(t, res.NDCG, len(a.Run.Split.Users))
				weight := map[string]float64{RowPanel: collab.DefaultTextWeight, RowTransit: collab.DefaultTextWeightTransit}[row]
				require.Contains(t, text, fmt.Sprintf("vectors scores nDCG@10\n  %.4f; with it (%g, the builder's default) %.4f, ",
					metric.Mean(res.NDCG), weight, metric.Mean(a.Run.Get(row).NDCG)))
			}
			// A row whose tuned weights are not the ones a build ships
			// is measured with those too, and the report says how it does.
			for _, c := range a.Run.builderCollab() {
				res := a.Run.WithBuilderWeights[c.name]
				require.Equal(t, c.row.Weights != c.ship, res != nil, c.name)
				if res != nil {
					require.Len(t, res.NDCG, len(a.Run.Split.Users))
					require.Contains(t, text, fmt.Sprintf(", with which the row scores %.4f (", metric.Mean(res.NDCG)))
				}
			}
			verdicts := a.Run.Verdicts()
			targets := 0
			for _, v := range verdicts {
				if v.Target {
					targets++
					require.Contains(t, text, fmt.Sprintf("- **%s**: %s", passWord(v.Pass), v.Claim))
				}
				if !v.Pass {
					require.Contains(t, text, v.ID+" failed: ")
				}
				if v.ID == "lists" {
					require.True(t, v.Pass, v.Detail)
				}
			}
			require.Equal(t, 4, targets)
		})
	}
}

// TestAssess_noPanel runs the whole report where the data cannot give the
// panel rows (no item has the floor's members in half the users, as on a
// data set of a dozen users): the rest of the run goes on, the panel
// target fails saying why, and the report says which rows are missing.
func TestAssess_noPanel(t *testing.T) {
	ds, err := Load(synthMovieLens(t, 40, 40))
	require.NoError(t, err)
	ds.Undescribed = 3 // as if three ratings named films movies.csv lacks
	set := Tuned
	set.PanelMinMembers = 1000
	a, err := Assess(ds, Options{Tune: true, Diversities: []float32{0.1, 1}, Settings: &set})
	require.NoError(t, err)
	run := a.Run
	require.ElementsMatch(t, []string{RowPanel, RowPanelALS}, slices.Collect(maps.Keys(run.Unmeasured)))
	require.Contains(t, run.Unmeasured[RowPanel], "fewer than 1000 members")
	require.Nil(t, run.Get(RowPanel))
	require.Nil(t, run.Get(RowPanelALS))
	require.NotNil(t, run.Get(RowTransit))
	require.NotNil(t, run.WithoutText[RowTransit])
	require.Nil(t, run.WithoutText[RowPanel])
	for _, c := range a.Curves {
		require.NotEqual(t, RowPanel, c.Row)
		require.Len(t, c.Points, 2, c.Row)
	}
	for _, f := range a.Seeds {
		require.True(t, math.IsNaN(f.Panel), "seed %d", f.Seed)
		require.False(t, math.IsNaN(f.Transit), "seed %d", f.Seed)
	}
	var panel *Verdict
	for _, v := range run.Verdicts() {
		if v.ID == "panel" {
			panel = &v
		}
	}
	require.NotNil(t, panel, "the panel target is judged, not left out")
	require.True(t, panel.Target)
	require.False(t, panel.Pass)
	require.Contains(t, panel.Detail, "Not measured: the data cannot give the row: ")

	var md, plot bytes.Buffer
	require.NoError(t, a.Report(&md, &plot, ReportInfo{Command: "make eval", Data: "few users", Date: "2019-11-15", Plot: "quality.png"}))
	_, err = png.Decode(&plot)
	require.NoError(t, err)
	text := md.String()
	for _, s := range []string{
		"Not measured, because this data cannot give them:\n\n- " + RowPanel + ": ",
		"- " + RowPanelALS + ": ",
		"target panel failed: ",
		"Hearth with panel vectors\n  scores not measured",
		"| " + RowTransit + " |",
		"Left out, for naming films the data set does not describe: 3 interactions.",
	} {
		require.Contains(t, text, s)
	}
	require.NotContains(t, text, "| "+RowPanel+" |")
	require.NotContains(t, text, "NaN")
}

// TestRun_Verdicts judges targets from made-up per-user numbers: a target
// passes only when its paired interval lies above zero.
func TestRun_Verdicts(t *testing.T) {
	s := NewSplit(blocks(20))
	n := len(s.Users)
	per := func(f func(i int) float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	noisy := func(base float64) []float64 { return noisyScores(n, base) }
	flat := func(v float64) []float64 { return per(func(int) float64 { return v }) }
	// swing is v ± 0.1 in turn: a mean difference of 0 from flat(v).
	swing := func(v float64) []float64 { return per(func(i int) float64 { return v + 0.2*float64(i%2) - 0.1 }) }
	res := func(name string, ndcg, ild []float64) *Result {
		return &Result{Method: name, NDCG: ndcg, ILD: ild, Lists: make([][]int, n)}
	}
	for _, tc := range []struct {
		name                  string
		def, pop, panel, best []float64
		defILD, knnILD        []float64
		gain, diversity, pnl  bool
		detail, goal          string
	}{
		{"all pass", noisy(0.3), noisy(0.2), noisy(0.55), noisy(0.5),
			noisy(0.8), noisy(0.7), true, true, true, "above 0", "is met"},
		{"at 0.95 of the best", noisy(0.3), noisy(0.2), noisy(0.5), noisy(0.5),
			noisy(0.8), noisy(0.7), true, true, true, "above 0", "is not shown"},
		{"equal is no gain", noisy(0.2), noisy(0.2), flat(0.45), flat(0.5),
			noisy(0.7), noisy(0.7), false, false, false, "below 0", "is missed"},
		{"noise straddles zero", swing(0.2), flat(0.2), swing(0.475), flat(0.5),
			swing(0.7), flat(0.7), false, false, false, "contains 0", "is not shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Run{Split: s, Settings: Tuned, Results: []*Result{
				res(RowPopularity, tc.pop, noisy(0.5)),
				res(RowKNN, noisy(0.1), tc.knnILD),
				res(RowServerALS, tc.best, tc.knnILD),
				res(RowDefault, tc.def, tc.defILD),
				res(RowPanel, tc.panel, noisy(0.5)),
				res(RowTransit, tc.panel, noisy(0.5)),
			}}
			got := map[string]Verdict{}
			for _, v := range r.Verdicts() {
				got[v.ID] = v
			}
			require.Equal(t, tc.gain, got["gain"].Pass, got["gain"].Detail)
			require.Equal(t, tc.diversity, got["diversity"].Pass, got["diversity"].Detail)
			for _, id := range []string{"panel", "transition"} {
				require.Equal(t, tc.pnl, got[id].Pass, got[id].Detail)
				require.Contains(t, got[id].Detail, tc.detail)
				require.Contains(t, got[id].Detail, "ALS's")
				require.Contains(t, got[id].Detail, "The goal of 1.0× "+tc.goal)
			}
		})
	}
}

// TestSliceFigures_zeroBest: a slice where the best server-side method
// scores 0 gives the collaborative rows no ratio, and the sentence says
// over how many slices the range runs, where it printed NaN× or +Inf×.
func TestSliceFigures_zeroBest(t *testing.T) {
	s := NewSplit(blocks(20))
	n := len(s.Users)
	sls := Slices(s)
	als := noisyScores(n, 0.5)
	for _, u := range sls[0].Users {
		als[u] = 0
	}
	res := func(name string, ndcg []float64) *Result {
		return &Result{Method: name, NDCG: ndcg, Lists: make([][]int, n)}
	}
	r := &Run{Split: s, Settings: Tuned, Results: []*Result{
		res(RowPopularity, noisyScores(n, 0.1)),
		res(RowServerALS, als),
		res(RowDefault, noisyScores(n, 0.3)),
		res(RowTransit, noisyScores(n, 0.4)),
	}}
	var b strings.Builder
	r.sliceFigures(func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }, ReportInfo{})
	text := b.String()
	require.Contains(t, text, "Hearth with transition vectors reaches ")
	require.Contains(t, text, fmt.Sprintf(" of ALS's nDCG@10 across the slices (the %d of %d where ALS scores above 0), the least in ", len(sls)-1, len(sls)))
	require.NotContains(t, text, "NaN")
	require.NotContains(t, text, "Inf")
	require.NotContains(t, text, "the least in \""+sls[0].Name)
}

// TestPanelSizeFigures checks the panel-size section names exactly the
// panels whose paired intervals clear each bar, and places the transition
// row against each panel by its interval.
func TestPanelSizeFigures(t *testing.T) {
	s := NewSplit(blocks(20))
	n := len(s.Users)
	noisy := func(base float64) []float64 { return noisyScores(n, base) }
	res := func(name string, ndcg []float64) *Result {
		return &Result{Method: name, NDCG: ndcg, Lists: make([][]int, n)}
	}
	folds := Folds(s.Data, 1)
	r := &Run{Split: s, Settings: Tuned, Results: []*Result{
		res(RowPopularity, noisy(0.1)),
		res(RowServerALS, noisy(0.5)),
		res(RowDefault, noisy(0.3)),
		res(RowPanel, noisy(0.5)),
		res(RowTransit, noisy(0.4)),
	}, fits: []*panelFit{{folds: folds, panel: folds}}}
	for _, ps := range []struct {
		members int
		ndcg    float64
	}{{1, -1}, {2, 0.2}, {5, 0.4}, {10, 0.48}} {
		size := PanelSize{Members: ps.members, Share: float64(ps.members) / float64(len(folds)/2)}
		if ps.ndcg >= 0 {
			size.Result = res(RowPanel, noisy(ps.ndcg))
		}
		r.PanelSizes = append(r.PanelSizes, size)
	}
	var b strings.Builder
	r.panelSizeFigures(func(format string, args ...any) { fmt.Fprintf(&b, format, args...) })
	text := b.String()
	half := fmt.Sprint(len(folds) / 2)
	require.Contains(t, text, "- Above 0.95 × ALS (interval above 0): the panels of 10 and "+half+" members per half.\n")
	require.Contains(t, text, "- Above Hearth's default on text vectors alone (interval above 0): the panels of 5, 10 and "+half+" members per half.\n")
	require.Contains(t, text, "scores 0.5000: above the panel of 2 members per half; indistinguishable from the panel of 5 members per half; below the panels of 10 and "+half+" members per half (paired intervals).\n")
	require.Contains(t, text, "| each half (the panel row) | "+half+" | 50.0% | 0.6000 | 1.000 |")
	require.Contains(t, text, "| 1/20 of each half | 1 | 2.5% | — | — | teaches nothing: no item has 5 of its members | — |\n", "a panel below the floor is a row, not a failure")
}

// noisyScores are n users' scores base + 0.05 × (user mod 5): mean base +
// 0.1, spread enough for a paired interval to have width.
func noisyScores(n int, base float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = base + 0.05*float64(i%5)
	}
	return out
}

// TestShippedDiversity reads the collaborative curves at core's default
// diversity and compares each with its row, paired; a curve without that
// point says nothing.
func TestShippedDiversity(t *testing.T) {
	s := NewSplit(blocks(20))
	n := len(s.Users)
	res := func(name string, ndcg []float64, ild float64) *Result {
		r := &Result{Method: name, NDCG: ndcg, ILD: make([]float64, n)}
		for i := range r.ILD {
			r.ILD[i] = ild
		}
		return r
	}
	r := &Run{Split: s, Settings: Tuned, Results: []*Result{
		res(RowKNN, noisyScores(n, 0.3), 0.7),
		res(RowServerALS, noisyScores(n, 0.4), 0.75),
		res(RowPanel, noisyScores(n, 0.4), 0.8),
		res(RowTransit, noisyScores(n, 0.4), 0.7),
	}}
	d := catalog.Policy{}.WithDefaults().Diversity
	curves := []Sweep{
		{Row: RowDefault, Points: []SweepPoint{{d, 0.1, 0.9, noisyScores(n, 0)}}},
		{Row: RowPanel, Points: []SweepPoint{{0.01, 0.5, 0.8, noisyScores(n, 0.4)}, {d, 0.45, 0.85, noisyScores(n, 0.35)}}},
		{Row: RowTransit, Points: []SweepPoint{{d, 0.5, 0.72, noisyScores(n, 0.4)}}},
	}
	var b strings.Builder
	r.shippedDiversity(func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }, curves)
	require.Equal(t, fmt.Sprintf("At core's default diversity, %g, which a build that learns vectors keeps unless its policy sets one: "+
		"panel vectors 0.4500 (below the row's 0.5000: -0.0500 [-0.0500, -0.0500]), diversity 0.850 (item-kNN 0.700, ALS 0.750); "+
		"transition vectors 0.5000 (indistinguishable from the row's 0.5000: +0.0000 [+0.0000, +0.0000]), diversity 0.720 (item-kNN 0.700, ALS 0.750).\n\n", d), b.String())

	b.Reset()
	r.shippedDiversity(func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }, curves[:1])
	require.Empty(t, b.String(), "no collaborative curve at the default")
}

// TestBuilderWeights names the weights a build ships with learned vectors
// and, for a row tuned to others, what the row scores with them, paired.
func TestBuilderWeights(t *testing.T) {
	s := NewSplit(blocks(20))
	n := len(s.Users)
	set := Tuned
	set.Panel.Weights = collab.PanelWeights
	set.Transit.Weights = catalog.Weights{Similarity: 2, Popularity: 1}
	r := &Run{Split: s, Settings: set, Results: []*Result{
		{Method: RowPanel, NDCG: noisyScores(n, 0.4)},
		{Method: RowTransit, NDCG: noisyScores(n, 0.4)},
	}, WithBuilderWeights: map[string]*Result{RowTransit: {NDCG: noisyScores(n, 0.3)}}}
	w := collab.TransitionWeights
	require.Equal(t, fmt.Sprintf("A build that learns vectors, with a policy that sets no weights, ships (`collab.Weights`) the panel row's weights, and "+
		"for transition vectors similarity %g, topic %g, freshness %g, popularity %g, with which the row scores 0.4000 (below its own: -0.1000 [-0.1000, -0.1000]); "+
		"diversity stays the policy's.", w.Similarity, w.Topic, w.Freshness, w.Popularity), r.builderWeights())
}

// TestSeedObservation: the seeds' spread of each row's ratio to ALS, and
// what it says where a row is unmeasured or ALS scores 0.
func TestSeedObservation(t *testing.T) {
	say := func(figs []SeedFigure) string {
		var b strings.Builder
		seedObservation(func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }, figs)
		return b.String()
	}
	text := say([]SeedFigure{{Seed: 1, ALS: 0.1, Panel: 0.1, Transit: 0.09}, {Seed: 2, ALS: 0.1, Panel: 0.11, Transit: 0.08}})
	require.Contains(t, text, "Hearth with panel vectors\n  scores 1.000× to 1.100× of ALS's nDCG@10 (this run's seed 1.000×, 1 of the other 1 above it), with transition vectors 0.800× to 0.900× ")
	text = say([]SeedFigure{{Seed: 1, ALS: 0.1, Panel: math.NaN(), Transit: 0.09}, {Seed: 2, ALS: 0, Panel: math.NaN(), Transit: 0.08}})
	require.Contains(t, text, "scores not measured (the validation data cannot give it), with transition vectors no ratio (ALS scores 0 on some seed);")
	require.NotContains(t, text, "Inf")
}
