// Command hearth-size prints the raw, gzip and brotli bytes of every file
// under a folder and checks Hearth's size budgets (package build/size),
// exiting with status 1 when one is broken. `make size` runs it on dist
// after `make assets`.
//
//	go run ./build/cmd/hearth-size -dir dist
//
// With -pkgs it instead prints how many bytes of code each Go package puts
// in a wasm binary built with its names (without -ldflags=-s):
//
//	GOOS=js GOARCH=wasm go build -tags hearthlean -o /tmp/hearth.wasm ./wasm
//	go run ./build/cmd/hearth-size -pkgs /tmp/hearth.wasm
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hearth-dev/hearth/build/size"
)

func main() {
	dir := flag.String("dir", "dist", "folder to measure")
	pkgs := flag.String("pkgs", "", "wasm binary (not stripped) whose code to attribute to packages")
	top := flag.Int("top", 40, "with -pkgs, how many packages to list")
	flag.Parse()
	if *pkgs != "" {
		os.Exit(runPackages(*pkgs, *top, os.Stdout, os.Stderr))
	}
	os.Exit(run(*dir, os.Stdout, os.Stderr))
}

// runPackages prints the code bytes per package of the wasm binary at path.
func runPackages(path string, top int, stdout, stderr io.Writer) int {
	b, err := os.ReadFile(path)
	if err == nil {
		var pkgs []size.Package
		if pkgs, err = size.Packages(b); err == nil {
			total := 0
			for _, p := range pkgs {
				total += p.Bytes
			}
			fmt.Fprintf(stdout, "%10s %6s  %s (%d bytes of code in %d bytes)\n", "code", "funcs", "package", total, len(b))
			for _, p := range pkgs[:min(top, len(pkgs))] {
				fmt.Fprintf(stdout, "%10d %6d  %s\n", p.Bytes, p.Funcs, p.Name)
			}
			return 0
		}
	}
	fmt.Fprintln(stderr, "hearth-size:", err, "(build without -ldflags=-s to keep the names)")
	return 2
}

// run measures dir and returns the exit status: 0 when every budget holds,
// 1 when one is broken, 2 when dir cannot be measured.
func run(dir string, stdout, stderr io.Writer) int {
	files, err := size.Measure(dir)
	if err != nil {
		fmt.Fprintln(stderr, "hearth-size:", err)
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "hearth-size: no files under %s\n", dir)
		return 2
	}
	if !size.Report(stdout, files, size.Budgets) {
		fmt.Fprintln(stderr, "hearth-size: over budget")
		return 1
	}
	return 0
}
