// Package eval measures Hearth's ranking quality on real interaction data,
// beside server-side baselines computed in the same run on the same split.
//
// # Protocol
//
// A data set (MovieLens or MIND format) is reduced to positive interactions
// (a rating of 4 or more, a click). Every user with enough positives is a
// test user: their last positives by time are the targets, everything
// earlier is their history. Every method learns from histories only, never
// from anyone's targets, and ranks the same candidates: the items of the
// universe (items in anyone's history, or every article with text for news)
// minus the user's own history. Validation targets, used to tune settings,
// are carved from histories the same way (each test user's last history
// positive), so no setting is ever chosen by looking at a test target.
//
// # Methods
//
// Server-side baselines see every user's history: popularity,
// recency-weighted popularity, item-kNN and implicit-feedback ALS. Hearth
// runs as it does in the browser: a catalogue built by the catalogue
// builder, a profile fed through profile.Track one event at a time, and
// rank.Engine.Recommend. With publisher-supplied vectors the item factors
// come from ALS trained on a panel of users disjoint from the reader.
//
// # Running
//
// TestQuality runs a quick version in every test run; HEARTH_EVAL_REPORT=1
// runs the full report and rewrites docs/quality.md and its plot.
// HEARTH_EVAL_DATA and HEARTH_EVAL_FORMAT (movielens or mind) point the
// same run at another data set.
package eval

import (
	"errors"
	"fmt"
	"sync"
)

// ErrFormat is returned for a data set format the harness cannot read.
var ErrFormat = errors.New("eval: unknown data set format")

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
}

// Dataset is a data set reduced to what the evaluation needs.
type Dataset struct {
	Name     string
	Items    []Item
	Users    []string // user ids; Interaction.User indexes this
	Positive []Interaction
	Tags     []Tag
	Protocol Protocol

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

// Load reads the data set in dir in the given format, "movielens" or "mind".
func Load(dir, format string) (*Dataset, error) {
	switch format {
	case "", "movielens":
		return LoadMovieLens(dir)
	case "mind":
		return LoadMIND(dir)
	}
	return nil, fmt.Errorf("load %s: %w: %q (want movielens or mind)", dir, ErrFormat, format)
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
