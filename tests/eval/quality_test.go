package eval

import (
	"bytes"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/metric"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/stretchr/testify/require"
)

// Environment switches.
const (
	envReport = "HEARTH_EVAL_REPORT" // 1: tune, sweep, write docs/quality.md and its plot
	envData   = "HEARTH_EVAL_DATA"   // data set directory (default: MovieLens small from ../shared/data)
	envFormat = "HEARTH_EVAL_FORMAT" // movielens or mind
)

// repoRoot returns the module root, where docs/ is.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := shareddata.Root()
	require.NoError(t, err)
	return root
}

// dataSet returns the data set directory and format, skipping the test when
// the default data set is absent (a fresh clone has no ../shared/data).
func dataSet(t *testing.T) (dir, format, name string) {
	t.Helper()
	if dir := os.Getenv(envData); dir != "" {
		format := os.Getenv(envFormat)
		if format == "" {
			format = "movielens"
		}
		return dir, format, filepath.Base(filepath.Clean(dir)) + " (" + format + " format, " + envData + ")"
	}
	// MovieLens ml-latest-small is read from ../shared/data beside the
	// repository; HEARTH_EVAL_DATA points the same run at another data set.
	dir = shareddata.Dir(t, "movielens-latest-small")
	return dir, "movielens", "GroupLens MovieLens ml-latest-small (research use only)"
}

// TestQuality replays real interactions with every method on one split and
// checks the quality targets. With HEARTH_EVAL_REPORT=1 it first tunes every
// method on validation targets, then sweeps Hearth's diversity and rewrites
// docs/quality.md and docs/quality.png.
func TestQuality(t *testing.T) {
	dir, format, name := dataSet(t)
	report := os.Getenv(envReport) == "1"
	start := time.Now()
	ds, err := Load(dir, format)
	require.NoError(t, err)
	s := NewSplit(ds)
	v := s.Validation()
	require.NotEmpty(t, s.Users, "no test users")
	held := s.Held()
	for k := range v.Held() {
		held[k] = true
	}
	t.Logf("%s: %d items, %d users, %d positives; %d test users, %d candidates", name, len(ds.Items), len(ds.Users), len(ds.Positive), len(s.Users), s.NumUniverse)

	set := Tuned
	set.PanelALS.Alpha = panelAlpha(ds)
	var tuneLog []string
	if report {
		set, err = Tune(v, set, held, func(format string, args ...any) {
			line := fmt.Sprintf(format, args...)
			tuneLog = append(tuneLog, line)
			t.Log(line)
		})
		require.NoError(t, err)
	}

	run, err := NewRun(s, set, held)
	require.NoError(t, err)
	run.Baselines()
	require.NoError(t, run.Hearth())
	for _, res := range run.Results {
		require.NoError(t, checkLists(s, res))
		nd := metric.Bootstrap(res.NDCG, resamples, level, set.Seed)
		t.Logf("%-45s HR@10 %.3f nDCG@10 %.4f [%.4f, %.4f] coverage %.3f diversity %.3f outside %.3f (%v)",
			res.Method, metric.Mean(res.HR), nd.Mean, nd.Lo, nd.Hi, res.Coverage, metric.Mean(res.ILD), metric.Mean(res.Outside), res.Elapsed.Round(time.Millisecond))
	}

	// The harness itself: collaborative baselines must beat popularity on
	// real data, and factors from a disjoint panel must come close to
	// factors trained on everyone.
	pop := run.Get(RowPopularity)
	for _, name := range []string{RowKNN, RowServerALS} {
		gain := metric.PairedBootstrap(run.Get(name).NDCG, pop.NDCG, resamples, level, set.Seed)
		require.Positive(t, gain.Lo, "%s should beat popularity: gain %s", name, fmtIv(gain))
	}
	require.GreaterOrEqual(t, metric.Mean(run.Get(RowPanelALS).NDCG), 0.9*metric.Mean(run.Get(RowServerALS).NDCG),
		"panel factors should keep 90%% of server ALS")

	// Core's fold-in is the server's fold-in: with similarity alone and
	// no diversity or exploration, the device's lists are the server-side
	// cosine ranking of the same panel factors.
	agree := foldInAgreement(t, run)
	run.FoldInAgreement = agree
	t.Logf("core fold-in vs server fold-in (cosine), users with at most 200 history items: mean top-10 overlap %.3f", agree)
	require.GreaterOrEqual(t, agree, 0.8, "core's fold-in should rank like the server-side fold-in of the same factors")
	cos := Evaluate(s, run.panel.Cosine())
	run.CosineNDCG = metric.Mean(cos.NDCG)
	t.Logf("server-side panel fold-in ranked by cosine, as core's similarity term does: nDCG@10 %.4f (dot product %.4f)",
		metric.Mean(cos.NDCG), metric.Mean(run.Get(RowPanelALS).NDCG))

	for _, tg := range run.Targets() {
		t.Logf("target %s: met %v: %s", tg.Name, tg.Met, tg.Detail)
		if asserted[tg.ID] {
			require.True(t, tg.Met, "target %s: %s", tg.Name, tg.Detail)
		}
	}

	if !report {
		t.Logf("quick evaluation done in %v; %s=1 tunes, sweeps and rewrites docs/quality.md", time.Since(start).Round(time.Millisecond), envReport)
		return
	}
	writeReport(t, run, name, tuneLog)
	t.Logf("full evaluation done in %v", time.Since(start).Round(time.Second))
}

