// Command hearth-worker builds Hearth's Cloudflare Worker: the files of an
// asset directory embedded into the web/serve handler compiled to
// WebAssembly, plus the glue wrangler deploys (see build/wrangler.toml).
// It prints the Worker's size against Cloudflare's limits.
//
// Usage:
//
//	go run ./build/cmd/hearth-worker -assets dist -out web/worker/build
//	go run ./build/cmd/hearth-worker -assets dist -include 'catalogue.msgpack*'
//	cd tests && npx wrangler dev -c ../build/wrangler.toml
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/hearth-dev/hearth/build/worker"
)

func main() {
	assets := flag.String("assets", "dist", "directory of the files to serve")
	out := flag.String("out", "web/worker/build", "directory to write the Worker into")
	include := flag.String("include", "", "comma-separated base-name patterns of the files to embed (default all), e.g. 'catalogue.msgpack*'")
	flag.Parse()
	var patterns []string
	if *include != "" {
		patterns = strings.Split(*include, ",")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := worker.Build(ctx, worker.Options{Assets: *assets, Out: *out, Include: patterns, Stderr: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-worker:", err)
		os.Exit(1)
	}
	fmt.Printf("embedded %d files from %s\n", len(res.Files), *assets)
	fmt.Printf("app.wasm  %9d raw %9d gzip %9d brotli\n", res.Wasm.Raw, res.Wasm.Gzip, res.Wasm.Brotli)
	fmt.Printf("bundle    %9d raw %9d gzip %9d brotli\n", res.Bundle.Raw, res.Bundle.Gzip, res.Bundle.Brotli)
	fmt.Printf("limits    %s of the free plan (%d gzip), %s of the paid plan (%d gzip)\n",
		percent(res.Bundle.Gzip, worker.FreeLimit), worker.FreeLimit,
		percent(res.Bundle.Gzip, worker.PaidLimit), worker.PaidLimit)
	if res.Bundle.Gzip > worker.PaidLimit {
		fmt.Fprintln(os.Stderr, "hearth-worker: the Worker exceeds Cloudflare's paid-plan size limit")
		os.Exit(1)
	}
}

// percent formats n as a share of limit.
func percent(n, limit int64) string {
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(limit))
}
