// Command hearth-catalog builds a Hearth catalogue from a publisher's feeds,
// JSON Lines or CSV files, and a policy file.
//
//	go run ./build/cmd/hearth-catalog -in feed.xml -in https://example.com/feed.json \
//		-policy policy.json -out public/
//
// It writes catalogue.<hash>.msgpack and catalogue.json (the manifest) into
// the -out directory, or exactly the -out file and a manifest beside it,
// with the .br and .gz copies servers send. -site warns about item URLs
// that are not on the site. -transitions and -panel learn collaborative
// item vectors from aggregate counts or a consenting panel (build/collab).
//
//	go run ./build/cmd/hearth-catalog inspect dist/hearth/catalogue.msgpack
//
// prints what a catalogue holds: items, policy, sizes, and whether its
// copies match it.
//
//	go run ./build/cmd/hearth-catalog panel -out panel.csv donated/*.json
//
// writes -panel's CSV from profiles that readers exported and gave the
// publisher, one member per file.
// docs/catalogue.md documents the inputs, the field mapping and the policy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hearth-catalog:", err)
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "inspect" {
		return inspect(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "panel" {
		return panelCmd(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("hearth-catalog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		inputs, prefixes list
		policyPath       = fs.String("policy", "", "policy `file` (JSON); absent means the engine's defaults")
		out              = fs.String("out", ".", "output directory, or a fixed file name")
		previous         = fs.String("previous", "", "previous catalogue `file`: keep its ids and topic order")
		merge            = fs.Bool("merge", false, "with -previous, keep items missing from the input")
		at               = fs.String("time", "", "generation `time` (RFC 3339 or Unix seconds); default: newest item's date")
		dim              = fs.Int("dim", pack.DefaultDim, "dimension of text vectors")
		noVectors        = fs.Bool("no-vectors", false, "build no item vectors")
		seed             = fs.Uint64("seed", pack.DefaultSeed, "seed of the randomized SVD")
		lang             = fs.String("lang", "", "language of items that do not name one (default English)")
		terms            = fs.Int("terms", pack.DefaultKeyTerms, "key terms per item")
		maxTopics        = fs.Int("topics", pack.DefaultMaxTopics, "maximum size of the topic vocabulary")
		minTopic         = fs.Int("topic-min-items", pack.DefaultMinTopicItems, "items that must share a tag for it to become a topic")
		itemTopics       = fs.Int("item-topics", pack.DefaultItemTopics, "maximum topics per item")
		gramPath         = fs.String("gram", "", "Gram matrix `file` for supplied vectors (dim×dim numbers)")
		lambda           = fs.Float64("lambda", pack.DefaultLambda, "ALS regularisation shipped with supplied vectors; with -panel or -transitions, the training's (default 50, or 200 with -transitions alone)")
		transitions      = fs.String("transitions", "", "learn item vectors from a from,to,count CSV `file` of item-to-item transition counts (build/collab/transitions.sh makes one from an access log)")
		panel            = fs.String("panel", "", "learn item vectors from a user,item,time CSV `file` of a consenting panel's interactions")
		collabDim        = fs.Int("collab-dim", collab.DefaultDim, "dimension of the vectors -transitions and -panel learn")
		textWeight       = fs.Float64("collab-text-weight", 0, fmt.Sprintf("how strongly an item's text joins the vectors -transitions and -panel learn (appended, relative to their length; 0 for none, at most 10; default %g, or %g with -transitions alone)", float64(collab.DefaultTextWeight), float64(collab.DefaultTextWeightTransit)))
		minMembers       = fs.Int("panel-min-members", collab.DefaultMinMembers, "panel members an item needs before -panel teaches its vector (a vector learned from fewer would point at their taste; 1 for no floor)")
		lenient          = fs.Bool("lenient", false, "skip refused items and duplicates with a warning instead of failing")
		keepText         = fs.Bool("keep-text", false, "keep item summaries and key terms in the catalogue (by default only with -merge, whose next build needs them; the engine never reads them)")
		omitText         = fs.Bool("omit-text", false, "leave item summaries and key terms out, even with -merge")
		synthetic        = fs.Int("synthetic", 0, "build a synthetic catalogue of `n` items instead of reading inputs")
		quiet            = fs.Bool("q", false, "no progress bar or summary")
		sizes            = fs.Bool("brotli", false, "also print the size of the .br sibling, as served precompressed")
		brotliLevel      = fs.Int("brotli-level", 0, "brotli quality of the .br sibling, 1-11 (0: the best, 11; lower builds large catalogues faster: 100,000 items in 33 s at 5, 113 s at 11)")
		site             = fs.String("site", "", "the `URL` the pages live under (https://example.com): warn about item URLs elsewhere, with the -url-prefix that fixes them")
		segments         = fs.Bool("segments", false, "write the catalogue in segments into the -out folder: a base, segments with what changed since, and catalogue.json listing them (docs/catalogue.md)")
		segmentPeriod    = fs.Duration("segment-period", pack.DefaultSegmentPeriod, "with -segments, merge the segments of each period once it is over")
		rebuildShare     = fs.Float64("rebuild-share", pack.DefaultRebuildShare, "with -segments, rebuild the base when its segments change more items than this share of it")
		rebuildAge       = fs.Duration("rebuild-age", 0, "with -segments, also rebuild the base once it is older than this (0: never for its age)")
		rebuild          = fs.Bool("rebuild", false, "with -segments, rebuild the base now (a changed policy takes effect with a rebuild)")
	)
	fs.Var(&inputs, "in", "input `file or URL` (RSS, Atom, JSON Feed, JSON Lines, JSON, CSV); repeatable")
	fs.Var(&prefixes, "url-prefix", "rewrite item URLs: `old=new` replaces a leading old with new; repeatable")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hearth-catalog [flags] [-in] input...\n       hearth-catalog inspect [-json] [-site URL] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	inputs = append(inputs, fs.Args()...)
	if len(inputs) == 0 && *synthetic == 0 {
		fs.Usage()
		return errors.New("no input: give -in or -synthetic")
	}

	opts := pack.Options{
		Dim: *dim, NoVectors: *noVectors, Seed: *seed, Language: *lang, KeyTerms: *terms,
		MaxTopics: *maxTopics, MinTopicItems: *minTopic, ItemTopics: *itemTopics, Merge: *merge,
		Lambda: float32(*lambda), KeepText: *keepText, OmitText: *omitText,
	}
	warn := func(err error) { fmt.Fprintln(stderr, "warning:", err) }
	opts.Notice = warn
	if *lenient {
		opts.Warn = warn
	}
	if *at != "" {
		t, err := parseTime(*at)
		if err != nil {
			return fmt.Errorf("-time: %w", err)
		}
		opts.Generated = t
	}
	var rewrites []func(string) string
	for _, p := range prefixes {
		old, new, ok := strings.Cut(p, "=")
		if !ok || old == "" {
			return fmt.Errorf("-url-prefix %q: want old=new", p)
		}
		rewrites = append(rewrites, pack.ReplacePrefix(old, new))
	}
	if len(rewrites) > 0 {
		opts.URL = func(u string) string {
			for _, r := range rewrites {
				if v := r(u); v != u {
					return v
				}
			}
			return u
		}
	}
	if *site != "" {
		if _, err := pack.CheckSite(nil, *site); err != nil {
			return fmt.Errorf("-site: %w", err)
		}
	}
	var pol catalog.Policy
	if *policyPath != "" {
		var err error
		if pol, err = pack.ReadPolicyFile(*policyPath); err != nil {
			return err
		}
	}
	if *previous != "" {
		prev, err := pack.Read(*previous)
		if err != nil {
			return fmt.Errorf("-previous: %w", err)
		}
		opts.Previous = prev
		if *merge && !hasText(prev) {
			fmt.Fprintf(stderr, "warning: -previous %s has no summaries or key terms (it was built without -merge or -keep-text): the items -merge carries over from it are described by their titles alone\n", *previous)
		}
	}
	learn := *transitions != "" || *panel != ""
	// Vectors are learned anew at every build: a previous catalogue's
	// learned vectors are not carried over, so a build that forgets the
	// flag would ship text vectors without a word.
	if p := opts.Previous; p != nil && len(p.Gram) > 0 && !learn && !*noVectors && *gramPath == "" {
		fmt.Fprintf(stderr, "warning: -previous %s has vectors learned from -transitions or -panel; this build has neither, so it ships text vectors: pass them again to keep learned vectors\n", *previous)
	}
	var in collab.Input
	var co collab.Options
	if learn {
		if *noVectors || *gramPath != "" {
			return errors.New("-transitions and -panel learn the item vectors: they do not go with -no-vectors or -gram")
		}
		co = collab.Options{Dim: *collabDim, Seed: *seed, MinMembers: *minMembers}
		// Unset, λ and the text weight are the options' defaults, which
		// depend on the kind of data.
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "lambda":
				co.Lambda = *lambda
			case "collab-text-weight":
				co.TextWeight = *textWeight
				if *textWeight == 0 {
					co.TextWeight = -1 // the flag's 0 is none; the option's is the default
				}
			}
		})
		if err := co.Check(); err != nil {
			return fmt.Errorf("collaborative vectors: %w", err)
		}
		var err error
		if in, err = readCollab(*transitions, *panel); err != nil {
			return err
		}
		if pol.Weights == (catalog.Weights{}) {
			// Core's default weights are for text vectors; learned ones
			// lead the score.
			pol.Weights = collab.Weights(in)
			if !*quiet {
				w := pol.Weights
				fmt.Fprintf(stdout, "policy: no weights given; learned vectors rank with similarity %g, topic %g, freshness %g, popularity %g\n",
					w.Similarity, w.Topic, w.Freshness, w.Popularity)
			}
		}
		if p := opts.Previous; p != nil && len(p.Gram) > 0 {
			// The vectors are learned again; carried items need text
			// vectors to be mapped from, not the old factors.
			cp := *p
			cp.Gram = nil
			opts.Previous = &cp
		}
	}
	if *gramPath != "" {
		g, err := readGram(*gramPath)
		if err != nil {
			return fmt.Errorf("-gram: %w", err)
		}
		opts.Gram = g
	}

	start := time.Now()
	var items []feed.Item
	if *synthetic > 0 {
		items = pack.Synthetic(*synthetic, opts.Seed)
	}
	for _, in := range inputs {
		its, err := feed.Read(ctx, in)
		if err != nil {
			// A refused item fails the build, since a silent skip would
			// hide a broken export. The input is read again, skipping
			// refused items: with -lenient to build from the rest,
			// otherwise to count the refusals for the message (a URL is
			// fetched twice, on this failure only).
			var ie *feed.ItemError
			if errors.As(err, &ie) {
				if *lenient {
					its, err = feed.ReadLenient(ctx, in, warn)
				} else {
					err = refusals(ctx, in, err)
				}
			}
			if err != nil {
				return err
			}
		}
		items = append(items, its...)
	}

	interactive := !*quiet && isTerminal(stderr)
	if interactive && len(items) >= 1000 {
		opts.Progress = progress(stderr)
	}
	if *segments {
		if learn || *previous != "" {
			return errors.New("-segments reads the previous catalogue from -out and keeps text vectors: it does not go with -previous, -transitions or -panel")
		}
		rep, err := pack.WriteSegments(items, pol, *out, pack.SegmentOptions{Build: opts, Period: *segmentPeriod,
			RebuildShare: *rebuildShare, RebuildAge: *rebuildAge, Rebuild: *rebuild, BrotliLevel: *brotliLevel})
		if err != nil {
			return fmt.Errorf("write segments: %w", err)
		}
		if !*quiet {
			what := fmt.Sprintf("a segment: %d added, %d replaced, %d removed", rep.Added, rep.Replaced, rep.Removed)
			switch {
			case rep.Rebuilt:
				what = "the base, rebuilt"
			case rep.Added+rep.Replaced+rep.Removed == 0:
				what = "no segment: nothing changed"
			}
			fmt.Fprintf(stdout, "%s: base %s, %d segments; wrote %s; %d segments merged, %d old files deleted, %.1fs\n",
				pack.ManifestName, rep.Manifest.Name, len(rep.Manifest.Segments), what, rep.Merged, len(rep.Deleted), time.Since(start).Seconds())
		}
		return nil
	}
	c, err := pack.Build(items, pol, opts)
	if err != nil {
		return err
	}
	if learn {
		if opts.Progress != nil {
			co.Progress = func(done, total int) { opts.Progress("collaborative vectors", done, total) }
		}
		rep, err := collab.Attach(c, in, opts.URL, co)
		if rep.Transitions > 1 && rep.FromRoot == rep.Transitions {
			fmt.Fprintf(stderr, "warning: all %d rows of -transitions leave from the site's root (/): pages sent with Referrer-Policy origin, strict-origin or no-referrer do not tell the server which page a reader came from; transitions need the browsers' default (strict-origin-when-cross-origin) or same-origin on the site's pages\n", rep.Transitions)
		}
		if rep.Unknown > 0 {
			fmt.Fprintf(stderr, "warning: %d names in -transitions or -panel are no catalogue item (most frequent: %s); rows naming them are left out\n",
				rep.Unknown, strings.Join(rep.Examples, ", "))
		}
		if err != nil {
			return fmt.Errorf("collaborative vectors: %w", err)
		}
		if !*quiet {
			fmt.Fprintf(stdout, "collaborative vectors: %d items learned (%s), %d mapped from their text, %d without a vector; dim %d%s\n",
				rep.Learned, collabRows(rep), rep.Mapped, rep.Without, rep.Dim, textDims(rep))
			if rep.Withheld > 0 {
				fmt.Fprintf(stdout, "panel: %d items have fewer than %d members (-panel-min-members), so the panel taught them nothing: the catalogue is public, and a vector learned from so few readers would point at their taste\n",
					rep.Withheld, co.MinMembers)
			}
		}
	}
	m, err := pack.WriteWith(c, *out, pack.WriteOptions{BrotliLevel: *brotliLevel})
	if err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	if !*quiet {
		fmt.Fprintf(stdout, "%s: %d items, %d topics, dim %d, %d bytes%s, %.1fs\n",
			m.Name, m.Items, len(c.Topics), c.Dim, m.Bytes, siblingSizes(m), time.Since(start).Seconds())
	}
	if *sizes {
		for _, s := range m.Siblings {
			if s.Encoding == "br" {
				fmt.Fprintf(stdout, "brotli: %d bytes (%.1f%% of %d)\n", s.Bytes, 100*float64(s.Bytes)/float64(m.Bytes), m.Bytes)
			}
		}
	}
	if *site != "" {
		off, err := pack.CheckSite(c.Items, *site)
		if err != nil {
			return err
		}
		warnOffSite(stderr, c, *site, off)
	}
	return nil
}

