package pack

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/stretchr/testify/require"
)

// derivedTopic is a topic the builder derived for an item whose tags were
// held out.
type derivedTopic struct {
	item, topic string
	weight      float32
	// reason: the catalogue lets the engine tell it as "You follow".
	reason  bool
	correct bool
}

// derivedMeasure is what measureDerived found.
type derivedMeasure struct {
	topics []derivedTopic
	// items is the number of held-out items, tags the number of their
	// tags in the vocabulary of the catalogue built without them.
	items, tags int
}

// measureDerived splits the tagged items into folds (shuffled by seed),
// builds the catalogue once per fold with that fold's tags removed, as if
// the publisher had not tagged those items, and compares the topics the
// builder gives them with their tags. The builder sees none of a fold's
// tags: its own calibration (calibrate.go) rests on the other items.
func measureDerived(t *testing.T, items []feed.Item, o Options, folds int, seed uint64) derivedMeasure {
	t.Helper()
	an := text.NewAnalyzer("en")
	keyOf := func(tag string) string { return topicKey(an, NormalizeTopic(tag)) }
	var tagged []int
	for i, it := range items {
		if len(it.Topics) > 0 {
			tagged = append(tagged, i)
		}
	}
	rand.New(rand.NewPCG(seed, 1)).Shuffle(len(tagged), func(a, b int) { tagged[a], tagged[b] = tagged[b], tagged[a] })
	var m derivedMeasure
	for f := range folds {
		in := slices.Clone(items)
		truth := map[string][]string{} // catalogue id → tag keys
		for x := f; x < len(tagged); x += folds {
			it := &in[tagged[x]]
			for _, tag := range it.Topics {
				truth[StableID(it.ID)] = append(truth[StableID(it.ID)], keyOf(tag))
			}
			it.Topics = nil
		}
		c, err := Build(in, catalog.Policy{}, o)
		require.NoError(t, err)
		vocab := map[string]bool{}
		for _, name := range c.Topics {
			vocab[keyOf(name)] = true
		}
		for _, it := range c.Items {
			keys, ok := truth[it.ID]
			if !ok {
				continue
			}
			m.items++
			for _, k := range keys {
				if vocab[k] {
					m.tags++
				}
			}
			for _, tw := range it.Topics {
				name := c.Topics[tw.Topic]
				m.topics = append(m.topics, derivedTopic{
					item: it.Title, topic: name, weight: tw.Weight,
					reason:  tw.Weight >= c.Policy.TopicReasonMin,
					correct: slices.Contains(keys, keyOf(name)),
				})
			}
		}
	}
	return m
}

// bucket is a range of derived topics' weights and what the measure found
// in it.
type bucket struct {
	lo, hi           float32
	topics, right    int
	meanWeight       float64
	precision, share float64 // share: of the held-out tags found
}

// buckets sums the measure by weight, edges[k] ≤ weight < edges[k+1].
func (m derivedMeasure) buckets(edges ...float32) []bucket {
	var out []bucket
	for k := range len(edges) - 1 {
		b := bucket{lo: edges[k], hi: edges[k+1]}
		var sum float64
		for _, d := range m.topics {
			if d.weight >= b.lo && d.weight < b.hi {
				b.topics++
				sum += float64(d.weight)
				if d.correct {
					b.right++
				}
			}
		}
		if b.topics > 0 {
			b.meanWeight, b.precision = sum/float64(b.topics), float64(b.right)/float64(b.topics)
		}
		if m.tags > 0 {
			b.share = float64(b.right) / float64(m.tags)
		}
		out = append(out, b)
	}
	return out
}

