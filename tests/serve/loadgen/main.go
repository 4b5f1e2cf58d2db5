// Command loadgen is a small HTTP load generator for Hearth's serving
// benchmarks. It runs as a process of its own, so the server under test and
// the load do not share a Go runtime, sends GET requests over keep-alive
// connections from a fixed number of workers, stops after a request count or
// a time limit, whichever comes first, and prints one JSON object:
//
//	{"requests":20000,"errors":0,"bytes":...,"seconds":1.9,"rps":10500,
//	 "p50_ms":0.6,"p95_ms":1.4,"p99_ms":2.2,"max_ms":9.1}
//
// Usage:
//
//	loadgen -url http://127.0.0.1:8080/hearth/catalogue.msgpack -c 8 -n 20000 -d 20s \
//		-header 'Accept-Encoding: br'
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what loadgen prints.
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

// headerFlags collects repeated -header flags.
type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

func main() {
	var urls, headers headerFlags
	flag.Var(&urls, "url", "URL to request (repeat to cycle through several)")
	flag.Var(&headers, "header", "request header 'Name: value' (repeatable)")
	conc := flag.Int("c", 8, "concurrent connections")
	count := flag.Int64("n", 10000, "maximum number of requests")
	limit := flag.Duration("d", 20*time.Second, "maximum duration")
	status := flag.Int("status", http.StatusOK, "status code counted as success")
	flag.Parse()
	if len(urls) == 0 || *conc < 1 || *count < 1 {
		flag.Usage()
		os.Exit(2)
	}
	h := http.Header{}
	for _, kv := range headers {
		k, v, ok := strings.Cut(kv, ":")
		if !ok {
			fmt.Fprintf(os.Stderr, "loadgen: bad header %q\n", kv)
			os.Exit(2)
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	res, err := run(urls, h, *conc, *count, *limit, *status)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// run sends up to count requests from conc workers for at most limit.
func run(urls []string, h http.Header, conc int, count int64, limit time.Duration, want int) (Result, error) {
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
