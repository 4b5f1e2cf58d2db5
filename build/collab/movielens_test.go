package collab

import (
	"cmp"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/stretchr/testify/require"
)

// movielens is MovieLens ml-latest-small as a publisher with a consenting
// panel would see it: films by index, positives (4 stars or more) of each
// user in time order.
type movielens struct {
	ids    []string // movieId by index
	titles []string
	genres [][]string
	index  map[string]int
	users  [][]Interaction // per user, by time
}

func loadMovieLens(t *testing.T) *movielens {
	t.Helper()
	dir := shareddata.Dir(t, "movielens-latest-small")
	ml := &movielens{index: map[string]int{}}
	for _, r := range readAll(t, filepath.Join(dir, "movies.csv"))[1:] {
		ml.index[r[0]] = len(ml.ids)
		ml.ids = append(ml.ids, r[0])
		ml.titles = append(ml.titles, r[1])
		ml.genres = append(ml.genres, strings.Split(r[2], "|"))
	}
	byUser := map[string]int{}
	for _, r := range readAll(t, filepath.Join(dir, "ratings.csv"))[1:] {
		if v, _ := strconv.ParseFloat(r[2], 64); v < 4 {
			continue
		}
		u, ok := byUser[r[0]]
		if !ok {
			u = len(ml.users)
			byUser[r[0]] = u
			ml.users = append(ml.users, nil)
		}
		ts, err := strconv.ParseInt(r[3], 10, 64)
		require.NoError(t, err)
		ml.users[u] = append(ml.users[u], Interaction{User: u, Item: ml.index[r[1]], Time: ts})
	}
	for _, h := range ml.users {
		slices.SortStableFunc(h, func(a, b Interaction) int { return cmp.Compare(a.Time, b.Time) })
	}
	return ml
}

func readAll(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return recs
}

// mlSplit is a random half of the users as the panel; the others are
// readers, whose latest fifth of positives are targets and the rest their
// history.
type mlSplit struct {
	panel    []Interaction
	readers  [][]Interaction // history
	targets  [][]int
	popular  []float64 // positives per item in the panel
	nItems   int
	consecut []Transition // consecutive positives of panel members
}

func splitMovieLens(ml *movielens, seed uint64) *mlSplit {
	s := &mlSplit{nItems: len(ml.ids), popular: make([]float64, len(ml.ids))}
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, u := range rng.Perm(len(ml.users)) {
		h := ml.users[u]
		if u%2 == 0 {
			s.panel = append(s.panel, h...)
			for k, x := range h {
				s.popular[x.Item]++
				if k > 0 {
					s.consecut = append(s.consecut, Transition{From: h[k-1].Item, To: x.Item, Count: 1})
				}
			}
			continue
		}
		if len(h) < 5 {
			continue
		}
		cut := len(h) - max(1, len(h)/5)
		s.readers = append(s.readers, h[:cut])
		var tg []int
		for _, x := range h[cut:] {
			tg = append(tg, x.Item)
		}
		s.targets = append(s.targets, tg)
	}
	return s
}

// hitRate is the share of readers with a target among the top k of score,
// their history and items score leaves at -Inf excluded.
func (s *mlSplit) hitRate(k int, score func(r int) []float64) float64 {
	hits := 0
	for r, h := range s.readers {
		sc := score(r)
		for _, x := range h {
			sc[x.Item] = math.Inf(-1)
		}
		order := make([]int, len(sc))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sc[b], sc[a]) })
		top := order[:k]
		for _, i := range top {
			if !math.IsInf(sc[i], -1) && slices.Contains(s.targets[r], i) {
				hits++
				break
			}
		}
	}
	return float64(hits) / float64(len(s.readers))
}

// foldScores ranks by the cosine of the reader's fold-in with each item's
// factor, as the device does; items without a factor are left out.
func (s *mlSplit) foldScores(f *Factors) func(r int) []float64 { return s.scores(f, true) }

func (s *mlSplit) scores(f *Factors, cosine bool) func(r int) []float64 {
	return func(r int) []float64 {
		var items []int
		for _, x := range s.readers[r] {
			items = append(items, x.Item)
		}
		u := f.FoldIn(items, DefaultAlpha)
		sc := make([]float64, s.nItems)
		for i, y := range f.Y {
			sc[i] = math.Inf(-1)
			if y == nil || u == nil {
				continue
			}
			var dot, n float64
			for k, v := range y {
				dot += float64(v) * u[k]
				n += float64(v) * float64(v)
			}
			if n > 0 {
				sc[i] = dot
				if cosine {
					sc[i] /= math.Sqrt(n)
				}
			}
		}
		return sc
	}
}

func (s *mlSplit) popScores(int) []float64 { return slices.Clone(s.popular) }

// textVectors builds a catalogue of the films with the builder's text
// features (titles and genres) and returns its dequantised text vectors by
// film index.
func textVectors(t *testing.T, ml *movielens, dim int) [][]float32 {
	t.Helper()
	items := make([]feed.Item, len(ml.ids))
	for i := range ml.ids {
		items[i] = feed.Item{ID: ml.ids[i], URL: "/movie/" + ml.ids[i], Title: ml.titles[i], Text: strings.Join(ml.genres[i], " "),
			Topics: ml.genres[i], Language: "en", Published: time.Unix(1e9, 0)}
	}
	c, err := pack.Build(items, catalog.Policy{}, pack.Options{Dim: dim})
	require.NoError(t, err)
	out := make([][]float32, len(ml.ids))
	for i, id := range ml.ids {
		k, ok := c.Find(pack.StableID(id))
		require.True(t, ok)
		if it := c.Items[k]; it.Scale > 0 {
			out[i] = text.Dequantize(it.Vector, it.Scale)
		}
	}
	return out
}

