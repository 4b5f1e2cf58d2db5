package eval

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func at(s string) int64 {
	t, err := time.Parse(mindTime, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

func TestLoadMIND(t *testing.T) {
	ds, err := Load("testdata/mind")
	require.NoError(t, err)
	ids := func(items []int) []string {
		var out []string
		for _, i := range items {
			out = append(out, ds.Items[i].ID)
		}
		return out
	}

	var all []string
	for _, it := range ds.Items {
		all = append(all, it.ID)
	}
	require.Equal(t, []string{"N1", "N2", "N3", "N4", "N5", "N6", "N8"}, all, "N7 has no text")
	n5 := ds.Items[ds.itemIndex()["N5"]]
	require.Equal(t, "Walking every day helps", n5.Title)
	require.Equal(t, []string{"health"}, n5.Topics)
	require.Contains(t, n5.Text, "fitness")
	require.Contains(t, n5.Text, "blood pressure")
	require.Equal(t, at("11/11/2019 9:00:00 AM"), n5.Published, "first impression, not first line")
	require.Equal(t, at("11/11/2019 7:00:00 PM"), ds.Items[ds.itemIndex()["N6"]].Published)
	require.Equal(t, []string{"U1", "U2", "U3"}, ds.Users)

	byUser := map[string][]Interaction{}
	for _, x := range ds.Positive {
		byUser[ds.Users[x.User]] = append(byUser[ds.Users[x.User]], x)
	}
	first := at("11/11/2019 9:00:00 AM")
	require.Equal(t, []Interaction{
		{User: 0, Item: ds.itemIndex()["N1"], Time: first - 2}, // history, in order, before the first impression
		{User: 0, Item: ds.itemIndex()["N2"], Time: first - 1},
		{User: 0, Item: ds.itemIndex()["N5"], Time: first},
		{User: 0, Item: ds.itemIndex()["N6"], Time: at("11/12/2019 10:30:00 AM")},
	}, byUser["U1"])
	require.Len(t, byUser["U2"], 4, "N99 is unknown and N7 has no text")
	require.Len(t, byUser["U3"], 1)

	s := NewSplit(ds)
	require.Len(t, s.Users, 2, "U3 has a single click")
	for _, tc := range []struct {
		user    string
		history []string
		target  string
	}{
		{"U1", []string{"N1", "N2", "N5"}, "N6"},
		{"U2", []string{"N3", "N8", "N4"}, "N5"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			var u *TestUser
			for i := range s.Users {
				if ds.Users[s.Users[i].User] == tc.user {
					u = &s.Users[i]
				}
			}
			require.NotNil(t, u)
			var hist []int
			for _, x := range u.History {
				hist = append(hist, x.Item)
			}
			require.Equal(t, tc.history, ids(hist))
			require.Equal(t, []string{tc.target}, ids(u.Targets))
			require.Equal(t, u.History[len(u.History)-1].Time, u.Now)
		})
	}
	require.Equal(t, len(ds.Items), s.NumUniverse, "news candidates are every article with text")
}

func TestLoadMovieLens(t *testing.T) {
	for _, dir := range []string{"testdata/movielens-csv", "testdata/movielens-dat"} {
		t.Run(dir, func(t *testing.T) {
			ds, err := Load(dir)
			require.NoError(t, err)
			require.Len(t, ds.Items, 4)
			require.Equal(t, "Robots, Again (2001)", ds.Items[1].Title)
			require.Equal(t, []string{"Action", "Sci-Fi"}, ds.Items[1].Topics)
			require.Equal(t, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), ds.Items[1].Published)
			require.Nil(t, ds.Items[3].Topics, "(no genres listed) is no genre")
			require.Zero(t, ds.Items[3].Published, "no year in the title")
			require.Equal(t, []string{"1", "2"}, ds.Users)
			require.Equal(t, []Interaction{
				{User: 0, Item: 0, Time: 100},
				{User: 0, Item: 2, Time: 300},
				{User: 1, Item: 1, Time: 150},
				{User: 1, Item: 3, Time: 170},
			}, ds.Positive, "ratings below 4 are not positives, and unknown movies are dropped")
			require.Equal(t, []Interaction{{User: 0, Item: 1, Time: 200}}, ds.Seen, "a rating below 4 is an interaction all the same")
			require.Equal(t, []Tag{{User: 0, Item: 0, Text: "seaside"}, {User: 1, Item: 1, Text: "robots, sequels"}}, ds.Tags)
		})
	}
}

