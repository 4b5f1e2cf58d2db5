package pack

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

var day0 = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// pets is a small catalogue with two clear subjects; the last two items
// have no tags.
func pets() []feed.Item {
	cat := "cats purr and cats nap; a kitten chases mice, whiskers twitch, the cat climbs"
	dog := "dogs bark and dogs fetch; a puppy wags its tail, the leash and the bone, walkies"
	mk := func(i int, title, text string, tags ...string) feed.Item {
		return feed.Item{
			ID: fmt.Sprintf("pet-%d", i), URL: fmt.Sprintf("https://pets.example/%d", i), Title: title,
			Summary: text, Topics: tags, Published: day0.Add(time.Duration(i) * time.Hour),
			Source: fmt.Sprintf("pets item %d", i),
		}
	}
	return []feed.Item{
		mk(1, "Why cats purr", cat, "Cats"),
		mk(2, "Kitten care", cat+" kitten food", " cats ", "Care"),
		mk(3, "The cat nap", cat+" sleep", "cats"),
		mk(4, "Dogs at the park", dog, "Dogs"),
		mk(5, "Puppy training", dog+" training", "dogs", "care"),
		mk(6, "Bones and fetch", dog+" bone", "dogs"),
		mk(7, "A kitten and its whiskers", "the kitten purrs, whiskers and mice, a cat nap"),
		mk(8, "Walkies with the puppy", "the puppy barks and fetches the bone on the leash"),
	}
}

func topicsOf(c *catalog.Catalogue, i int) map[string]float32 {
	out := map[string]float32{}
	for _, tw := range c.Items[i].Topics {
		out[c.Topics[tw.Topic]] = tw.Weight
	}
	return out
}

func find(t *testing.T, c *catalog.Catalogue, url string) int {
	t.Helper()
	for i, it := range c.Items {
		if it.URL == url {
			return i
		}
	}
	t.Fatalf("no item with url %s", url)
	return -1
}

func TestBuild_Items(t *testing.T) {
	c, err := Build(pets(), catalog.Policy{}, Options{KeepText: true})
	require.NoError(t, err)
	require.Equal(t, catalog.FormatVersion, c.Version)
	require.Len(t, c.Items, 8)
	require.Equal(t, "https://pets.example/8", c.Items[0].URL, "newest first")
	require.Equal(t, day0.Add(8*time.Hour).Unix(), c.Generated, "generated at the newest item's date")
	for _, it := range c.Items {
		require.Len(t, it.ID, IDLength)
		require.NotEmpty(t, it.Terms)
		require.LessOrEqual(t, len(it.Terms), DefaultKeyTerms)
		require.Len(t, it.Vector, c.Dim)
		require.Positive(t, it.Scale)
	}
	require.Equal(t, 8, c.Dim, "dimension is capped by the number of items")
	require.Equal(t, catalog.Policy{FreshnessHalfLifeDays: 1}.WithDefaults(), c.Policy,
		"core's defaults, with a freshness half-life from the items' dates (hours apart: the shortest, a day)")
	require.Equal(t, StableID("pet-1"), c.Items[find(t, c, "https://pets.example/1")].ID)
}

func TestBuild_FreshnessHalfLife(t *testing.T) {
	dated := func(ages ...time.Duration) []feed.Item {
		items := pets()[:len(ages)]
		for i, a := range ages {
			items[i].Published = day0.Add(-a)
		}
		return items
	}
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	undated := pets()[:2]
	undated[0].Published, undated[1].Published = time.Time{}, time.Time{}
	daily := func(n int) []feed.Item { // n items a day apart, the newest at day0
		var items []feed.Item
		for k := range n {
			it := pets()[k%8]
			it.ID, it.URL = fmt.Sprintf("daily-%d", k), fmt.Sprintf("https://pets.example/daily/%d", k)
			it.Published = day0.Add(-time.Duration(k) * day)
			items = append(items, it)
		}
		return items
	}
	tests := []struct {
		name  string
		items []feed.Item
		pol   catalog.Policy
		want  float32
	}{
		{"the second newest's age under ten items", dated(0, 10*day, 20*day, 30*day, 40*day), catalog.Policy{}, 10},
		{"the newest tenth's age", daily(30), catalog.Policy{}, 3},
		{"years, capped", dated(20*year, 25*year, 30*year), catalog.Policy{}, catalog.MaxHalfLifeDays},
		{"undated: core's default", undated, catalog.Policy{}, catalog.DefaultFreshnessHalfLifeDays},
		{"the publisher's own", dated(0, 20*day, 40*day), catalog.Policy{FreshnessHalfLifeDays: 3}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Build(tt.items, tt.pol, Options{Generated: day0})
			require.NoError(t, err)
			require.Equal(t, tt.want, c.Policy.FreshnessHalfLifeDays)
		})
	}
}

