// Package eval measures Hearth's ranking quality on real interaction data,
// beside server-side baselines computed in the same run on the same split.
//
// # Protocol
//
// A data set (MovieLens or MIND layout) is reduced to positive interactions
// (a rating of 4 or more, a click) and the reader's other interactions (a
// lower rating). Every user with enough positives is a test user: their
// last positives by time are the targets, everything earlier is their
// history. Every method learns from histories only, never from anyone's
// targets, and ranks the same candidates: the items of the universe (items
// in anyone's history, or every article with text for news) minus every
// item the user interacted with before their targets, whatever the rating.
// Validation targets, used to tune settings, are carved from histories the
// same way (each test user's last history positive), so no setting is ever
// chosen by looking at a test target.
//
// # Methods
//
// Server-side baselines see every user's history: popularity,
// recency-weighted popularity, item-kNN and implicit-feedback ALS. Hearth
// runs as it does in the browser: a catalogue built by the catalogue
// builder, a profile fed through profile.Track one event at a time, and
// rank.Engine.Recommend. Collaborative vectors go through the builder's
// build/collab as a publisher's do: panel vectors learned from the
// histories of a half of the users disjoint from the reader, transition
// vectors from consecutive pairs of every training history summed over
// users (counts only); items without data get vectors mapped from their
// text. The report also scores every method on the targets without such
// data.
//
// # Claims
//
// Every comparison the report states is judged by a paired bootstrap
// interval over users, and every sentence is generated from the run's
// numbers. A target that fails is reported, never aborts the report.
//
// # Running
//
// TestQuality runs a quick version in every test run; HEARTH_EVAL_REPORT=1
// runs the full report and rewrites docs/quality.md and its plot.
// HEARTH_EVAL_DATA points the same run at another data set folder, whose
// layout is detected from the files present. A failed target or check
// fails the test only where the run asserts (HEARTH_EVAL_ASSERT=1 or 0
// decides; by default the checks on the default data set, and its targets
// in the full report), after the whole report is written.
package eval

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// ErrFormat is returned for a folder in no layout the harness reads.
var ErrFormat = errors.New("eval: unknown data set layout")

// Data set layouts.
const (
	FormatMovieLens = "movielens"
	FormatMIND      = "mind"
)

// Item is one piece of content of a data set.
type Item struct {
	ID    string
	Title string
	// Text is the item's descriptive text beside its title (genres,
	// abstract); user tags are kept apart in Dataset.Tags because they are
	// interactions and must respect the split.
	Text string
	// Topics are the item's topics (genres, news category).
	Topics []string
	// Published is the publication time in Unix seconds, 0 when unknown.
	Published int64
}

// Interaction is one positive interaction: a user liked or clicked an item.
type Interaction struct {
	User, Item int
	Time       int64 // Unix seconds
}

// Tag is a user's free-text note on an item.
type Tag struct {
	User, Item int
	Text       string
}

// Universe says which items are candidates.
type Universe int

const (
	// UniverseHistory: items that appear in anyone's history.
	UniverseHistory Universe = iota
	// UniverseText: every item with text.
	UniverseText
)

// Protocol is the split of a data set into histories and targets.
type Protocol struct {
	// MinPositives a user needs to be a test user.
	MinPositives int
	// TargetFraction of a test user's positives, the latest, are targets
	// (at least one); 0 means exactly the last positive.
	TargetFraction float64
	// Universe is the candidate universe.
	Universe Universe
	// MaxTestUsers bounds the test users, a seeded sample of those with
	// enough positives, so that a large data set runs in reasonable time;
	// the others are training data only. 0 means no bound.
	MaxTestUsers int
}

// Words name a data set's things in the report.
type Words struct {
	Format   string // layout, "MovieLens"
	Positive string // what a positive interaction is
	Seen     string // what the other interactions are, "" when there are none
	Item     string // one item, "film"
	Topic    string // an item's topic, "genre"
	Topics   string // its plural, "genres"
	Text     string // what the catalogue's text is made of
}

// Dataset is a data set reduced to what the evaluation needs.
type Dataset struct {
	Name     string
	Words    Words
	Items    []Item
	Users    []string // user ids; Interaction.User indexes this
	Positive []Interaction
	// Seen are the other interactions (a rating below the positive
	// threshold): nobody learns from them, but the reader knows the item,
	// so from their time on it is no candidate for them.
	Seen []Interaction
	// Undescribed counts the interactions left out because they name an
	// item the data set does not describe (or describes without text).
	Undescribed int
	Tags        []Tag
	Protocol    Protocol

	once  sync.Once
	index map[string]int
}

// itemIndex maps item ids to their index in Items.
func (ds *Dataset) itemIndex() map[string]int {
	ds.once.Do(func() {
		ds.index = make(map[string]int, len(ds.Items))
		for i, it := range ds.Items {
			ds.index[it.ID] = i
		}
	})
	return ds.index
}

// DetectFormat says which layout the folder dir holds, from the files
// present: ratings.csv or ratings.dat beside movies.csv or movies.dat
// (MovieLens), or news.tsv beside behaviors.tsv (MIND).
func DetectFormat(dir string) (string, error) {
	has := func(name string) bool {
		fi, err := os.Stat(filepath.Join(dir, name))
		return err == nil && !fi.IsDir()
	}
	movieLens := (has("ratings.csv") && has("movies.csv")) || (has("ratings.dat") && has("movies.dat"))
	mind := has("news.tsv") && has("behaviors.tsv")
	switch {
	case movieLens && mind:
		return "", fmt.Errorf("detect layout of %s: %w: both MovieLens and MIND files", dir, ErrFormat)
	case movieLens:
		return FormatMovieLens, nil
	case mind:
		return FormatMIND, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("detect layout: %w", err)
	}
	return "", fmt.Errorf("detect layout of %s: %w: want ratings and movies (MovieLens) or news.tsv and behaviors.tsv (MIND)", dir, ErrFormat)
}

// Load reads the data set in the folder dir, in the layout DetectFormat
// finds there.
func Load(dir string) (*Dataset, error) {
	format, err := DetectFormat(dir)
	if err != nil {
		return nil, err
	}
	if format == FormatMIND {
		return LoadMIND(dir)
	}
	return LoadMovieLens(dir)
}

// indexer assigns dense indices to string ids in order of first sight.
type indexer struct {
	ids   []string
	index map[string]int
}

func newIndexer() *indexer { return &indexer{index: make(map[string]int)} }

func (x *indexer) get(id string) int {
	if i, ok := x.index[id]; ok {
		return i
	}
	x.index[id] = len(x.ids)
	x.ids = append(x.ids, id)
	return len(x.ids) - 1
}
