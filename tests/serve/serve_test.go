// Package serve_test measures the local server (web/serve behind net/http)
// under load from a second process on loopback: tests/serve/loadgen's
// command, built once per test binary. Benchmarks report requests/s and latency
// percentiles; they assert nothing about speed, which depends on the machine.
//
//	go test -run '^$' -bench . -benchtime 1x ./tests/serve/
package serve_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/stretchr/testify/require"

	hearthassets "github.com/hearth-dev/hearth/build/assets"
	"github.com/hearth-dev/hearth/tests/serve/fixture"
	"github.com/hearth-dev/hearth/tests/serve/loadgen"
	"github.com/hearth-dev/hearth/web/serve"
)

var tmpRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hearth-serve-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var loadgenBin = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(tmpRoot, "loadgen")
	var out bytes.Buffer
	cmd := exec.Command("go", "build", "-o", bin, "./loadgen/cmd/loadgen")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build loadgen: %w\n%s", err, out.String())
	}
	return bin, nil
})

// load runs loadgen as a separate process with args and parses its result.
func load(tb testing.TB, args ...string) loadgen.Result {
	tb.Helper()
	bin, err := loadgenBin()
	require.NoError(tb, err)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(tb, cmd.Run(), stderr.String())
	var r loadgen.Result
	require.NoError(tb, json.Unmarshal(stdout.Bytes(), &r), stdout.String())
	return r
}

func TestLoadgen_Run(t *testing.T) {
	dir := filepath.Join(tmpRoot, "fixture")
	_, err := fixture.Write(dir)
	require.NoError(t, err)
	srv := httptest.NewServer(serve.New(os.DirFS(dir), serve.Options{}))
	defer srv.Close()

	tests := []struct {
		name     string
		args     []string
		requests int64
		errors   int64
	}{
		{"catalogue", []string{"-url", srv.URL + "/catalogue.msgpack", "-header", "Accept-Encoding: br", "-c", "4", "-n", "300"}, 300, 0},
		{"two urls", []string{"-url", srv.URL + "/hearth.js", "-url", srv.URL + "/hearth.wasm", "-c", "2", "-n", "51"}, 51, 0},
		{"404 counted as errors", []string{"-url", srv.URL + "/missing", "-c", "2", "-n", "20"}, 20, 20},
		{"404 expected", []string{"-url", srv.URL + "/missing", "-status", "404", "-c", "2", "-n", "20"}, 20, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(t, tt.args...)
			require.Equal(t, tt.requests, r.Requests)
			require.Equal(t, tt.errors, r.Errors)
			require.Positive(t, r.Bytes)
			require.Positive(t, r.RPS)
			require.Positive(t, r.P50)
			require.LessOrEqual(t, r.P50, r.P95)
			require.LessOrEqual(t, r.P95, r.P99)
			require.LessOrEqual(t, r.P99, r.Max)
		})
	}
}

// realAssets builds the real assets once per test binary.
var realAssets = sync.OnceValues(func() (string, error) {
	root, err := shareddata.ModuleRoot(".")
	if err != nil {
		return "", err
	}
	report, err := hearthassets.Build(filepath.Join(tmpRoot, "dist"), hearthassets.Options{Root: root})
	if err != nil {
		return "", err
	}
	return filepath.Dir(report.Dir), nil
})

// BenchmarkServe_Load serves the real assets at /hearth/ from this process
// and loads it from loadgen: 8 keep-alive connections, up to the count or
// 15 s. Each iteration is one loadgen run; use -benchtime 1x.
func BenchmarkServe_Load(b *testing.B) {
	dist, err := realAssets()
	require.NoError(b, err)
	srv := httptest.NewServer(serve.New(os.DirFS(dist), serve.Options{}))
	defer srv.Close()
	// Without compression: the default transport would ask for gzip and
	// receive the tag of the gzip sibling.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	res, err := client.Get(srv.URL + "/hearth/hearth.js")
	require.NoError(b, err)
	res.Body.Close()
	loaderTag := res.Header.Get("ETag")

	cases := []struct {
		name string
		n    int
		args []string
	}{
		{"catalogue-br", 20000, []string{"-url", srv.URL + "/hearth/catalogue.msgpack", "-header", "Accept-Encoding: br"}},
		{"loader-304", 20000, []string{"-url", srv.URL + "/hearth/hearth.js", "-header", "If-None-Match: " + loaderTag, "-status", "304"}},
		{"engine-br", 2000, []string{"-url", srv.URL + "/hearth/hearth.wasm", "-header", "Accept-Encoding: br"}},
		{"not-found", 20000, []string{"-url", srv.URL + "/hearth/missing.js", "-status", "404"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			args := append([]string{"-c", "8", "-n", strconv.Itoa(c.n), "-d", "15s"}, c.args...)
			var r loadgen.Result
			for range b.N {
				r = load(b, args...)
				require.Zero(b, r.Errors)
			}
			b.ReportMetric(r.RPS, "req/s")
			b.ReportMetric(r.P50, "p50-ms")
			b.ReportMetric(r.P95, "p95-ms")
			b.ReportMetric(r.P99, "p99-ms")
			b.ReportMetric(float64(r.Bytes)/r.Seconds/(1<<20), "MiB/s")
		})
	}
}