func TestLoad_errors(t *testing.T) {
	_, err := Load("testdata/does-not-exist")
	require.ErrorIs(t, err, os.ErrNotExist)
	_, err = Load(t.TempDir())
	require.ErrorIs(t, err, ErrFormat, "an empty folder is in no layout")
	both := t.TempDir()
	for _, f := range []string{"ratings.csv", "movies.csv", "news.tsv", "behaviors.tsv"} {
		require.NoError(t, os.WriteFile(filepath.Join(both, f), nil, 0o644))
	}
	_, err = Load(both)
	require.ErrorIs(t, err, ErrFormat, "MovieLens and MIND files together are ambiguous")
	_, err = LoadMIND("testdata/movielens-csv")
	require.Error(t, err, "a MovieLens folder is not MIND")
}

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct {
		dir, want string
	}{
		{"testdata/movielens-csv", FormatMovieLens},
		{"testdata/movielens-dat", FormatMovieLens},
		{"testdata/mind", FormatMIND},
	} {
		got, err := DetectFormat(tc.dir)
		require.NoError(t, err, tc.dir)
		require.Equal(t, tc.want, got, tc.dir)
	}
}

// blocks is a synthetic data set with two tastes: users 0..n-1 like items
// 0..4, users n..2n-1 like items 5..9, each user at increasing times;
// item 0 and 5 are the most popular of their block.
func blocks(n int) *Dataset {
	ds := &Dataset{Protocol: movieLensProtocol}
	for i := range 10 {
		ds.Items = append(ds.Items, Item{ID: fmt.Sprint(i), Title: fmt.Sprintf("Item %d", i), Topics: []string{[]string{"a", "b"}[i/5]}})
	}
	for u := range 2 * n {
		ds.Users = append(ds.Users, fmt.Sprint(u))
		base := 5 * (u / n)
		// Each user skips one item of their block (a different one), so
		// the block's items are not all equally popular.
		for k := range 5 {
			if k != 1+u%4 {
				ds.Positive = append(ds.Positive, Interaction{User: u, Item: base + k, Time: int64(1000*u + k)})
			}
		}
		// A fifth positive from the user's own block keeps everyone a
		// test user with one target.
		ds.Positive = append(ds.Positive, Interaction{User: u, Item: base + 1 + u%4, Time: int64(1000*u + 10)})
	}
	return ds
}

func TestNewSplit(t *testing.T) {
	ds := blocks(4)
	// A user with fewer than MinPositives is only ever training data, and
	// ties in time are broken by item.
	ds.Users = append(ds.Users, "light")
	ds.Positive = append(ds.Positive, Interaction{User: 8, Item: 9, Time: 5}, Interaction{User: 8, Item: 8, Time: 5})
	s := NewSplit(ds)
	require.Len(t, s.Users, 8)
	for _, u := range s.Users {
		require.Len(t, u.History, 4)
		require.Len(t, u.Targets, 1)
		require.Equal(t, 5*(u.User/4)+1+u.User%4, u.Targets[0], "the latest positive is the target")
		for _, x := range u.History {
			require.Less(t, x.Time, int64(1000*u.User+10))
		}
	}
	require.Len(t, s.Train, 8*4+2)
	for k := 1; k < len(s.Train); k++ {
		require.LessOrEqual(t, s.Train[k-1].Time, s.Train[k].Time)
	}
	require.Equal(t, 10, s.NumUniverse)

	v := s.Validation()
	require.Len(t, v.Users, 8)
	for k, u := range v.Users {
		require.Equal(t, s.Users[k].History[:3], u.History)
		require.Equal(t, []int{s.Users[k].History[3].Item}, u.Targets)
		require.Equal(t, u.History[2].Time, u.Now)
	}
	require.Len(t, v.Train, 8*3+2, "validation targets leave the training data")
	held := v.Held()
	for _, x := range v.Train {
		require.False(t, held[[2]int{x.User, x.Item}])
	}
}

