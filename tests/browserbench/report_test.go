package browserbench

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	goruntime "runtime"
	"slices"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/tests/browser"
)

// Report is the browser benchmark's result.
type Report struct {
	Machine MachineInfo    `json:"machine"`
	Config  map[string]int `json:"config"`
	Sizes   []SizeReport   `json:"sizes"`
}

// MachineInfo says where the figures were measured.
type MachineInfo struct {
	Date     string `json:"date"`
	CPUs     int    `json:"cpus"`
	CPU      string `json:"cpu"`
	Go       string `json:"go"`
	Chromium string `json:"chromium"`
	LoadAvg  string `json:"loadavg"` // at the start, /proc/loadavg's first three fields
}

// Machine describes this machine.
func Machine() MachineInfo {
	m := MachineInfo{Date: time.Now().UTC().Format(time.RFC3339), CPUs: goruntime.NumCPU(), Go: goruntime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	if exe, err := browser.FindChromium(); err == nil {
		if out, err := exec.Command(exe, "--version").Output(); err == nil {
			m.Chromium = strings.TrimSpace(string(out))
		}
	}
	return m
}

// SizeReport holds the figures of one catalogue size.
type SizeReport struct {
	Size           string `json:"size"`
	Items          int    `json:"items"`
	CatalogueBytes int    `json:"catalogueBytes"`
	Brotli         int    `json:"catalogueBrotli"`

	Cold  []Load `json:"cold"`
	Warm  []Load `json:"warm"`
	WarmB []Load `json:"warmB,omitempty"` // the other build's warm loads (HEARTH_BENCH_B)
	// Kept are a returning reader's loads with nothing changed: the
	// Worker's kept list is valid and shown before the engine starts.
	Kept               []Load     `json:"kept"`
	Recommend          Timings    `json:"recommend"`
	Track              Timings    `json:"track"`
	RoundTripLongTasks []LongTask `json:"roundTripLongTasks"`
	Memory             Memory     `json:"memory"`

	Side   Side  `json:"side"`
	Native Stats `json:"native"`
}

func firstRecs(loads []Load) Stats {
	var xs []float64
	for _, l := range loads {
		xs = append(xs, l.FirstRecs())
	}
	return Summarise(xs)
}

// longTasks returns every long task of the size's loads and round trips
// (the round trips' page also lists its own load's, counted once).
func (r SizeReport) longTasks() []LongTask {
	var all []LongTask
	for _, l := range r.Cold {
		all = append(all, l.LongTasks...)
	}
	for _, l := range r.Warm[:max(0, len(r.Warm)-1)] {
		all = append(all, l.LongTasks...)
	}
	for _, l := range r.Kept {
		all = append(all, l.LongTasks...)
	}
	return append(all, r.RoundTripLongTasks...)
}

// shiftRange is the largest CLS of the loads where <hearth-consent> showed,
// and how many of them it showed in.
func shiftRange(loads []Load) string {
	m, shown := 0.0, 0
	for _, l := range loads {
		if l.Prompt == "shown" {
			shown++
			m = max(m, l.CLS)
		}
	}
	return fmt.Sprintf("at most %.3g (prompt shown in %d of %d loads)", m, shown, len(loads))
}

func maxTask(ts []LongTask) float64 {
	m := 0.0
	for _, t := range ts {
		m = max(m, t.Duration)
	}
	return m
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func wasmMemory(m Memory) int64 {
	var sum int64
	for _, x := range m.Wasm {
		sum += x
	}
	return sum
}

// stepsTable writes, per size and kind of load, the median time of each of
// the Worker's hearth:<step> marks (js/hearth-worker.js, and any an
// instrumented engine adds) after the loader's start, in order of time.
func (r Report) stepsTable(w io.Writer) {
	type row struct {
		name  string
		loads []Load
	}
	var rows []row
	for _, s := range r.Sizes {
		rows = append(rows, row{s.Size + " cold", s.Cold}, row{s.Size + " warm", s.Warm})
		if len(s.WarmB) > 0 {
			rows = append(rows, row{s.Size + " warm, other side", s.WarmB})
		}
		if len(s.Kept) > 0 {
			rows = append(rows, row{s.Size + " kept", s.Kept})
		}
	}
	median := func(loads []Load, step string) (float64, bool) {
		var xs []float64
		for _, l := range loads {
			if at, ok := l.Steps[step]; ok {
				xs = append(xs, at-l.Start)
			}
		}
		return Summarise(xs).Median, len(xs) > 0
	}
	at := map[string]float64{}
	for _, rw := range rows {
		for _, l := range rw.loads {
			for step := range l.Steps {
				if _, seen := at[step]; !seen {
					at[step], _ = median(rw.loads, step)
				}
			}
		}
	}
	if len(at) == 0 {
		return
	}
	steps := slices.SortedFunc(maps.Keys(at), func(a, b string) int { return cmp.Compare(at[a], at[b]) })
	fmt.Fprintln(w, "Where the time goes: the Worker's hearth:<step> marks, ms after the loader's start (median over the loads):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| loads | "+strings.Join(steps, " | ")+" | recs in the page |")
	fmt.Fprintln(w, "|---|"+strings.Repeat("---|", len(steps)+1))
	for _, rw := range rows {
		fmt.Fprintf(w, "| %s |", rw.name)
		for _, step := range steps {
			if m, ok := median(rw.loads, step); ok {
				fmt.Fprintf(w, " %.0f |", m)
			} else {
				fmt.Fprint(w, " – |")
			}
		}
		fmt.Fprintf(w, " %.0f |\n", firstRecs(rw.loads).Median)
	}
	fmt.Fprintln(w)
}

// Print writes the report as text tables.
func (r Report) Print(w io.Writer) {
	var md strings.Builder
	r.Markdown(&md)
	fmt.Fprintln(w, md.String())
}

// Markdown writes the report as Markdown tables, the form docs/performance.md
// shows.
func (r Report) Markdown(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "Measured %s: %d CPUs (%s), load average %s; %s; %s.\n", m.Date, m.CPUs, m.CPU, m.LoadAvg, m.Go, m.Chromium)
	fmt.Fprintf(w, "Loads: %d cold, %d warm, %d kept; %d round trips of each kind.\n\n", r.Config["coldLoads"], r.Config["warmLoads"], r.Config["keptLoads"], r.Config["roundTrips"])

	fmt.Fprintln(w, "| items | catalogue (brotli) | first recs, cold (median) | first recs, warm (median, p95) | first recs, kept (median, p95) | recommend round trip (median, p95) | track round trip (median, p95) | long tasks > 50 ms (longest) | wasm memory | Worker JS heap |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, s := range r.Sizes {
		cold, warm, kept := firstRecs(s.Cold), firstRecs(s.Warm), firstRecs(s.Kept)
		lt := s.longTasks()
		fmt.Fprintf(w, "| %s | %s | %.0f ms | %.0f ms, %.0f ms | %.0f ms, %.0f ms | %.1f ms, %.1f ms | %.1f ms, %.1f ms | %d (%.0f ms) | %s | %s |\n",
			s.Size, mb(int64(s.Brotli)), cold.Median, warm.Median, warm.P95, kept.Median, kept.P95,
			s.Recommend.Median, s.Recommend.P95, s.Track.Median, s.Track.P95,
			len(lt), maxTask(lt), mb(wasmMemory(s.Memory)), mb(int64(s.Memory.JSHeapUsed)))
	}
	fmt.Fprintln(w)
	for _, s := range r.Sizes {
		if len(s.Cold) > 0 {
			fmt.Fprintf(w, "%s, layout shift (CLS) with <hearth-consent> shown: first view (cold) %s, warm %s, kept %s.\n", s.Size, shiftRange(s.Cold), shiftRange(s.Warm), shiftRange(s.Kept))
		}
	}
	fmt.Fprintln(w)
	for _, s := range r.Sizes {
		if len(s.WarmB) > 0 {
			a, b := firstRecs(s.Warm), firstRecs(s.WarmB)
			fmt.Fprintf(w, "%s, warm loads taking turns: this build %.0f ms (median; %.0f–%.0f), the other side (HEARTH_BENCH_B, HEARTH_BENCH_B_TEXT) %.0f ms (%.0f–%.0f).\n\n",
				s.Size, a.Median, a.Min, a.Max, b.Median, b.Min, b.Max)
		}
	}

	r.stepsTable(w)

	fmt.Fprintln(w, "| items | Go native | Go/wasm (median, p95) | JS reference (median, p95) | JS ÷ wasm (median) | same lists and reasons | load: Go/wasm, JS | wasm memory after load |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, s := range r.Sizes {
		d := s.Side
		ratio := 0.0
		if d.Go.Median > 0 {
			ratio = d.JS.Median / d.Go.Median
		}
		fmt.Fprintf(w, "| %s | %.2f ms | %.2f ms, %.2f ms | %.2f ms, %.2f ms | %.2f | %v | %.0f ms, %.0f ms | %s |\n",
			s.Size, s.Native.Median, d.Go.Median, d.Go.P95, d.JS.Median, d.JS.P95, ratio,
			d.Differ == 0 && slices.EqualFunc(d.GoRecs, d.JSRecs, func(a, b Rec) bool {
				return a.ID == b.ID && slices.Equal(a.Reasons, b.Reasons)
			}), d.GoLoadMs, d.JSLoadMs, mb(d.MemLoaded))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "Timelines (ms since navigation start; start is the loader's, ready is hearth:ready, recs the slot's DOM update, frame the next animation frame):")
	fmt.Fprintln(w)
	for _, s := range r.Sizes {
		for _, l := range append(append(append([]Load(nil), s.Cold...), s.Warm...), s.Kept...) {
			kind := "warm"
			if slices.Contains(l.Fetched, "hearth.wasm") {
				kind = "cold"
			} else if l.Kept {
				kind = "kept"
			}
			fmt.Fprintf(w, "- %s %s: start %.0f, ready %.0f, recs %.0f, frame %.0f; long tasks %d (longest %.0f); fetched %s\n",
				s.Size, kind, l.Start, l.Ready, l.Recs, l.Frame, len(l.LongTasks), maxTask(l.LongTasks), strings.Join(l.Fetched, " "))
			for _, f := range l.LongFrames {
				fmt.Fprintf(w, "  - %s\n", f)
			}
		}
	}
}