// asserted are the targets TestQuality enforces: all of them.
var asserted = map[string]bool{"panel": true, "gain": true, "diversity": true}

// foldInAgreement ranks with Hearth's panel catalogue by similarity alone
// and compares its lists with the server-side cosine fold-in.
func foldInAgreement(t *testing.T, run *Run) float64 {
	t.Helper()
	pol := basePolicy
	pol.Exploration = 1e-9 // zero would mean the default
	h, err := run.panelHearth(HearthSettings{Weights: catalog.Weights{Similarity: 1}, Diversity: 1e-9}.policy(pol))
	require.NoError(t, err)
	core := Evaluate(run.Split, h)
	server := Evaluate(run.Split, run.panel.Cosine())
	var sum float64
	n := 0
	for i, u := range run.Split.Users {
		if len(u.History) > 200 { // core folds in at most 200 items
			continue
		}
		common := 0
		for _, it := range core.Lists[i] {
			if slices.Contains(server.Lists[i], it) {
				common++
			}
		}
		sum += float64(common) / K
		n++
	}
	require.Positive(t, n)
	return sum / float64(n)
}

func writeReport(t *testing.T, run *Run, name string, tuneLog []string) {
	t.Helper()
	docs := filepath.Join(repoRoot(t), "docs")
	require.NoError(t, os.MkdirAll(docs, 0o755))
	divs := []float32{0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	text, panel, err := run.Sweep(divs)
	require.NoError(t, err)
	labels := make([]string, len(divs))
	for k, d := range divs {
		if d == 0.01 || d == 0.5 || d == 1 {
			labels[k] = fmt.Sprintf("%g", d)
		}
	}
	series := []Series{
		{Name: "Hearth default", Color: color.RGBA{214, 96, 0, 255}, Marker: Circle, Line: true, Points: text, Labels: labels},
		{Name: "Hearth, panel vectors", Color: color.RGBA{0, 114, 178, 255}, Marker: Square, Line: true, Points: panel, Labels: labels},
	}
	for _, b := range []struct {
		row string
		c   color.RGBA
		m   Marker
	}{
		{RowPopularity, color.RGBA{90, 90, 90, 255}, Diamond},
		{RowRecent, color.RGBA{150, 150, 150, 255}, Diamond},
		{RowKNN, color.RGBA{0, 158, 115, 255}, Triangle},
		{RowServerALS, color.RGBA{204, 121, 167, 255}, Cross},
		{RowPanelALS, color.RGBA{86, 180, 233, 255}, Cross},
	} {
		res := run.Get(b.row)
		label := map[string]string{RowPanelALS: "panel ALS (server)", RowRecent: "recent popularity"}[b.row]
		if label == "" {
			label = b.row
		}
		series = append(series, Series{Name: label, Color: b.c, Marker: b.m,
			Points: []SweepPoint{{NDCG: metric.Mean(res.NDCG), ILD: metric.Mean(res.ILD)}}})
	}
	var png bytes.Buffer
	require.NoError(t, Plot(&png, "Accuracy and diversity as the policy's diversity goes from 0.01 to 1", series))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "quality.png"), png.Bytes(), 0o644))
	for k, d := range divs {
		t.Logf("diversity %.2f: default nDCG %.4f ILD %.3f; panel nDCG %.4f ILD %.3f", d, text[k].NDCG, text[k].ILD, panel[k].NDCG, panel[k].ILD)
	}

	info := ReportInfo{
		Command: fmt.Sprintf("make eval   # %s=1 go test -count=1 -run TestQuality -v -timeout 60m ./tests/eval/", envReport),
		Data:    name,
		Plot:    "quality.png",
		TuneLog: tuneLog,
	}
	quick := Tuned
	quick.PanelALS.Alpha = run.Settings.PanelALS.Alpha
	if !reflect.DeepEqual(quick, run.Settings) {
		info.Previous = &quick
		t.Logf("tuning chose settings other than Tuned: %+v", run.Settings)
	}
	var md bytes.Buffer
	require.NoError(t, run.WriteMarkdown(&md, info))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "quality.md"), md.Bytes(), 0o644))
}