// TestSplit_seen checks that an item the reader interacted with before their
// targets, whatever the rating, is no candidate, and one they rated after is.
func TestSplit_seen(t *testing.T) {
	ds := blocks(4)
	// User 0's target is item 1 at time 10; they rated item 7 low before
	// it and item 8 low after it. Item 7 was seen before the validation
	// target (item 4 at time 4) too; item 6 only after it.
	ds.Seen = []Interaction{{User: 0, Item: 7, Time: 3}, {User: 0, Item: 6, Time: 5}, {User: 0, Item: 8, Time: 11}}
	s := NewSplit(ds)
	u := s.Users[0]
	require.Equal(t, 0, u.User)
	require.Equal(t, []int{1}, u.Targets)
	require.Equal(t, []int{7, 6}, u.Seen)
	cand := s.candidateMask(&u)
	for i, want := range []bool{false, true, false, false, false, true, false, false, true, true} {
		require.Equal(t, want, cand[i], "item %d", i)
	}
	v := s.Validation()
	require.Equal(t, []int{4}, v.Users[0].Targets)
	require.Equal(t, []int{7}, v.Users[0].Seen)
	for _, x := range s.Train {
		require.False(t, x.User == 0 && x.Item > 4, "nobody learns from a low rating")
	}
}

func TestSplit_maxTestUsers(t *testing.T) {
	ds := blocks(10)
	ds.Protocol.MaxTestUsers = 5
	s := NewSplit(ds)
	require.Len(t, s.Users, 5)
	require.Equal(t, 20, s.Eligible)
	require.Len(t, s.Train, 5*4+15*5, "users left out of the sample are training data, targets included")
	var again []int
	for _, u := range NewSplit(ds).Users {
		again = append(again, u.User)
	}
	var first []int
	for _, u := range s.Users {
		first = append(first, u.User)
	}
	require.Equal(t, first, again, "the sample is the same on every run")
}

func TestSplit_fraction(t *testing.T) {
	ds := &Dataset{Users: []string{"u"}, Protocol: movieLensProtocol}
	for i := range 23 {
		ds.Items = append(ds.Items, Item{ID: fmt.Sprint(i), Title: "x"})
		ds.Positive = append(ds.Positive, Interaction{User: 0, Item: 22 - i, Time: int64(i)})
	}
	s := NewSplit(ds)
	require.Len(t, s.Users, 1)
	require.Equal(t, []int{3, 2, 1, 0}, s.Users[0].Targets, "the latest 20% (4.6, rounded down) are held out")
	require.Equal(t, 19, s.NumUniverse, "held-out items nobody else has are not candidates")

	v := s.Validation()
	require.Len(t, v.Users, 1)
	require.Equal(t, []int{6, 5, 4}, v.Users[0].Targets, "validation holds out the latest 20% of the history (3.8) by the same rule")
	require.Len(t, v.Users[0].History, 16)
	require.Len(t, v.Train, 16)
}

func TestTopK(t *testing.T) {
	scores := []float64{0.5, 0.9, 0.9, 0.1, 0.7, 0.95}
	cand := []bool{true, true, true, true, true, false}
	require.Equal(t, []int{1, 2, 4}, topK(scores, cand, 3), "ties to the lower index; non-candidates skipped")
	require.Equal(t, []int{1, 2, 4, 0, 3}, topK(scores, cand, 10))
	require.Empty(t, topK(scores, make([]bool, 6), 3))
}

// TestMethods checks every server-side method on a data set whose answer
// is known: a reader's candidates are their one missing item of their own
// block and the other block's items, which are more popular.
func TestMethods(t *testing.T) {
	ds := blocks(20)
	s := NewSplit(ds)
	als, err := NewServerALS(s, ALSConfig{Dim: 2, Lambda: 1, Alpha: 10, Iterations: 20, Seed: 1})
	require.NoError(t, err)
	for _, m := range []Method{NewItemKNN(s, 10), als} {
		t.Run(m.Name(), func(t *testing.T) {
			res := Evaluate(s, m)
			require.NoError(t, checkLists(s, res))
			for i, u := range s.Users {
				block := u.Targets[0] / 5
				require.Equal(t, block, res.Lists[i][0]/5, "user %d: first item from the user's own block", u.User)
			}
		})
	}
	t.Run("popularity", func(t *testing.T) {
		res := Evaluate(s, NewPopularity(s))
		require.NoError(t, checkLists(s, res))
		for i, u := range s.Users {
			other := 1 - u.Targets[0]/5
			require.Equal(t, 5*other, res.Lists[i][0], "user %d: the other block's item everyone there has", u.User)
			require.Less(t, res.NDCG[i], 1.0, "so the target is not first")
		}
	})
}

