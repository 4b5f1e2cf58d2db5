// Command hearth-assets builds Hearth's browser files (engine, scripts,
// demo catalogue, precompressed copies) into a folder and prints their sizes.
// A catalogue already in the folder that is not the demo's (a publisher's,
// from hearth-catalog) is kept.
//
//	go run ./build/cmd/hearth-assets -out dist
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hearth-dev/hearth/build/assets"
	"github.com/hearth-dev/hearth/web/serve"
)

func main() {
	out := flag.String("out", "dist", "output folder; files go to <out>/hearth/")
	quiet := flag.Bool("q", false, "print nothing but errors")
	flag.Parse()
	opts := assets.Options{}
	if !*quiet {
		opts.Log = func(step string) { fmt.Fprintln(os.Stderr, "build", step) }
	}
	report, err := assets.Build(*out, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-assets:", err)
		os.Exit(1)
	}
	if report.Kept != "" {
		// Said even with -q: the demo site then shows this catalogue.
		fmt.Fprintf(os.Stderr, "hearth-assets: kept the catalogue in %s (id %s, not the demo's); delete %s to build the demo's\n",
			report.Dir, report.Kept, filepath.Join(report.Dir, serve.Catalogue))
	}
	if *quiet {
		return
	}
	fmt.Printf("%-20s %10s %10s %10s\n", report.Dir, "raw", "gzip", "brotli")
	for _, f := range report.Files {
		fmt.Printf("%-20s %10d %10d %10d\n", f.Name, f.Raw, f.Gzip, f.Brotli)
	}
}
