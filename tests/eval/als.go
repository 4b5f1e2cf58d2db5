package eval

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/rank"
)

// ALSConfig are the hyperparameters of the implicit-feedback factorisations
// (build/collab). Alpha is the confidence slope of a user's items for ALS
// on histories, and of an item's neighbours for transition counts.
type ALSConfig struct {
	Dim        int
	Lambda     float64
	Alpha      float64
	Iterations int
	Seed       uint64
}

// panelOptions are the collab options of a factorisation of histories,
// with minMembers as the panel's floor (collab.Options.MinMembers).
func (c ALSConfig) panelOptions(minMembers int) collab.Options {
	return collab.Options{Dim: c.Dim, Lambda: c.Lambda, Alpha: c.Alpha, Iterations: c.Iterations, Seed: c.Seed, MinMembers: minMembers}
}

// transitOptions are the collab options of a factorisation of transition
// counts.
func (c ALSConfig) transitOptions() collab.Options {
	return collab.Options{Dim: c.Dim, Lambda: c.Lambda, TransitionAlpha: c.Alpha, Iterations: c.Iterations, Seed: c.Seed}
}

// ALSMethod ranks by a reader folded in from their own history against
// item factors (by data set item), by the dot product of the two or their
// cosine. With factors trained on every user's history it is the
// server-side ALS baseline; with the factors a catalogue ships it is the
// server's version of what a device computes.
type ALSMethod struct {
	name    string
	factors []*collab.Factors // one per fold
	fold    func(user int) int
	alpha   float64 // the reader's confidence slope in the fold-in
	// asCore ranks as core does: by the cosine of user and item factors
	// instead of their dot product, which drops the item norms, with each
	// history item's confidence leaning on the reader's latest moments
	// (rank.RecentFactors).
	asCore bool
}

// NewServerALS factorises every history in s with build/collab's ALS.
func NewServerALS(s *Split, cfg ALSConfig) (*ALSMethod, error) {
	// Every item a user has: the server's model publishes nothing, so it
	// has no panel floor.
	f, err := collab.ALS(collabInteractions(s.Train), len(s.Data.Items), cfg.panelOptions(1))
	if err != nil {
		return nil, fmt.Errorf("server ALS: %w", err)
	}
	return NewFoldIn(fmt.Sprintf("ALS, server-side (d=%d)", cfg.Dim), []*collab.Factors{f}, nil, cfg.Alpha), nil
}

// NewFoldIn ranks with one set of factors per fold; fold picks a user's
// (nil: the first for everyone).
func NewFoldIn(name string, factors []*collab.Factors, fold func(user int) int, alpha float64) *ALSMethod {
	if fold == nil {
		fold = func(int) int { return 0 }
	}
	return &ALSMethod{name: name, factors: factors, fold: fold, alpha: alpha}
}

func collabInteractions(xs []Interaction) []collab.Interaction {
	out := make([]collab.Interaction, len(xs))
	for k, x := range xs {
		out[k] = collab.Interaction{User: x.User, Item: x.Item, Time: x.Time}
	}
	return out
}

// Name implements Method.
func (m *ALSMethod) Name() string { return m.name }

// Recommend implements Method. A reader none of whose items has a factor
// scores every item 0.
func (m *ALSMethod) Recommend(u *TestUser, cand []bool, k int) []int {
	f := m.factors[m.fold(u.User)]
	items := make([]int, len(u.History))
	times := make([]int64, len(u.History))
	for j, x := range u.History {
		items[j], times[j] = x.Item, x.Time
	}
	var xu []float64
	if m.asCore {
		alphas := rank.RecentFactors(times)
		for j := range alphas {
			alphas[j] *= m.alpha
		}
		xu = f.FoldInWeighted(items, alphas)
	} else {
		xu = f.FoldIn(items, m.alpha)
	}
	score := make([]float64, len(f.Y))
	for i, y := range f.Y {
		if y == nil || xu == nil {
			continue
		}
		var dot, norm float64
		for p, v := range y {
			dot += float64(v) * xu[p]
			norm += float64(v) * float64(v)
		}
		score[i] = dot
		if m.asCore && norm > 0 {
			score[i] /= math.Sqrt(norm)
		}
	}
	return topK(score, cand, k)
}

// AsCore returns the same method ranking as core's similarity term does:
// by cosine, on a fold-in that weighs the reader's events as core's does.
func (m *ALSMethod) AsCore() *ALSMethod {
	c := *m
	c.name += ", as core"
	c.asCore = true
	return &c
}

// Folds assigns every user of ds to fold 0 or 1 at random, half each.
func Folds(ds *Dataset, seed uint64) []int {
	folds, _ := panels(ds, seed, 1)
	return folds
}

// panels returns Folds and, from the same draw, each fold cut to share of
// its users (panel), the others marked -1. The users kept at a share are
// among those kept at any larger one with the same seed, so a smaller
// panel is part of a larger one.
func panels(ds *Dataset, seed uint64, share float64) (folds, panel []int) {
	rng := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	n := len(ds.Users)
	keep := max(1, int(math.Round(share*float64(n)/2)))
	folds, panel = make([]int, n), make([]int, n)
	for i, u := range rng.Perm(n) {
		folds[u], panel[u] = i%2, i%2
		if i/2 >= keep {
			panel[u] = -1
		}
	}
	return folds, panel
}
