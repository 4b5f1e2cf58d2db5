// Package loadgen is a small HTTP load generator for Hearth's serving
// benchmarks: GET requests over keep-alive connections from a fixed number
// of workers, until a request count or a time limit, whichever comes first.
// Its command (cmd/loadgen) runs it as a process of its own, so that the
// server under test and the load do not share a Go runtime, and prints the
// Result as JSON; the tests decode that into the same type.
package loadgen

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what a run measured, as the command prints it.
type Result struct {
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	Bytes    int64   `json:"bytes"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
}

// Run sends up to count requests from conc workers for at most limit.
func Run(urls []string, h http.Header, conc int, count int64, limit time.Duration, want int) (Result, error) {
	client := &http.Client{
		Transport: &http.Transport{
			MaxIdleConnsPerHost: conc,
			// The header flags decide the encoding; the transport must
			// not add gzip and decode behind our back.
			DisableCompression: true,
		},
		Timeout: 30 * time.Second,
	}
	var (
		next, errs, bytes atomic.Int64
		mu                sync.Mutex
		lat               []time.Duration
		wg                sync.WaitGroup
	)
	deadline := time.Now().Add(limit)
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := next.Add(1) - 1
				if i >= count || time.Now().After(deadline) {
					break
				}
				t0 := time.Now()
				n, err := get(client, urls[i%int64(len(urls))], h, want)
				mine = append(mine, time.Since(t0))
				bytes.Add(n)
				if err != nil {
					errs.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lat) == 0 {
		return Result{}, errors.New("no request was sent")
	}
	slices.Sort(lat)
	ms := func(q float64) float64 {
		return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond)
	}
	return Result{
		Requests: int64(len(lat)),
		Errors:   errs.Load(),
		Bytes:    bytes.Load(),
		Seconds:  elapsed.Seconds(),
		RPS:      float64(len(lat)) / elapsed.Seconds(),
		P50:      ms(0.50),
		P95:      ms(0.95),
		P99:      ms(0.99),
		Max:      ms(1),
	}, nil
}

// get sends one request and reads the whole body, so that the connection is
// reused and the transfer is part of the latency.
func get(client *http.Client, url string, h http.Header, want int) (int64, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header = h.Clone()
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return n, err
	}
	if res.StatusCode != want {
		return n, fmt.Errorf("status %d", res.StatusCode)
	}
	return n, nil
}