// readCollab reads the -transitions and -panel files.
func readCollab(transitions, panel string) (collab.Input, error) {
	var in collab.Input
	read := func(path string, fn func(f *os.File) error) error {
		if path == "" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return fn(f)
	}
	err := read(transitions, func(f *os.File) (err error) {
		in.Transitions, err = collab.ReadTransitions(f, transitions)
		return err
	})
	if err == nil && transitions != "" && len(in.Transitions) == 0 {
		err = fmt.Errorf("%s has no rows; from transitions.sh, that means no request in the log came from a page of its HOST: check HOST, and that the site's pages are not sent with Referrer-Policy no-referrer", transitions)
	}
	if err != nil {
		return in, fmt.Errorf("-transitions: %w", err)
	}
	err = read(panel, func(f *os.File) (err error) {
		in.Panel, err = collab.ReadPanel(f, panel)
		return err
	})
	if err != nil {
		return in, fmt.Errorf("-panel: %w", err)
	}
	return in, nil
}

// collabRows says how many rows of each input named catalogue items.
func collabRows(r collab.Report) string {
	var parts []string
	if r.Transitions > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d transition rows used", r.TransitionsUsed, r.Transitions))
	}
	if r.Panel > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d panel rows used, from %s", r.PanelUsed, r.Panel, plural(r.Members, "member")))
	}
	return strings.Join(parts, ", ")
}

