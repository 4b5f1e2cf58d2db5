// Package size measures what Hearth ships to readers and checks it against
// budgets: raw, gzip and brotli bytes of every file in a folder, and the
// brotli bytes of named groups of files (the loader, the engine, what loads
// without consent) against limits.
//
// # Why
//
// Every reader of a publisher's site downloads the loader, and every reader
// who turns personalization on downloads the engine. Size is part of the
// promise (a reader without consent costs the publisher almost nothing), so
// `make size` fails when a budget is broken; docs/size.md explains the
// numbers and where the engine's bytes go.
//
// # Example
//
//	files, err := size.Measure("dist")
//	if err != nil {
//		return err
//	}
//	if !size.Report(os.Stdout, files, size.Budgets) {
//		os.Exit(1)
//	}
package size

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
)

// KB is the unit of every budget.
const KB = 1024

// Budget limits the brotli bytes of a group of shipped files.
type Budget struct {
	// Name says what the group is, for the report.
	Name string
	// Files are the base names of the group's files; a file counts
	// wherever it lies under the measured folder.
	Files []string
	// Suffix, if set, adds every file whose name ends with it.
	Suffix string
	// Max is the brotli byte limit; over it the check fails.
	Max int
	// Goal, if set, is a tighter target: the report shows the distance.
	Goal int
}

// Budgets are Hearth's size budgets.
//
// Without consent the loader decides that personalization is off and stops
// there: it never starts the Worker, so hearth-worker.js, wasm_exec.js, the
// wasm and the catalogue are fetched only after consent (js/hearth.js,
// start and startWorker). esbuild bundles the loader's modules (recs.js,
// store.js, track.js) into hearth.js, so that one file is the whole cost of
// Hearth to a reader who has not opted in. If the loader ever fetches
// anything else before consent, add it to that budget.
var Budgets = []Budget{
	// The loader was 6.6 KB under a 10 KB budget until the embed came with
	// its own consent prompt (<hearth-consent>, TCF bridge, console
	// diagnostics: 2.2 KB) and the profile page's notices for a newer or
	// damaged profile (0.7 KB), 9.9 KB in all: 12 KB keeps room to grow
	// while staying a small fraction of the engine readers fetch after consent.
	{Name: "loader", Files: []string{"hearth.js"}, Max: 12 * KB},
	// A Go 1.26 js/wasm binary that imports only syscall/js, built with
	// -ldflags="-s -w" as the pipeline builds, is 432 KB of brotli
	// (docs/size.md), so the goal leaves 18 KB for the engine itself. The
	// ceiling is about 2 KB over the engine with the collector's policy
	// (wasm/main.go, about 2.5 KB; 551.3 KB at 207fcb9 before it, the
	// profile's JSON text moved to the Worker; 578.3 at c326ec8 with this
	// round's features in): a change that grows it must pay for itself first.
	{Name: "engine", Suffix: ".wasm", Max: 540 * KB, Goal: 450 * KB},
	{Name: "without consent", Files: []string{"hearth.js"}, Max: 15 * KB},
}

// File is the measured size of one shipped file.
type File struct {
	Name   string // slash-separated, relative to the measured folder
	Raw    int
	Gzip   int
	Brotli int
	// Sibling reports that Gzip and Brotli are the sizes of the .gz and
	// .br files beside it, the bytes a server sends, rather than computed
	// here.
	Sibling bool
}