// TestCrossFitted checks that a method under several cross-fittings
// scores each reader by the mean of their metrics under each, with the
// first's lists.
func TestCrossFitted(t *testing.T) {
	s := NewSplit(blocks(20))
	knn, pop := NewItemKNN(s, 10), NewPopularity(s)
	a, b := Evaluate(s, knn), Evaluate(s, pop)
	both := Evaluate(s, CrossFitted{knn, pop})
	require.Equal(t, a.Lists, both.Lists)
	for i := range s.Users {
		require.NotEqual(t, a.NDCG[i], b.NDCG[i], "user %d: the two methods differ", i)
		require.InDelta(t, (a.NDCG[i]+b.NDCG[i])/2, both.NDCG[i], 1e-12, "user %d", i)
		require.InDelta(t, (a.HR[i]+b.HR[i])/2, both.HR[i], 1e-12, "user %d", i)
		require.InDelta(t, (a.ILD[i]+b.ILD[i])/2, both.ILD[i], 1e-12, "user %d", i)
		require.InDelta(t, (a.Outside[i]+b.Outside[i])/2, both.Outside[i], 1e-12, "user %d", i)
	}
	require.InDelta(t, (a.Coverage+b.Coverage)/2, both.Coverage, 1e-12)
}

func TestFolds(t *testing.T) {
	ds := blocks(7)
	f := Folds(ds, 3)
	n := 0
	for _, x := range f {
		n += x
	}
	require.Equal(t, len(ds.Users)/2, n, "half of the users in each fold")
	require.Equal(t, f, Folds(ds, 3))
}

// TestPanels checks a smaller panel keeps share of each fold's users, in
// their fold, and is part of every larger panel of the same seed.
func TestPanels(t *testing.T) {
	ds := blocks(20)
	folds := Folds(ds, 3)
	var larger []int
	for _, share := range []float64{1, 0.5, 0.25, 0.01} {
		f, p := panels(ds, 3, share)
		require.Equal(t, folds, f, "the halves are the same at every share")
		if share == 1 {
			require.Equal(t, folds, p, "the whole panel is the halves")
		}
		per := map[int]int{}
		for u, f := range p {
			per[f]++
			if f >= 0 {
				require.Equal(t, folds[u], f, "user %d stays in their fold", u)
				if larger != nil {
					require.Equal(t, f, larger[u], "user %d of the panel at %g is on the larger one", u, share)
				}
			}
		}
		keep := max(1, int(math.Round(share*float64(len(ds.Users))/2)))
		require.Equal(t, keep, per[0], "share %g", share)
		require.Equal(t, keep, per[1], "share %g", share)
		require.Equal(t, len(ds.Users)-2*keep, per[-1], "share %g", share)
		larger = p
	}
}

func TestPlot(t *testing.T) {
	red := color.RGBA{200, 0, 0, 255}
	var b bytes.Buffer
	require.NoError(t, Plot(&b, "title", "diversity", []Series{
		{Name: "curve", Color: red, Line: true, Points: []SweepPoint{{NDCG: 0.05, ILD: 0.7}, {NDCG: 0.04, ILD: 0.8}}, Labels: []string{"0.1", ""}},
		{Name: "point", Color: color.RGBA{0, 0, 200, 255}, Marker: Triangle, Points: []SweepPoint{{NDCG: 0.06, ILD: 0.75}}},
	}))
	img, err := png.Decode(&b)
	require.NoError(t, err)
	require.Equal(t, 1200, img.Bounds().Dx())
	reds := 0
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 == 200 && g == 0 && bl == 0 {
				reds++
			}
		}
	}
	require.Greater(t, reds, 200, "the curve, its markers and its legend entry are drawn")

	require.Error(t, Plot(&b, "empty", "diversity", nil))
}

func TestGlyphs(t *testing.T) {
	for r, g := range glyphs {
		for _, row := range g {
			require.Len(t, row, 5, "glyph %q", r)
		}
	}
	for _, r := range "intra-list diversity (mean genre distance within a list) nDCG@10 Hearth, panel vectors ALS item-kNN 0123456789.%" {
		_, ok := glyphs[r]
		require.True(t, ok, "glyph %q missing", r)
	}
}