// mlOptions keep the MovieLens tests to a few seconds: half the default
// dimension.
// MinMembers 1: these tests measure the model and the text map with every
// film the panel has (TestTrain_MinMembers tests the floor).
var mlOptions = Options{Dim: 32, Iterations: 8, MinMembers: 1}

// TestALS_MovieLens trains panel vectors on half of MovieLens' users with a
// fifth of the films left out of the panel's data (too new to have any),
// maps those from their text, and folds the other half's readers in from
// their own history as the device does (ranking by cosine). The panel
// vectors find a later positive in the top 10 more often than popularity
// does, and among the left-out films the mapped vectors rank a reader's
// later positives far above chance.
func TestALS_MovieLens(t *testing.T) {
	ml := loadMovieLens(t)
	s := splitMovieLens(ml, 1)
	rng := rand.New(rand.NewPCG(2, 3))
	cold := make([]bool, s.nItems)
	for i, n := range s.popular {
		cold[i] = n > 0 && rng.Float64() < 0.2
	}
	var panel []Interaction
	for _, x := range s.panel {
		if !cold[x.Item] {
			panel = append(panel, x)
		}
	}
	start := time.Now()
	f, err := ALS(panel, s.nItems, mlOptions)
	require.NoError(t, err)
	trained := time.Since(start)
	before := s.hitRate(10, s.foldScores(f))
	texts := textVectors(t, ml, 32)
	want := 0
	for i, y := range f.Y {
		if y == nil && nonzero(texts[i]) {
			want++
		}
	}
	mapped, err := f.MapText(texts, 0)
	require.NoError(t, err)
	require.Equal(t, want, mapped, "every item with text and no data is mapped")

	pop := s.hitRate(10, s.popScores)
	als := s.hitRate(10, s.foldScores(f))
	t.Logf("%d panel positives, %d readers; trained in %s; HR@10 panel vectors %.3f, popularity %.3f; %d films mapped from text",
		len(panel), len(s.readers), trained.Round(time.Millisecond), als, pop, mapped)
	require.Greater(t, als, pop+0.02, "panel vectors, mapped films among the candidates, beat popularity")
	require.Greater(t, als, before-0.03, "mapped films do not crowd out learned ones (%.3f before mapping)", before)

	// Cold films only: rank them for readers with a later positive among
	// them, against the hit rate of a random order.
	got, chance, readers := coldHitRate(s, f, cold)
	t.Logf("left-out films: %d readers, HR@10 %.3f with mapped vectors, %.3f by chance", readers, got, chance)
	require.Greater(t, readers, 30)
	require.Greater(t, got, 3*chance, "mapped vectors rank new films above chance")
}

// coldHitRate ranks only the cold items (minus each reader's history) by
// the cosine with the reader's fold-in, for readers with a target among
// them, and returns the hit rate at 10, that of a random order, and the
// number of such readers.
func coldHitRate(s *mlSplit, f *Factors, cold []bool) (got, chance float64, readers int) {
	score := s.foldScores(f)
	for r, h := range s.readers {
		var tg []int
		for _, i := range s.targets[r] {
			if cold[i] {
				tg = append(tg, i)
			}
		}
		if len(tg) == 0 {
			continue
		}
		readers++
		sc := score(r)
		seen := map[int]bool{}
		for _, x := range h {
			seen[x.Item] = true
		}
		var cand []int
		for i := range cold {
			if cold[i] && !seen[i] {
				cand = append(cand, i)
			}
		}
		slices.SortStableFunc(cand, func(a, b int) int { return cmp.Compare(sc[b], sc[a]) })
		for _, i := range cand[:min(10, len(cand))] {
			if slices.Contains(tg, i) {
				got++
				break
			}
		}
		// P(no target in a random 10 of n) = Π (n−t−k)/(n−k).
		miss := 1.0
		for k := range min(10, len(cand)) {
			miss *= float64(len(cand)-len(tg)-k) / float64(len(cand)-k)
		}
		chance += 1 - miss
	}
	return got / float64(readers), chance / float64(readers), readers
}

// TestTransitions_MovieLens counts consecutive positives of the panel's
// members as transitions, with no member identifier, as a publisher's log
// would give them, and folds the other half's readers in against the
// factors learned from the counts alone. Consecutive ratings are a weak
// stand-in for a reader's path (members rate films in batches), so the
// claim is modest: the counts rank a reader's later positives far above
// chance, and close to popularity (which needs the counts per film the
// transition file does not carry).
func TestTransitions_MovieLens(t *testing.T) {
	ml := loadMovieLens(t)
	s := splitMovieLens(ml, 1)
	start := time.Now()
	f, err := Transitions(s.consecut, s.nItems, mlOptions)
	require.NoError(t, err)
	trained := time.Since(start)
	pop := s.hitRate(10, s.popScores)
	got := s.hitRate(10, s.foldScores(f))
	// A random order of the covered items.
	chance := s.hitRate(10, func(r int) []float64 {
		rng := rand.New(rand.NewPCG(uint64(r), 9))
		sc := make([]float64, s.nItems)
		for i, y := range f.Y {
			sc[i] = math.Inf(-1)
			if y != nil {
				sc[i] = rng.Float64()
			}
		}
		return sc
	})
	t.Logf("%d transitions; trained in %s; HR@10 transition vectors %.3f, popularity %.3f, chance %.3f",
		len(s.consecut), trained.Round(time.Millisecond), got, pop, chance)
	require.Greater(t, got, 5*chance)
	require.Greater(t, got, 0.8*pop)
}
