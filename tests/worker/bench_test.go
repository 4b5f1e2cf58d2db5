//go:build unix

package worker_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkWorker_ColdStart starts wrangler afresh for each iteration and
// reports how long the first request for the catalogue took (a new isolate:
// the Worker's module is compiled and the Go runtime started) and how long
// wrangler took to answer at all. Use a small -benchtime such as 3x: each
// iteration starts and stops workerd.
func BenchmarkWorker_ColdStart(b *testing.B) {
	s := start(b)
	var first, ready time.Duration
	for range b.N {
		w, err := runWrangler(s.wrangler, s.config, s.tmp, "/hearth/catalogue.msgpack")
		require.NoError(b, err)
		first += w.first
		ready += w.ready
		w.Stop()
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "first-ms")
	b.ReportMetric(ready.Seconds()/float64(b.N), "ready-s")
}

// BenchmarkWorker_Request measures one request at a time against the warm
// Worker and against the local handler, for the same files and headers.
// Each request to the Worker still starts a Go runtime (syumai/workers
// instantiates the module per request); the local handler is a plain
// net/http server.
func BenchmarkWorker_Request(b *testing.B) {
	s := start(b)
	res, err := s.client.Do(mustRequest(b, s.local+"/hearth/hearth.js", nil))
	require.NoError(b, err)
	res.Body.Close()
	loaderTag := res.Header.Get("ETag")

	cases := []struct {
		name   string
		path   string
		header map[string]string
		status int
	}{
		{"catalogue-br", "/hearth/catalogue.msgpack", map[string]string{"Accept-Encoding": "br"}, http.StatusOK},
		{"loader-br", "/hearth/hearth.js", map[string]string{"Accept-Encoding": "br"}, http.StatusOK},
		{"loader-304", "/hearth/hearth.js", map[string]string{"If-None-Match": loaderTag}, http.StatusNotModified},
		{"engine-br", "/hearth/hearth.wasm", map[string]string{"Accept-Encoding": "br"}, http.StatusOK},
		{"not-found", "/hearth/missing.js", nil, http.StatusNotFound},
	}
	for _, target := range []struct{ name, base string }{{"worker", s.worker}, {"local", s.local}} {
		for _, c := range cases {
			b.Run(target.name+"/"+c.name, func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				for b.Loop() {
					t0 := time.Now()
					res, err := s.client.Do(mustRequest(b, target.base+c.path, c.header))
					require.NoError(b, err)
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					require.NoError(b, err)
					require.Equal(b, c.status, res.StatusCode)
					lat = append(lat, time.Since(t0))
				}
				slices.Sort(lat)
				ms := func(q float64) float64 {
					return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond)
				}
				b.ReportMetric(ms(0.50), "p50-ms")
				b.ReportMetric(ms(0.95), "p95-ms")
				b.ReportMetric(ms(0.99), "p99-ms")
			})
		}
	}
}

func mustRequest(tb testing.TB, url string, header map[string]string) *http.Request {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(tb, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}
