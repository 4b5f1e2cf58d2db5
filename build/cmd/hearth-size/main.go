// Command hearth-size prints the raw, gzip and brotli bytes of every file
// under a folder and checks Hearth's size budgets (package build/size),
// exiting with status 1 when one is broken. `make size` runs it on dist
// after `make assets`.
//
//	go run ./build/cmd/hearth-size -dir dist
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
	flag.Parse()
	os.Exit(run(*dir, os.Stdout, os.Stderr))
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
