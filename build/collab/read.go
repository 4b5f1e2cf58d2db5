package collab

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// NamedTransition is a transition count as read: items by name (a URL, a
// site path, a catalogue id or a publisher id; see [Index]).
type NamedTransition struct {
	From, To string
	Count    float64
	Line     int
}

// NamedInteraction is a panel interaction as read. Time is Unix seconds, 0
// when the file leaves it empty.
type NamedInteraction struct {
	User, Item string
	Time       int64
	Line       int
}

// ReadTransitions reads a from,to,count CSV file (an optional header row
// first). Every other row must have three fields: two non-empty names and
// a count ≥ 0; an error names the file and line.
func ReadTransitions(r io.Reader, name string) ([]NamedTransition, error) {
	var out []NamedTransition
	err := readCSV(r, name, "from,to,count", func(line int, f []string) error {
		n, err := strconv.ParseFloat(f[2], 64)
		if err != nil || !validCount(n) {
			return fmt.Errorf("count %q is not a number from 0 to %g", f[2], MaxCount)
		}
		out = append(out, NamedTransition{From: f[0], To: f[1], Count: n, Line: line})
		return nil
	})
	return out, err
}

// ReadPanel reads a user,item,time CSV file (an optional header row
// first): one row per interaction of a consenting panel member, time in
// Unix seconds or RFC 3339, or empty. An error names the file and line.
func ReadPanel(r io.Reader, name string) ([]NamedInteraction, error) {
	var out []NamedInteraction
	err := readCSV(r, name, "user,item,time", func(line int, f []string) error {
		t, err := parseTime(f[2])
		if err != nil {
			return err
		}
		out = append(out, NamedInteraction{User: f[0], Item: f[1], Time: t, Line: line})
		return nil
	})
	return out, err
}

// readCSV calls row for every record of r with three trimmed fields, after
// a header: a first record whose last field has letters and no digit.
func readCSV(r io.Reader, name, want string, row func(line int, f []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s:%d: %w: %w", name, pe.Line, ErrInput, pe.Err)
			}
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) != 3 {
			return fmt.Errorf("%s:%d: %w: %d fields, want 3 (%s)", name, line, ErrInput, len(rec), want)
		}
		for k := range rec {
			rec[k] = strings.TrimSpace(rec[k])
		}
		header := first && strings.ContainsFunc(rec[2], unicode.IsLetter) && !strings.ContainsFunc(rec[2], unicode.IsDigit)
		first = false
		if header {
			continue
		}
		if rec[0] == "" || rec[1] == "" {
			return fmt.Errorf("%s:%d: %w: empty name (%s)", name, line, ErrInput, want)
		}
		if err := row(line, rec); err != nil {
			return fmt.Errorf("%s:%d: %w: %w", name, line, ErrInput, err)
		}
	}
}

func parseTime(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Unix(), nil
	}
	return 0, fmt.Errorf("time %q is neither Unix seconds nor RFC 3339", s)
}
