package eval

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/core/metric"
)

// Options say how much of the evaluation to run.
type Options struct {
	// Tune chooses every method's settings on validation targets first.
	Tune bool
	// Diversities are the points of the plot's curves; none, no plot.
	Diversities []float32
	// Settings to start from (Tuned when nil).
	Settings *Settings
	// Logf receives progress lines (nil: none).
	Logf func(format string, args ...any)
}

// Assessment is one evaluation of a data set: every method on one split,
// the verdicts on it and what the report needs.
type Assessment struct {
	Run         *Run
	TuneLog     []string
	Tuned       bool
	Curves      []Sweep // the plot's curves
	Diversities []float32
	Elapsed     time.Duration
	// Seeds are the collaborative rows' validation figures under other
	// seeds (SeedSpread), when tuned.
	Seeds []SeedFigure
}

// Assess splits ds, tunes when asked, runs every method and measures
// core's fold-in. An error means the harness could not run; a target or
// check that fails is a verdict, never an error.
func Assess(ds *Dataset, o Options) (*Assessment, error) {
	start := time.Now()
	logf := o.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	s := NewSplit(ds)
	if len(s.Users) == 0 {
		return nil, fmt.Errorf("assess %s: no user has %d positives", ds.Name, max(ds.Protocol.MinPositives, 2))
	}
	v := s.Validation()
	// Tags on anyone's held-out items, test and validation alike, never
	// reach the text.
	held := s.Held()
	for k := range v.Held() {
		held[k] = true
	}
	logf("%s: %d items, %d users, %d positives, %d other interactions; %d test users (%d eligible), %d candidates",
		ds.Name, len(ds.Items), len(ds.Users), len(ds.Positive), len(ds.Seen), len(s.Users), s.Eligible, s.NumUniverse)
	if ds.Undescribed > 0 {
		logf("%s: left out, for naming %ss the data set does not describe: %d interactions", ds.Name, ds.Words.Item, ds.Undescribed)
	}

	set := Tuned
	if o.Settings != nil {
		set = *o.Settings
	}
	set.PanelALS.Alpha = panelAlpha(ds)
	a := &Assessment{Tuned: o.Tune, Diversities: o.Diversities}
	if o.Tune && len(v.Users) > 0 {
		var err error
		set, err = Tune(v, set, held, func(format string, args ...any) {
			line := fmt.Sprintf(format, args...)
			a.TuneLog = append(a.TuneLog, line)
			logf("%s", line)
		})
		if err != nil {
			return nil, fmt.Errorf("assess %s: tune: %w", ds.Name, err)
		}
		if a.Seeds, err = SeedSpread(v, set, held); err != nil {
			return nil, fmt.Errorf("assess %s: seeds: %w", ds.Name, err)
		}
		for _, f := range a.Seeds {
			logf("seed %d (validation): ALS %.4f, Hearth with panel vectors %.4f, with transition vectors %.4f", f.Seed, f.ALS, f.Panel, f.Transit)
		}
	}
	run, err := NewRun(s, set, held)
	if err != nil {
		return nil, fmt.Errorf("assess %s: %w", ds.Name, err)
	}
	a.Run = run
	// A large data set takes a long while in each stage: say what runs.
	for _, stage := range []struct {
		what string
		run  func() error
	}{
		{"server-side baselines", run.Baselines},
		{"Hearth's rows", run.Hearth},
		{"the collaborative rows without the items' text", run.MeasureText},
		{"core's fold-in against the server's", run.FoldIn},
		{"smaller panels", run.MeasurePanelSizes},
	} {
		logf("test split: %s (%v in)", stage.what, time.Since(start).Round(time.Second))
		if err := stage.run(); err != nil {
			return nil, fmt.Errorf("assess %s: %s: %w", ds.Name, stage.what, err)
		}
	}
	for _, ps := range run.PanelSizes {
		if ps.Result == nil {
			logf("panel of %d users per half: teaches nothing (no item has %d members)", ps.Members, set.panelMinMembers())
			continue
		}
		logf("panel of %d users per half: Hearth with panel vectors nDCG@10 %.4f", ps.Members, metric.Mean(ps.Result.NDCG))
	}
	for _, res := range run.Results {
		iv := metric.Bootstrap(res.NDCG, resamples, level, set.Seed)
		logf("%-42s HR@10 %.3f nDCG@10 %.4f [%.4f, %.4f] coverage %.3f diversity %.3f outside %.3f (%v)",
			res.Method, metric.Mean(res.HR), iv.Mean, iv.Lo, iv.Hi, res.Coverage, metric.Mean(res.ILD), metric.Mean(res.Outside), res.Elapsed.Round(time.Millisecond))
	}
	if len(o.Diversities) > 0 {
		if a.Curves, err = run.Sweep(o.Diversities); err != nil {
			return nil, fmt.Errorf("assess %s: sweep: %w", ds.Name, err)
		}
		for k, d := range o.Diversities {
			var parts []string
			for _, c := range a.Curves {
				parts = append(parts, fmt.Sprintf("%s nDCG %.4f ILD %.3f", c.Row, c.Points[k].NDCG, c.Points[k].ILD))
			}
			logf("diversity %.2f: %s", d, strings.Join(parts, "; "))
		}
	}
	a.Elapsed = time.Since(start)
	return a, nil
}