// Measure returns the sizes of every file under dir, in name order. The
// .br and .gz siblings a build writes beside a file are not listed: their
// sizes are the file's Brotli and Gzip. Files without siblings are
// compressed here, at the best levels (brotli 11, gzip 9).
func Measure(dir string) ([]File, error) {
	var files []File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && path != dir && strings.HasPrefix(d.Name(), ".") {
			// Hidden files (the sibling index) are never served.
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext == ".br" || ext == ".gz" {
			if _, err := os.Stat(strings.TrimSuffix(path, ext)); err == nil {
				return nil // a sibling, counted with its file
			}
		}
		f, err := measure(path)
		if err != nil {
			return fmt.Errorf("measure %s: %w", path, err)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f.Name = filepath.ToSlash(rel)
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

func measure(path string) (File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	f := File{Raw: len(raw)}
	br, brErr := os.Stat(path + ".br")
	gz, gzErr := os.Stat(path + ".gz")
	if brErr == nil && gzErr == nil {
		f.Brotli, f.Gzip, f.Sibling = int(br.Size()), int(gz.Size()), true
		return f, nil
	}
	if f.Brotli, err = compressed(raw, func(w io.Writer) io.WriteCloser {
		return brotli.NewWriterLevel(w, brotli.BestCompression)
	}); err != nil {
		return File{}, err
	}
	f.Gzip, err = compressed(raw, func(w io.Writer) io.WriteCloser {
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression) // a valid level cannot fail
		return zw
	})
	return f, err
}

func compressed(raw []byte, newWriter func(io.Writer) io.WriteCloser) (int, error) {
	var buf bytes.Buffer
	w := newWriter(&buf)
	if _, err := w.Write(raw); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}

// Check is a budget applied to measured files.
type Check struct {
	Budget
	Matched []string // names of the files that count
	Brotli  int      // their brotli bytes
}

// Over reports whether the files exceed the budget.
func (c Check) Over() bool { return c.Brotli > c.Max }

// Apply applies each budget to files.
func Apply(files []File, budgets []Budget) []Check {
	var checks []Check
	for _, b := range budgets {
		c := Check{Budget: b}
		for _, f := range files {
			base := f.Name[strings.LastIndex(f.Name, "/")+1:]
			if slices.Contains(b.Files, base) || b.Suffix != "" && strings.HasSuffix(base, b.Suffix) {
				c.Matched = append(c.Matched, f.Name)
				c.Brotli += f.Brotli
			}
		}
		checks = append(checks, c)
	}
	return checks
}

// Report writes a table of files and a table of budgets to w and reports
// whether every budget holds. A budget none of whose files is present is
// shown as such and does not fail, so any folder can be measured.
func Report(w io.Writer, files []File, budgets []Budget) bool {
	var sum File
	fmt.Fprintf(w, "%-34s %10s %10s %10s\n", "file", "raw", "gzip", "brotli")
	for _, f := range files {
		mark := ""
		if !f.Sibling {
			mark = " (computed)"
		}
		fmt.Fprintf(w, "%-34s %10d %10d %10d%s\n", f.Name, f.Raw, f.Gzip, f.Brotli, mark)
		sum.Raw, sum.Gzip, sum.Brotli = sum.Raw+f.Raw, sum.Gzip+f.Gzip, sum.Brotli+f.Brotli
	}
	fmt.Fprintf(w, "%-34s %10d %10d %10d\n\n", "total", sum.Raw, sum.Gzip, sum.Brotli)

	ok := true
	fmt.Fprintf(w, "%-34s %10s %10s  %s\n", "budget (brotli)", "size", "limit", "status")
	for _, c := range Apply(files, budgets) {
		name := c.Name + " (" + strings.Join(c.Matched, ", ") + ")"
		if len(c.Matched) == 0 {
			fmt.Fprintf(w, "%-34s %10s %10s  no such file here\n", c.Name, "-", kb(c.Max))
			continue
		}
		status := "ok, " + kb(c.Max-c.Brotli) + " to spare"
		if c.Over() {
			ok = false
			status = "OVER by " + kb(c.Brotli-c.Max)
		}
		if c.Goal > 0 {
			if c.Brotli > c.Goal {
				status += "; goal " + kb(c.Goal) + ", " + kb(c.Brotli-c.Goal) + " to go"
			} else {
				status += "; within the " + kb(c.Goal) + " goal"
			}
		}
		fmt.Fprintf(w, "%-34s %10s %10s  %s\n", name, kb(c.Brotli), kb(c.Max), status)
	}
	return ok
}

// kb formats n bytes in KB with one decimal.
func kb(n int) string {
	return fmt.Sprintf("%.1f KB", float64(n)/KB)
}
