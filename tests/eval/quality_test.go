package eval

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/stretchr/testify/require"
)

// Environment switches.
const (
	envReport = "HEARTH_EVAL_REPORT" // 1: tune, sweep, write docs/quality.md and its plot
	envData   = "HEARTH_EVAL_DATA"   // data set folder, MovieLens or MIND layout, relative to the repository (default: MovieLens small from ../shared/data)
	envAssert = "HEARTH_EVAL_ASSERT" // 1: fail the test on any failed target or check; 0: on none (see asserted)
	envOut    = "HEARTH_EVAL_OUT"    // folder of the report and its plot, relative to the repository (default: reportDir)
)

// reportDir is where the report and its plot go, relative to the
// repository: docs/ for the default data set, whose report the project
// ships, and eval-reports/<folder name>/ (ignored by git) for another, so
// that a run on a publisher's own data never overwrites docs/quality.md.
func reportDir(root, name string, isDefault bool) string {
	if dir := os.Getenv(envOut); dir != "" {
		return underRoot(root, dir)
	}
	if isDefault {
		return filepath.Join(root, "docs")
	}
	return filepath.Join(root, "eval-reports", name)
}

// reportDiversities are the points of the report's accuracy-diversity curves.
var reportDiversities = []float32{0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}

// dataSet returns the data set folder and how the report names it, and
// whether it is the default data set, skipping the test when that is
// absent (a fresh clone has no ../shared/data).
func dataSet(t *testing.T) (dir, name string, isDefault bool) {
	t.Helper()
	if dir := os.Getenv(envData); dir != "" {
		root, err := shareddata.Root()
		require.NoError(t, err)
		return underRoot(root, dir), filepath.Base(filepath.Clean(dir)), false
	}
	// MovieLens ml-latest-small is read from ../shared/data beside the
	// repository; HEARTH_EVAL_DATA points the same run at another data set.
	dir = shareddata.Dir(t, "movielens-latest-small")
	return dir, "GroupLens MovieLens ml-latest-small (research use only)", true
}

// underRoot resolves a folder given relative to the repository root,
// where make runs, since go test runs in the package's folder.
func underRoot(root, dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(root, dir)
}

// asserted says whether a failed verdict fails the test. HEARTH_EVAL_ASSERT
// decides when set; otherwise only runs on the default data set assert: the
// checks always, the quality targets when the report is written (make
// eval), after the whole report is.
func asserted(v Verdict, isDefault, report bool) bool {
	switch os.Getenv(envAssert) {
	case "1":
		return true
	case "0":
		return false
	}
	return isDefault && (!v.Target || report)
}

// TestQuality replays real interactions with every method on one split and
// judges the quality targets. With HEARTH_EVAL_REPORT=1 it first tunes
// every method on validation targets, then sweeps Hearth's diversity and
// rewrites docs/quality.md and docs/quality.png; a failed target or check
// is reported first and fails the test after.
func TestQuality(t *testing.T) {
	dir, name, isDefault := dataSet(t)
	report := os.Getenv(envReport) == "1"
	ds, err := Load(dir)
	require.NoError(t, err)
	o := Options{Tune: report, Logf: t.Logf}
	if report {
		o.Diversities = reportDiversities
	}
	a, err := Assess(ds, o)
	require.NoError(t, err)

	if report {
		root, err := shareddata.Root()
		require.NoError(t, err)
		out := reportDir(root, name, isDefault)
		require.NoError(t, os.MkdirAll(out, 0o755))
		command := evalCommand(name, isDefault, testTimeout())
		var md, png bytes.Buffer
		require.NoError(t, a.Report(&md, &png, ReportInfo{
			Command: command,
			Data:    name,
			Date:    time.Now().UTC().Format("2006-01-02"),
			Plot:    "quality.png",
		}))
		require.NoError(t, os.WriteFile(filepath.Join(out, "quality.png"), png.Bytes(), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(out, "quality.md"), md.Bytes(), 0o644))
		t.Logf("full evaluation done in %v; %s and its plot written", a.Elapsed.Round(time.Second), filepath.Join(out, "quality.md"))
	} else {
		t.Logf("quick evaluation done in %v; %s=1 tunes, sweeps and writes the report", a.Elapsed.Round(time.Millisecond), envReport)
	}

	for _, v := range a.Run.Verdicts() {
		t.Logf("%s %s: %s: %s", passWord(v.Pass), v.ID, v.Claim, v.Detail)
		if !v.Pass && asserted(v, isDefault, report) {
			t.Errorf("%s failed: %s: %s", v.ID, v.Claim, v.Detail)
		}
	}
}