// Report writes the report's Markdown, and its plot when the assessment
// swept diversities and plot is not nil.
func (a *Assessment) Report(md, plot io.Writer, info ReportInfo) error {
	run := a.Run
	info.TuneLog, info.Tuned, info.Seeds, info.Curves = a.TuneLog, a.Tuned, a.Seeds, a.Curves
	if a.Tuned {
		quick := Tuned
		quick.PanelALS.Alpha = run.Settings.PanelALS.Alpha
		if !reflect.DeepEqual(quick, run.Settings) {
			info.Previous = &quick
		}
	}
	if plot == nil || len(a.Curves) == 0 {
		info.Plot = ""
	} else {
		var b bytes.Buffer
		if err := Plot(&b, "Accuracy and diversity as the policy's diversity goes from 0.01 to 1",
			fmt.Sprintf("intra-list diversity (mean %s distance within a list)", run.Split.Data.Words.Topic), a.series()); err != nil {
			return err
		}
		if _, err := plot.Write(b.Bytes()); err != nil {
			return fmt.Errorf("write plot: %w", err)
		}
	}
	return run.WriteMarkdown(md, info)
}

// series are the plot's curves and baseline points.
func (a *Assessment) series() []Series {
	labels := make([]string, len(a.Diversities))
	for k, d := range a.Diversities {
		if k == 0 || k == len(a.Diversities)-1 || d == 0.5 {
			labels[k] = fmt.Sprintf("%g", d)
		}
	}
	var series []Series
	for _, c := range a.Curves {
		s := Series{Line: true, Points: c.Points, Labels: labels}
		switch c.Row {
		case RowDefault:
			s.Name, s.Color, s.Marker = "Hearth, text vectors", color.RGBA{214, 96, 0, 255}, Circle
		case RowPanel:
			s.Name, s.Color, s.Marker = "Hearth, panel vectors", color.RGBA{0, 114, 178, 255}, Square
		case RowTransit:
			s.Name, s.Color, s.Marker = "Hearth, transition vectors", color.RGBA{0, 0, 0, 255}, Triangle
		default:
			s.Name, s.Color, s.Marker = c.Row, color.RGBA{0, 0, 0, 255}, Circle
		}
		series = append(series, s)
	}
	for _, b := range []struct {
		row, label string
		c          color.RGBA
		m          Marker
	}{
		{RowPopularity, "popularity", color.RGBA{90, 90, 90, 255}, Diamond},
		{RowRecent, "recent popularity", color.RGBA{150, 150, 150, 255}, Diamond},
		{RowKNN, "item-kNN", color.RGBA{0, 158, 115, 255}, Triangle},
		{RowServerALS, "ALS", color.RGBA{204, 121, 167, 255}, Cross},
		{RowPanelALS, "panel ALS (server)", color.RGBA{86, 180, 233, 255}, Cross},
	} {
		if res := a.Run.Get(b.row); res != nil {
			series = append(series, Series{Name: b.label, Color: b.c, Marker: b.m,
				Points: []SweepPoint{{NDCG: metric.Mean(res.NDCG), ILD: metric.Mean(res.ILD)}}})
		}
	}
	return series
}