func TestBuild_Topics(t *testing.T) {
	c, err := Build(pets(), catalog.Policy{}, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"cats", "dogs", "care"}, c.Topics, "normalised, merged, ordered by use")
	require.Equal(t, map[string]float32{"cats": 1, "care": 1}, topicsOf(c, find(t, c, "https://pets.example/2")))
	require.Equal(t, map[string]float32{"dogs": 1, "care": 1}, topicsOf(c, find(t, c, "https://pets.example/5")))

	kitten := topicsOf(c, find(t, c, "https://pets.example/7"))
	require.Contains(t, kitten, "cats", "derived from text")
	require.NotContains(t, kitten, "dogs")
	require.Less(t, kitten["cats"], float32(1), "a derived topic weighs less than a tag")
	puppy := topicsOf(c, find(t, c, "https://pets.example/8"))
	require.Contains(t, puppy, "dogs")
	require.NotContains(t, puppy, "cats")

	t.Run("per-item cap", func(t *testing.T) {
		c, err := Build(pets(), catalog.Policy{}, Options{ItemTopics: 1})
		require.NoError(t, err)
		for _, it := range c.Items {
			require.LessOrEqual(t, len(it.Topics), 1)
		}
	})
	t.Run("rare tags are not topics", func(t *testing.T) {
		c, err := Build(pets(), catalog.Policy{}, Options{MinTopicItems: 3})
		require.NoError(t, err)
		require.Equal(t, []string{"cats", "dogs"}, c.Topics)
	})
	t.Run("without tags topics come from terms", func(t *testing.T) {
		items := pets()
		for i := range items {
			items[i].Topics = nil
		}
		c, err := Build(items, catalog.Policy{}, Options{})
		require.NoError(t, err)
		require.NotEmpty(t, c.Topics)
		for _, name := range c.Topics {
			require.NotContains(t, []string{"the", "and", "a"}, name)
		}
		withTopics := 0
		for _, it := range c.Items {
			if len(it.Topics) > 0 {
				withTopics++
			}
		}
		require.GreaterOrEqual(t, withTopics, 6)
	})
	t.Run("a tag on most items is no topic", func(t *testing.T) {
		many := Synthetic(40, 3)
		for i := range many {
			many[i].Topics = append(many[i].Topics, "The Show")
		}
		c, err := Build(many, catalog.Policy{}, Options{})
		require.NoError(t, err)
		require.NotContains(t, c.Topics, "the show")
	})
}

func TestBuild_SensitiveTags(t *testing.T) {
	// One item tagged "Religions" among many tags: alone it would be no
	// topic (one item) or be capped away (fourth tag), but the policy
	// names it sensitive, so the engine must be able to see it.
	items := pets()
	items[0].Topics = []string{"cats", "care", "dogs", "Religions"}
	without, err := Build(items, catalog.Policy{}, Options{})
	require.NoError(t, err)
	require.NotContains(t, without.Topics, "religions")

	c, err := Build(items, catalog.Policy{Sensitive: []string{"Religion"}}, Options{})
	require.NoError(t, err)
	i := find(t, c, "https://pets.example/1")
	require.Contains(t, topicsOf(c, i), "religion", "named as the policy names it")
	require.Len(t, c.Items[i].Topics, DefaultItemTopics)
	require.True(t, c.Sensitive(i))
	require.False(t, c.Sensitive(find(t, c, "https://pets.example/4")))
}