// TestReportDir checks a run on another data set writes its report beside
// the repository's, never over docs/quality.md, unless told where.
func TestReportDir(t *testing.T) {
	t.Setenv(envOut, "")
	require.Equal(t, filepath.Join("repo", "docs"), reportDir("repo", "ml-latest-small", true))
	require.Equal(t, filepath.Join("repo", "eval-reports", "ml-1m"), reportDir("repo", "ml-1m", false))
	t.Setenv(envOut, "elsewhere")
	require.Equal(t, filepath.Join("repo", "elsewhere"), reportDir("repo", "ml-1m", false), "relative to the repository")
	abs := filepath.Join(t.TempDir(), "out")
	t.Setenv(envOut, abs)
	require.Equal(t, abs, reportDir("repo", "ml-1m", false))
}

func TestEvalCommand(t *testing.T) {
	const goTest = "go test -count=1 -run TestQuality -v -timeout "
	for _, c := range []struct {
		name      string
		isDefault bool
		timeout   time.Duration
		want      string
	}{
		{"ml-latest-small", true, time.Hour, "make eval   # HEARTH_EVAL_REPORT=1 " + goTest + "60m ./tests/eval/"},
		{"ml-1m", false, time.Hour, "HEARTH_EVAL_DATA=ml-1m make eval   # HEARTH_EVAL_REPORT=1 " + goTest + "60m ./tests/eval/"},
		{"ml-1m", false, 150 * time.Minute, "HEARTH_EVAL_DATA=ml-1m EVAL_TIMEOUT=150m make eval   # HEARTH_EVAL_REPORT=1 " + goTest + "150m ./tests/eval/"},
		{"ml-latest-small", true, 10 * time.Minute, "EVAL_TIMEOUT=10m make eval   # HEARTH_EVAL_REPORT=1 " + goTest + "10m ./tests/eval/"},
	} {
		require.Equal(t, c.want, evalCommand(c.name, c.isDefault, c.timeout))
	}
	require.Contains(t, evalCommand("ml-1m", false, 90*time.Second), "EVAL_TIMEOUT=1m30s ")
	require.Positive(t, testTimeout(), "go test always runs with a timeout")
}

// defaultEvalTimeout is the Makefile's EVAL_TIMEOUT when none is given.
const defaultEvalTimeout = 60 * time.Minute

// evalCommand is the command line the report names: make eval with the
// data set and the timeout the run had, where they are not the defaults,
// and the go test command it runs.
func evalCommand(name string, isDefault bool, timeout time.Duration) string {
	d := timeout.String()
	if timeout > 0 && timeout%time.Minute == 0 {
		d = fmt.Sprintf("%dm", timeout/time.Minute) // as the Makefile writes it: 60m
	}
	command := fmt.Sprintf("make eval   # %s=1 go test -count=1 -run TestQuality -v -timeout %s ./tests/eval/", envReport, d)
	if timeout != defaultEvalTimeout {
		command = fmt.Sprintf("EVAL_TIMEOUT=%s %s", d, command)
	}
	if !isDefault {
		command = fmt.Sprintf("%s=%s %s", envData, name, command)
	}
	return command
}

// testTimeout is this go test run's -timeout (0 when there is none).
func testTimeout() time.Duration {
	if f := flag.Lookup("test.timeout"); f != nil {
		if g, ok := f.Value.(flag.Getter); ok {
			if d, ok := g.Get().(time.Duration); ok {
				return d
			}
		}
	}
	return 0
}