// reasons sums the derived topics the catalogue lets the engine tell, and
// all derived topics.
func (m derivedMeasure) reasons() (told, all bucket) {
	for _, d := range m.topics {
		for _, b := range []*bucket{&told, &all} {
			if b == &told && !d.reason {
				continue
			}
			b.topics++
			b.meanWeight += float64(d.weight)
			if d.correct {
				b.right++
			}
		}
	}
	for _, b := range []*bucket{&told, &all} {
		if b.topics > 0 {
			b.meanWeight /= float64(b.topics)
			b.precision = float64(b.right) / float64(b.topics)
		}
		if m.tags > 0 {
			b.share = float64(b.right) / float64(m.tags)
		}
	}
	return told, all
}

// report logs the measure as a table: precision by weight, and of the
// topics told as reasons, with recall against the held-out tags.
func (m derivedMeasure) report(t *testing.T, name string) {
	t.Helper()
	t.Logf("%s: %d held-out items, %d of their tags in the vocabulary, %d derived topics", name, m.items, m.tags, len(m.topics))
	t.Logf("  | %-14s | %6s | %7s | %11s | %9s | %6s |", "weight", "topics", "correct", "mean weight", "precision", "recall")
	row := func(label string, b bucket) {
		t.Helper()
		if b.topics == 0 {
			t.Logf("  | %-14s | %6d | %7d | %11s | %9s | %6.2f |", label, 0, 0, "-", "-", 0.0)
			return
		}
		t.Logf("  | %-14s | %6d | %7d | %11.2f | %9.2f | %6.2f |", label, b.topics, b.right, b.meanWeight, b.precision, b.share)
	}
	for _, b := range m.buckets(weightEdges...) {
		row(fmt.Sprintf("[%.1f, %.1f)", b.lo, b.hi), b)
	}
	told, all := m.reasons()
	row("all derived", all)
	row("told (≥ bar)", told)
}

// weightEdges are the weight ranges the measure is reported by.
var weightEdges = []float32{0, 0.3, 0.5, 0.7, 0.8, 0.9, 1}

// TestBuild_DerivedTopicPrecision measures the topics the builder derives
// for untagged items on items whose tags are held out (5 folds), on The
// Go Blog (the demo's posts with their text), MovieLens (genres held out,
// titles and readers' tags as text) and a news feed (The Guardian, 55
// items), and holds the topics a catalogue lets the engine tell as "You
// follow" to ReasonPrecision. Run with -v for the tables (docs/engine.md
// quotes them).
func TestBuild_DerivedTopicPrecision(t *testing.T) {
	const folds, seed = 5, 1
	tests := []struct {
		name  string
		items func(t *testing.T) []feed.Item
		// told is the least share of held-out items given a reason-grade
		// topic: a bar nothing clears would pass unseen otherwise.
		told float64
	}{
		{"The Go Blog", goBlogPosts, 0.25},
		// Genres from a title and a few readers' tags are guesses no
		// better than 0.6: the calibration must keep them all below the
		// bar.
		{"MovieLens", movieLensFilms, 0},
		{"The Guardian", func(t *testing.T) []feed.Item {
			items, err := feed.ReadFile(filepath.Join(shareddata.Dir(t, "feeds/rss-parser"), "guardian.rss"))
			require.NoError(t, err)
			return items
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := measureDerived(t, tt.items(t), Options{NoVectors: true}, folds, seed)
			m.report(t, tt.name)
			told, _ := m.reasons()
			require.GreaterOrEqual(t, float64(told.topics), tt.told*float64(m.items), "derived topics told as reasons")
			if told.topics > 0 {
				require.GreaterOrEqual(t, told.precision, ReasonPrecision, "precision of the derived topics told as reasons")
			}
			// A weight is a cautious estimate of its precision: where
			// there are enough topics to tell, the weight does not claim
			// more than it delivers.
			for _, b := range m.buckets(weightEdges...) {
				if b.topics >= 50 {
					require.GreaterOrEqual(t, b.precision, b.meanWeight-0.05, "weights [%.1f, %.1f)", b.lo, b.hi)
				}
			}
		})
	}
}