func TestNormalizeTopic(t *testing.T) {
	for in, want := range map[string]string{
		"  Go  Modules ": "go modules", "#golang": "golang", "C#": "c#", "Go,": "go", "C++": "c++", "": "",
	} {
		require.Equal(t, want, NormalizeTopic(in), in)
	}
}

func TestBuild_Deterministic(t *testing.T) {
	items := Synthetic(3000, 5)
	pol := catalog.Policy{Pinned: []string{items[10].URL}, Sensitive: []string{"Health"}}
	a, err := Build(items, pol, Options{})
	require.NoError(t, err)
	ab, am, err := Encode(a)
	require.NoError(t, err)

	shuffled := slices.Clone(items)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b, err := Build(shuffled, pol, Options{})
	require.NoError(t, err)
	bb, bm, err := Encode(b)
	require.NoError(t, err)
	require.Equal(t, am, bm)
	require.True(t, slices.Equal(ab, bb), "same input in another order gives the same bytes")

	c, err := Build(items, pol, Options{Seed: 99})
	require.NoError(t, err)
	_, cm, err := Encode(c)
	require.NoError(t, err)
	require.NotEqual(t, am.Hash, cm.Hash, "the seed is an input")
}

func TestBuild_IDs(t *testing.T) {
	items := pets()
	c1, err := Build(items, catalog.Policy{}, Options{})
	require.NoError(t, err)
	ids := map[string]string{}
	for _, it := range c1.Items {
		ids[it.URL] = it.ID
	}

	t.Run("stable across rebuilds with other content", func(t *testing.T) {
		changed := pets()[2:]
		changed[0].Title = "A new title"
		changed = append(changed, feed.Item{ID: "new", URL: "https://pets.example/new", Title: "New"})
		c2, err := Build(changed, catalog.Policy{}, Options{})
		require.NoError(t, err)
		for _, it := range c2.Items {
			if old, ok := ids[it.URL]; ok {
				require.Equal(t, old, it.ID, it.URL)
			}
		}
	})
	t.Run("previous catalogue keeps ids when guids change", func(t *testing.T) {
		changed := pets()
		for i := range changed {
			changed[i].ID = "v2-" + changed[i].ID
		}
		fresh, err := Build(changed, catalog.Policy{}, Options{})
		require.NoError(t, err)
		require.NotEqual(t, ids["https://pets.example/1"], fresh.Items[find(t, fresh, "https://pets.example/1")].ID)
		kept, err := Build(changed, catalog.Policy{}, Options{Previous: c1})
		require.NoError(t, err)
		for _, it := range kept.Items {
			require.Equal(t, ids[it.URL], it.ID, it.URL)
		}
	})
	t.Run("url rewriting", func(t *testing.T) {
		c, err := Build(items, catalog.Policy{}, Options{URL: ReplacePrefix("https://pets.example/", "/pets/")})
		require.NoError(t, err)
		i := find(t, c, "/pets/1")
		require.Equal(t, ids["https://pets.example/1"], c.Items[i].ID, "ids come from the original key")
	})
	t.Run("duplicates are refused", func(t *testing.T) {
		dup := append(pets(), pets()[0])
		dup[len(dup)-1].Source = "second.rss item 9"
		_, err := Build(dup, catalog.Policy{}, Options{})
		require.ErrorIs(t, err, ErrDuplicate)
		require.Contains(t, err.Error(), "pets item 1 and second.rss item 9")
		var warned []error
		c, err := Build(dup, catalog.Policy{}, Options{Warn: func(err error) { warned = append(warned, err) }})
		require.NoError(t, err)
		require.Len(t, c.Items, 8)
		require.Len(t, warned, 1)
	})
}

func TestStableID(t *testing.T) {
	id := StableID("https://go.dev/blog/go1.27")
	require.Equal(t, "wedbchuyoxyi", id, "ids must never change: readers' profiles refer to them")
	require.Equal(t, id, StableID("  https://go.dev/blog/go1.27\n"))
	require.NotEqual(t, id, StableID("https://go.dev/blog/go1.26"))
	for _, r := range id {
		require.True(t, r >= 'a' && r <= 'z' || r >= '2' && r <= '7', "%q", r)
	}
}

