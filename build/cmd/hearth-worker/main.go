// Command hearth-worker builds Hearth's Cloudflare Worker: the files of an
// asset directory as Workers static assets, and the web/serve handler
// compiled to WebAssembly in front of them, plus the glue wrangler deploys
// (see build/wrangler.toml). It prints the Worker's size (script and wasm,
// gzip, as wrangler counts it) against Cloudflare's free-plan limit and the
// static assets against theirs, and fails when the build does not fit the
// free plan.
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
	include := flag.String("include", "", "comma-separated base-name patterns of the files to serve (default all), e.g. 'catalogue.msgpack*'")
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
	fmt.Printf("Worker     app.wasm %d raw; upload %d raw, %d gzip: %s of the free plan's %d (paid plan: %s of %d)\n",
		res.Wasm.Raw, res.Bundle.Raw, res.Bundle.Gzip,
		percent(res.Bundle.Gzip, worker.FreeLimit), worker.FreeLimit,
		percent(res.Bundle.Gzip, worker.PaidLimit), worker.PaidLimit)
	fmt.Printf("assets     %d files, %d bytes in %s/%s (free plan: %d files); largest %s, %d bytes (limit %d per file)\n",
		res.Assets.Files, res.Assets.Bytes, *out, worker.AssetsDir, worker.AssetFilesLimit,
		res.Assets.Largest, res.Assets.LargestSize, worker.AssetSizeLimit)
	if err := res.FreePlan(); err != nil {
		fmt.Fprintln(os.Stderr, "hearth-worker:", err)
		os.Exit(1)
	}
}

// percent formats n as a share of limit.
func percent(n, limit int64) string {
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(limit))
}
