package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/profile"
)

// panelCmd writes a consenting panel's user,item,time CSV (-panel's input)
// from exported profiles that readers chose to give the publisher, one
// member per file: each member's items (collab.ExportItems), numbered
// members, and no time, so that nothing of a file but which items one
// reader engaged with reaches the CSV.
func panelCmd(args []string, stdout, stderr io.Writer) error {
	fs := subcommand("panel", "[-out panel.csv] [-lenient] export.json...", stderr)
	out := fs.String("out", "", "write the CSV to `file` (default: standard output)")
	lenient := fs.Bool("lenient", false, "skip a file that is not a profile export, with a warning, instead of stopping")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("panel: give one or more exported profiles")
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"user", "item", "time"})
	first := map[[sha256.Size]byte]string{}
	members, rows, dups, skipped, empty := 0, 0, 0, 0, 0
	var err error
	for _, path := range fs.Args() {
		var b []byte
		if b, err = readLimited(path, profile.MaxJSONBytes+1); err != nil {
			return fmt.Errorf("panel: %w", err)
		}
		sum := sha256.Sum256(b)
		if earlier, dup := first[sum]; dup {
			fmt.Fprintf(stderr, "warning: %s is the same file as %s: one member\n", path, earlier)
			dups++
			continue
		}
		first[sum] = path
		var items []string
		if items, err = collab.ExportItems(b); err != nil {
			if !*lenient {
				return fmt.Errorf("panel: %s: %w (-lenient skips such files)", path, err)
			}
			fmt.Fprintf(stderr, "warning: %s: %v; skipped\n", path, err)
			skipped++
			continue
		}
		if len(items) == 0 {
			empty++
			continue
		}
		members++
		for _, item := range items {
			_ = w.Write([]string{strconv.Itoa(members), item, ""})
		}
		rows += len(items)
	}
	w.Flush()
	if *out != "" {
		err = os.WriteFile(*out, buf.Bytes(), 0o644)
	} else {
		_, err = stdout.Write(buf.Bytes())
	}
	if err != nil {
		return fmt.Errorf("panel: %w", err)
	}
	fmt.Fprintf(stderr, "panel: %s, %s, from %s (%d the same as another, %d skipped, %d with no item the reader engaged with)\n",
		plural(members, "member"), plural(rows, "row"), plural(fs.NArg(), "file"), dups, skipped, empty)
	return nil
}

// plural is n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// readLimited reads at most n bytes of the file at path.
func readLimited(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}
