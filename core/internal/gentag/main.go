// Command gentag puts a build constraint on generated Go files, so a build
// can leave them out. msgp has no option for it; go:generate runs gentag
// right after msgp:
//
//	//go:generate go tool msgp -io=false -file catalog.go -o catalog_gen.go
//	//go:generate go run ../internal/gentag -tag !hearthlean catalog_gen.go catalog_gen_test.go
//
// It replaces a //go:build line already at the top of a file, so running it
// twice changes nothing, and it needs only the standard library, so `go
// generate` stays reproducible.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/build/constraint"
	"os"
)

func main() {
	tag := flag.String("tag", "", "build constraint expression, for example !hearthlean")
	flag.Parse()
	if err := run(*tag, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "gentag:", err)
		os.Exit(1)
	}
}

func run(tag string, files []string) error {
	if _, err := constraint.Parse("//go:build " + tag); err != nil {
		return fmt.Errorf("-tag %q: %w", tag, err)
	}
	if len(files) == 0 {
		return errors.New("no files")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name, Tag(b, tag), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Tag returns src with "//go:build expr" as its first line, followed by a
// blank line, in place of a //go:build line src already starts with.
func Tag(src []byte, expr string) []byte {
	if line, rest, _ := bytes.Cut(src, []byte("\n")); constraint.IsGoBuild(string(line)) {
		src = bytes.TrimLeft(rest, "\n")
	}
	return append([]byte("//go:build "+expr+"\n\n"), src...)
}