func TestBuild_Previous(t *testing.T) {
	c1, err := Build(pets(), catalog.Policy{}, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"cats", "dogs", "care"}, c1.Topics)

	// The next window of the feed: care is gone from tags, birds are new
	// and more common than anything else.
	next := pets()[3:]
	for i := range next {
		if slices.Contains(next[i].Topics, "care") {
			next[i].Topics = []string{"dogs"}
		}
	}
	for i := range 4 {
		next = append(next, feed.Item{ID: fmt.Sprintf("bird-%d", i), URL: fmt.Sprintf("https://pets.example/b%d", i),
			Title: "Birds sing", Summary: "birds sing and fly", Topics: []string{"Birds"}, Published: day0})
	}
	c2, err := Build(next, catalog.Policy{}, Options{})
	require.NoError(t, err)
	require.Equal(t, "birds", c2.Topics[0], "without the previous catalogue, order follows use")

	c3, err := Build(next, catalog.Policy{}, Options{Previous: c1})
	require.NoError(t, err)
	require.Equal(t, []string{"dogs", "birds"}, c3.Topics[:2], "previous topics keep their order, new ones follow")

	t.Run("merge carries items that left the feed", func(t *testing.T) {
		c4, err := Build(next, catalog.Policy{}, Options{Previous: c1, Merge: true})
		require.NoError(t, err)
		require.Len(t, c4.Items, len(next)+3)
		i := find(t, c4, "https://pets.example/1")
		old := c1.Items[find(t, c1, "https://pets.example/1")]
		require.Equal(t, old.ID, c4.Items[i].ID)
		require.Equal(t, old.Title, c4.Items[i].Title)
		require.Contains(t, topicsOf(c4, i), "cats")
		require.Equal(t, "cats", c4.Topics[0], "cats is back in its old place")
		require.Empty(t, c4.Items[i].Summary, "c1 was built without Merge, so without text")
	})

	t.Run("a chain of merges keeps the text of carried items", func(t *testing.T) {
		m1, err := Build(pets(), catalog.Policy{}, Options{Merge: true})
		require.NoError(t, err)
		m2, err := Build(next, catalog.Policy{}, Options{Previous: m1, Merge: true})
		require.NoError(t, err)
		old := m1.Items[find(t, m1, "https://pets.example/1")]
		got := m2.Items[find(t, m2, "https://pets.example/1")]
		require.NotEmpty(t, old.Summary)
		require.Equal(t, old.Summary, got.Summary)
		require.Equal(t, old.Terms, got.Terms)
	})
}

func TestBuild_Popularity(t *testing.T) {
	items := pets()[:4]
	items[0].Popularity = 0
	items[1].Popularity = 9
	items[2].Popularity = 99
	items[3].Popularity = 999
	c, err := Build(items, catalog.Policy{}, Options{})
	require.NoError(t, err)
	pop := func(url string) float32 { return c.Items[find(t, c, url)].Popularity }
	require.Equal(t, float32(0), pop("https://pets.example/1"))
	require.Equal(t, float32(1), pop("https://pets.example/4"))
	require.InDelta(t, math.Log(10)/math.Log(1000), pop("https://pets.example/2"), 1e-3, "log scale")
	require.InDelta(t, math.Log(100)/math.Log(1000), pop("https://pets.example/3"), 1e-3)

	none, err := Build(pets(), catalog.Policy{}, Options{})
	require.NoError(t, err)
	for _, it := range none.Items {
		require.Zero(t, it.Popularity)
	}
}