// textDims says how many of the vectors' dimensions are the items' text,
// and at what weight.
func textDims(r collab.Report) string {
	if r.TextDims == 0 {
		return ""
	}
	return fmt.Sprintf(" (the last %d the items' text, at weight %g: -collab-text-weight)", r.TextDims, r.TextWeight)
}

// hasText reports whether any item of c has a summary or key terms.
func hasText(c *catalog.Catalogue) bool {
	for _, it := range c.Items {
		if it.Summary != "" || len(it.Terms) > 0 {
			return true
		}
	}
	return len(c.Items) == 0
}

func parseTime(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Parse(time.RFC3339, s)
}

// readGram reads dim×dim numbers separated by white space, commas or
// brackets (a JSON array, nested or flat, works too).
func readGram(path string) ([]float32, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g []float32
	for _, f := range strings.FieldsFunc(string(b), func(r rune) bool {
		return r == ',' || r == '[' || r == ']' || r == ' ' || r == '\n' || r == '\t' || r == '\r'
	}) {
		v, err := strconv.ParseFloat(f, 32)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a number", path, f)
		}
		g = append(g, float32(v))
	}
	return g, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws one bar per stage on w.
func progress(w io.Writer) func(stage string, done, total int) {
	var bar *progressbar.ProgressBar
	cur := ""
	return func(stage string, done, total int) {
		if stage != cur || bar == nil {
			if bar != nil {
				_ = bar.Finish()
			}
			cur = stage
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription(stage), progressbar.OptionShowCount(),
				progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	}
}

// refusals adds to the first refused item's error how many of the input's
// items are refused, and why, and what -lenient would build from the rest,
// so that a publisher can tell one odd item from a broken export.
func refusals(ctx context.Context, in string, first error) error {
	var reasons []string
	count := map[string]int{}
	kept, err := feed.ReadLenient(ctx, in, func(err error) {
		r := reason(err)
		if count[r] == 0 {
			reasons = append(reasons, r)
		}
		count[r]++
	})
	if err != nil && !errors.Is(err, feed.ErrEmpty) || len(reasons) == 0 {
		return first
	}
	refused := 0
	for i, r := range reasons {
		refused += count[r]
		reasons[i] = fmt.Sprintf("%d %s", count[r], r)
	}
	msg := fmt.Sprintf("refused: %d of %d items (%s)", refused, refused+len(kept), strings.Join(reasons, ", "))
	if len(kept) > 0 {
		msg += fmt.Sprintf("; -lenient skips them with a warning each and builds from the other %d", len(kept))
	}
	return fmt.Errorf("%w\n%s", first, msg)
}

// reason is what an item was refused for, without the item: its field and
// the innermost error ("published: date not understood").
func reason(err error) string {
	var ie *feed.ItemError
	if !errors.As(err, &ie) {
		return err.Error()
	}
	inner := ie.Err
	for u := errors.Unwrap(inner); u != nil; u = errors.Unwrap(inner) {
		inner = u
	}
	if ie.Field == "" {
		return inner.Error()
	}
	return ie.Field + ": " + inner.Error()
}