// goBlogPosts are the demo publisher's posts with their text, as the demo
// catalogue is built from them.
func goBlogPosts(t *testing.T) []feed.Item {
	t.Helper()
	items, err := feed.Parse(bytes.NewReader(demo.Feed()), "goblog.json")
	require.NoError(t, err)
	for i := range items {
		slug, ok := strings.CutPrefix(items[i].URL, "https://go.dev/blog/")
		require.True(t, ok, items[i].URL)
		items[i].Text, err = demo.PostText(slug)
		require.NoError(t, err)
	}
	return items
}

// movieLensFilms are MovieLens films with their genres as tags and their
// title and readers' tags as text.
func movieLensFilms(t *testing.T) []feed.Item {
	t.Helper()
	dir := shareddata.Dir(t, "movielens-latest-small")
	rows := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		defer f.Close()
		rs, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		return rs[1:]
	}
	tags := map[string][]string{}
	for _, r := range rows("tags.csv") {
		tags[r[1]] = append(tags[r[1]], r[2])
	}
	var items []feed.Item
	for _, r := range rows("movies.csv") {
		it := feed.Item{ID: "movielens:" + r[0], URL: "/films/" + r[0], Title: r[1], Text: strings.Join(tags[r[0]], ". ")}
		if r[2] != "(no genres listed)" {
			it.Topics = strings.Split(r[2], "|")
		}
		items = append(items, it)
	}
	return items
}

// TestBuild_RoutingPostReason is the reported case: the demo's untagged
// post on HTTP routing was told to a reader of concurrency posts as "You
// follow concurrency", a topic the builder had derived from its text. The
// builder still derives it, below the catalogue's bar, so the reader
// learns from it but is not told it.
func TestBuild_RoutingPostReason(t *testing.T) {
	c, err := Build(goBlogPosts(t), catalog.Policy{
		Weights: catalog.Weights{Similarity: 1, Topic: 0.6, Freshness: 0.25, Popularity: 0.15}, // the demo's
	}, Options{URL: ReplacePrefix("https://go.dev/blog/", "/blog/")})
	require.NoError(t, err)
	require.Equal(t, float32(ReasonPrecision), c.Policy.TopicReasonMin, "The Go Blog's tagged posts calibrate its derived topics")
	routing, ok := c.Find(StableID("https://go.dev/blog/routing-enhancements"))
	require.True(t, ok)
	concurrency := slices.Index(c.Topics, "concurrency")
	require.GreaterOrEqual(t, concurrency, 0)
	var weight float32
	for _, tw := range c.Items[routing].Topics {
		if int(tw.Topic) == concurrency {
			weight = tw.Weight
		}
	}
	require.Positive(t, weight, "the post is still derived concurrency, which ranking uses")
	require.Less(t, weight, c.Policy.TopicReasonMin)

	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	at := c.Generated - 30*86400
	for _, it := range c.Items {
		for _, tw := range it.Topics {
			if int(tw.Topic) == concurrency && tw.Weight == 1 {
				at += 3600
				_, err := p.Track(c, profile.Event{Item: it.ID, Kind: profile.Like}, at)
				require.NoError(t, err)
			}
		}
	}
	reasonsOf := func(c *catalog.Catalogue) []rank.Reason {
		for _, r := range rank.New(c).Recommend(p, rank.Request{Count: rank.MaxCount, Now: c.Generated}) {
			if r.ID == c.Items[routing].ID {
				return r.Reasons
			}
		}
		t.Fatal("the routing post is not among the reader's recommendations")
		return nil
	}
	told := func(rs []rank.Reason) bool {
		return slices.Contains(rs, rank.Reason{Code: rank.ReasonTopic, Text: "You follow concurrency", Ref: "concurrency"})
	}
	open := *c
	open.Policy.TopicReasonMin = weight
	require.True(t, told(reasonsOf(&open)), "with the bar at the guess's weight, the reported reason comes back")
	rs := reasonsOf(c)
	require.False(t, told(rs), "%v", rs)
	t.Logf("reasons: %v", rs)
}