func TestBuild_SuppliedVectors(t *testing.T) {
	items := pets()[:3]
	items[0].Vector = []float32{1, 2}
	items[1].Vector = []float32{0, -3}
	items[2].Vector = []float32{4, 0}
	c, err := Build(items, catalog.Policy{}, Options{})
	require.NoError(t, err)
	require.Equal(t, 2, c.Dim)
	// YᵀY of the unquantised vectors.
	require.Equal(t, []float32{1 + 16, 2, 2, 4 + 9}, c.Gram)
	require.Equal(t, float32(DefaultLambda), c.Lambda)
	v := c.Items[find(t, c, "https://pets.example/1")]
	require.InDelta(t, 1, float64(int8(v.Vector[0]))*float64(v.Scale), 0.01, "supplied vectors are not normalised")
	require.InDelta(t, 2, float64(int8(v.Vector[1]))*float64(v.Scale), 0.01)

	given, err := Build(items, catalog.Policy{}, Options{Gram: []float32{5, 1, 1, 5}, Lambda: 0.5})
	require.NoError(t, err)
	require.Equal(t, []float32{5, 1, 1, 5}, given.Gram)
	require.Equal(t, float32(0.5), given.Lambda)

	for name, o := range map[string]Options{
		"wrong size":    {Gram: []float32{1, 2, 3}},
		"not symmetric": {Gram: []float32{1, 2, 3, 4}},
		"not finite":    {Gram: []float32{float32(math.Inf(1)), 0, 0, 1}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Build(items, catalog.Policy{}, o)
			require.ErrorIs(t, err, ErrGram)
		})
	}
	items[2].Vector = []float32{1, 2, 3}
	_, err = Build(items, catalog.Policy{}, Options{})
	require.ErrorIs(t, err, ErrVector)
	require.Contains(t, err.Error(), "pets item", "the message names an item")

	_, err = Build(pets(), catalog.Policy{}, Options{Gram: []float32{1}})
	require.ErrorIs(t, err, ErrGram, "a Gram matrix needs item vectors")
}

func TestBuild_Options(t *testing.T) {
	c, err := Build(pets(), catalog.Policy{}, Options{NoVectors: true, KeyTerms: 2, KeepText: true})
	require.NoError(t, err)
	require.Zero(t, c.Dim)
	for _, it := range c.Items {
		require.Empty(t, it.Vector)
		require.NotEmpty(t, it.Terms)
		require.LessOrEqual(t, len(it.Terms), 2)
	}
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c, err = Build(pets(), catalog.Policy{}, Options{Generated: at, Dim: 4})
	require.NoError(t, err)
	require.Equal(t, at.Unix(), c.Generated)
	require.Equal(t, 4, c.Dim)

	_, err = Build(nil, catalog.Policy{}, Options{})
	require.ErrorIs(t, err, ErrNoItems)
}

func TestBuild_Policy(t *testing.T) {
	items := pets()
	pol := catalog.Policy{
		Diversity: 0.5,
		Pinned:    []string{"https://pets.example/2", "pet-3", StableID("pet-4")},
		Excluded:  []string{"https://pets.example/6"},
		Sensitive: []string{"care"},
	}
	c, err := Build(items, pol, Options{URL: ReplacePrefix("https://pets.example/", "/p/")})
	require.NoError(t, err)
	require.Equal(t, []string{StableID("pet-2"), StableID("pet-3"), StableID("pet-4")}, c.Policy.Pinned,
		"pinned items may be named by URL, publisher id or catalogue id")
	require.Equal(t, []string{StableID("pet-6")}, c.Policy.Excluded)
	require.Equal(t, float32(0.5), c.Policy.Diversity)
	require.Equal(t, float32(catalog.DefaultExploration), c.Policy.Exploration, "defaults are stated")

	_, err = Build(items, catalog.Policy{Pinned: []string{"https://pets.example/404"}}, Options{})
	require.ErrorIs(t, err, ErrUnknownItemRef)
	require.Contains(t, err.Error(), "pinned[0]")
	_, err = Build(items, catalog.Policy{Exploration: 2}, Options{})
	require.ErrorIs(t, err, catalog.ErrPolicy)
	require.Contains(t, err.Error(), "exploration")
}

