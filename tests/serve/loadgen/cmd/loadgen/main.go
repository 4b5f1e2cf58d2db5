// Command loadgen runs package loadgen as a process of its own, so that the
// server under test and the load do not share a Go runtime, and prints one
// JSON object (loadgen.Result):
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
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/tests/serve/loadgen"
)

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
	res, err := loadgen.Run(urls, h, *conc, *count, *limit, *status)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}
