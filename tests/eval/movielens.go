package eval

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MovieLens positives are ratings of at least this many stars.
const movieLensPositive = 4.0

// maxTestUsers bounds the test users of a large data set (Protocol).
const maxTestUsers = 3000

// movieLensProtocol is the split for rating data: a fifth of each user's
// positives are held out, candidates are items someone has in a history.
var movieLensProtocol = Protocol{MinPositives: 5, TargetFraction: 0.2, Universe: UniverseHistory, MaxTestUsers: maxTestUsers}

var yearInTitle = regexp.MustCompile(`\((\d{4})\)\s*$`)

// LoadMovieLens reads a GroupLens MovieLens data set from dir: either the
// CSV layout of ml-latest, ml-latest-small, ml-20m and ml-25m (movies.csv,
// ratings.csv, optional tags.csv) or the "::" layout of ml-1m and ml-10m
// (movies.dat, ratings.dat, optional tags.dat).
func LoadMovieLens(dir string) (*Dataset, error) {
	ext, sep := ".csv", ""
	if _, err := os.Stat(filepath.Join(dir, "ratings.csv")); errors.Is(err, os.ErrNotExist) {
		ext, sep = ".dat", "::"
	}
	ds := &Dataset{Name: filepath.Base(filepath.Clean(dir)), Protocol: movieLensProtocol, Words: Words{
		Format:   "MovieLens",
		Positive: fmt.Sprintf("a rating of %g stars or more", movieLensPositive),
		Seen:     fmt.Sprintf("a rating below %g stars", movieLensPositive),
		Item:     "film",
		Topic:    "genre",
		Topics:   "genres",
		Text:     "titles and genres",
	}}
	items := newIndexer()
	err := readRows(filepath.Join(dir, "movies"+ext), sep, 3, func(f []string) error {
		i := items.get(f[0])
		if i < len(ds.Items) {
			return fmt.Errorf("movie %s listed twice", f[0])
		}
		it := Item{ID: f[0], Title: strings.TrimSpace(f[1])}
		if m := yearInTitle.FindStringSubmatch(it.Title); m != nil {
			y, _ := strconv.Atoi(m[1])
			it.Published = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		}
		if f[2] != "(no genres listed)" {
			it.Topics = strings.Split(f[2], "|")
		}
		it.Text = strings.Join(it.Topics, " ")
		ds.Items = append(ds.Items, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load movielens: %w", err)
	}
	users := newIndexer()
	err = readRows(filepath.Join(dir, "ratings"+ext), sep, 4, func(f []string) error {
		it, ok := items.index[f[1]]
		if !ok {
			ds.Undescribed++ // a rating of a movie the data set does not describe
			return nil
		}
		r, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return fmt.Errorf("rating %q: %w", f[2], err)
		}
		ts, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return fmt.Errorf("timestamp %q: %w", f[3], err)
		}
		u := users.get(f[0])
		if r >= movieLensPositive {
			ds.Positive = append(ds.Positive, Interaction{User: u, Item: it, Time: ts})
		} else {
			ds.Seen = append(ds.Seen, Interaction{User: u, Item: it, Time: ts})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load movielens: %w", err)
	}
	err = readRows(filepath.Join(dir, "tags"+ext), sep, 4, func(f []string) error {
		it, ok := items.index[f[1]]
		u, known := users.index[f[0]]
		if !ok || !known {
			return nil // a tag by someone who rated nothing teaches nothing about splits
		}
		ds.Tags = append(ds.Tags, Tag{User: u, Item: it, Text: f[2]})
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("load movielens: %w", err)
	}
	ds.Users = users.ids
	if len(ds.Tags) > 0 {
		ds.Words.Text = "titles, genres and users' tags"
	}
	if len(ds.Positive) == 0 {
		return nil, fmt.Errorf("load movielens %s: no positive ratings", dir)
	}
	return ds, nil
}

// readRows calls row for every data row of a CSV file with a header (sep
// "") or of a headerless file with fields separated by sep, checking that
// each row has at least n fields.
func readRows(path, sep string, n int, row func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	line := 1
	fail := func(err error) error { return fmt.Errorf("%s:%d: %w", filepath.Base(path), line, err) }
	if sep == "" {
		r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
		r.ReuseRecord = true
		r.FieldsPerRecord = -1
		if _, err := r.Read(); err != nil {
			return fail(fmt.Errorf("header: %w", err))
		}
		for {
			line++
			rec, err := r.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fail(err)
			}
			if len(rec) < n {
				return fail(fmt.Errorf("%d fields, want %d", len(rec), n))
			}
			if err := row(rec); err != nil {
				return fail(err)
			}
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for line = 1; sc.Scan(); line++ {
		text := strings.TrimSuffix(sc.Text(), "\r") // files written on Windows
		if text == "" {
			continue
		}
		rec := strings.Split(text, sep)
		if len(rec) < n {
			return fail(fmt.Errorf("%d fields, want %d", len(rec), n))
		}
		if err := row(rec); err != nil {
			return fail(err)
		}
	}
	return sc.Err()
}