// TestBuild_Text: summaries and key terms shape a catalogue whether or not
// it carries them; by default it does only with Merge.
func TestBuild_Text(t *testing.T) {
	items := Synthetic(300, 1)
	full, err := Build(items, catalog.Policy{}, Options{Dim: 8, KeepText: true})
	require.NoError(t, err)
	lean, err := Build(items, catalog.Policy{}, Options{Dim: 8})
	require.NoError(t, err)
	require.Len(t, lean.Items, len(full.Items))
	for i, it := range lean.Items {
		require.NotEmpty(t, full.Items[i].Summary)
		require.NotEmpty(t, full.Items[i].Terms)
		require.Empty(t, it.Summary)
		require.Empty(t, it.Terms)
		// The text still shaped everything else.
		it.Summary, it.Terms = full.Items[i].Summary, full.Items[i].Terms
		require.Equal(t, full.Items[i], it)
	}
	require.Equal(t, full.Topics, lean.Topics)
	a, err := full.Encode()
	require.NoError(t, err)
	b, err := lean.Encode()
	require.NoError(t, err)
	require.Less(t, len(b), len(a)*2/3)

	merged, err := Build(items, catalog.Policy{}, Options{Dim: 8, Merge: true})
	require.NoError(t, err)
	require.Equal(t, full.Items, merged.Items, "Merge keeps the text a later Merge build needs")
	merged, err = Build(items, catalog.Policy{}, Options{Dim: 8, Merge: true, OmitText: true})
	require.NoError(t, err)
	require.Equal(t, lean.Items, merged.Items, "OmitText leaves it out even with Merge")

	_, err = Build(items, catalog.Policy{}, Options{KeepText: true, OmitText: true})
	require.ErrorIs(t, err, ErrOptions)
}

func TestSynthetic(t *testing.T) {
	a := Synthetic(500, 1)
	require.Len(t, a, 500)
	require.Equal(t, a, Synthetic(500, 1))
	require.NotEqual(t, a[0].Title, Synthetic(500, 2)[0].Title)
	tagged := 0
	for _, it := range a {
		if len(it.Topics) > 0 {
			tagged++
		}
		require.True(t, strings.HasPrefix(it.URL, "https://example.com/item/"))
	}
	require.InDelta(t, 333, tagged, 60)
}

// TestBuild_Dates checks that a publication time outside the years 1900 to
// 9999 fails the build, naming the item, and that a lenient build drops
// the item with a warning instead: no build writes such a date, which the
// engine's freshness arithmetic overflowed on. A time in milliseconds read
// as seconds, the usual mistake, is among them.
func TestBuild_Dates(t *testing.T) {
	in := `{"id":"a","url":"https://pets.example/a","title":"Cats","summary":"cats purr","published":1740787200}
{"id":"b","url":"https://pets.example/b","title":"Dogs","summary":"dogs bark","published":1740787200000}
{"id":"c","url":"https://pets.example/c","title":"Mice","summary":"mice squeak","published":"1850-05-01"}
{"id":"d","url":"https://pets.example/d","title":"Birds","summary":"birds sing","published":"1900-01-01"}
{"id":"e","url":"https://pets.example/e","title":"Fish","summary":"fish swim"}
`
	items, err := feed.Parse(strings.NewReader(in), "items.jsonl")
	require.NoError(t, err)
	_, err = Build(items, catalog.Policy{}, Options{})
	require.ErrorIs(t, err, ErrDate)
	require.Contains(t, err.Error(), "(b)")

	var warned []error
	c, err := Build(items, catalog.Policy{}, Options{Warn: func(err error) { warned = append(warned, err) }})
	require.NoError(t, err)
	require.Len(t, warned, 2)
	for _, w := range warned {
		require.ErrorIs(t, w, ErrDate)
	}
	require.Contains(t, warned[0].Error(), "(b)")
	require.Contains(t, warned[1].Error(), "(c)")
	var kept []string
	for _, it := range c.Items {
		kept = append(kept, it.Title)
		require.GreaterOrEqual(t, it.Published, int64(catalog.MinPublished), it.Title)
		require.LessOrEqual(t, it.Published, int64(catalog.MaxPublished), it.Title)
	}
	require.ElementsMatch(t, []string{"Cats", "Birds", "Fish"}, kept, "the undated item stays")
	require.NoError(t, c.Validate())

	_, err = Build(items[:1], catalog.Policy{}, Options{Generated: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.ErrorIs(t, err, ErrDate, "generation time")
}
