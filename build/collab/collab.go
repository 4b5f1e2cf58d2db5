// Package collab learns collaborative item vectors for a catalogue from
// aggregate data a publisher already has, with no reader profile on any
// server:
//
//   - item-to-item transition counts (from, to, count), counted for
//     example from a web server's log of Referer → page and kept without
//     any identifier (transitions.sh is the pipeline);
//   - a consenting panel's interactions (user, item, time).
//
// Both are factorised by implicit-feedback ALS into item factors Y, which
// the catalogue ships with their Gram matrix YᵀY and λ: a reader's device
// folds its own history in against them (core/rank), the same least-squares
// problem the training solved for every panel member. Items the data does
// not cover (too new to have counts) get vectors mapped from their text
// vectors into the same space ([MapText]), so cold start keeps working.
// Every vector then carries its item's text too ([Factors.AppendText]):
// the fold-in weighs what a reader's items say beside whom they are read
// with, which places the items that few rows describe.
//
// # Models
//
// A panel member is a row whose items have confidence 1 + α·(number of
// interactions). A transition count is symmetrised and each item is a
// pseudo-user whose row is the items readers went to from it or came from
// to it, with confidence 1 + α_t·ln(1 + count) (page-view counts are
// heavy-tailed), and itself as strongly as its strongest neighbour. Pairs
// no more frequent than chance (pointwise mutual information ≤ 0) are
// dropped: a hub page linked from everywhere is no evidence that two items
// go together. Items two steps apart in readers' paths join the row too,
// as strongly as the counts predict walks between them (Options.TwoStep):
// consecutive pairs are a thin sample of what co-occurs in a history. So
// an item's factor describes the company it keeps in readers' paths, and a
// reader folded in from the items they read is a point near those items'
// neighbours. With both inputs the rows are
// stacked and trained together.
//
// # Example
//
//	f, err := collab.ALS(interactions, len(items), collab.Options{})
//	if err != nil {
//		return err
//	}
//	mapped, err := f.MapText(textVectors, 0) // items without interactions
package collab

import (
	"fmt"
	"math"
	"slices"
)

// Interaction is a panel member's interaction with an item, by index.
// Time is not used by the model.
type Interaction struct {
	User, Item int
	Time       int64
}

// MaxCount bounds a transition count: more page views than the web has,
// and small enough that the model's sums over counts stay finite.
const MaxCount = 1e15

func validCount(n float64) bool { return n >= 0 && n <= MaxCount }

// Transition is the aggregate number of times readers went from one item
// to another, by index.
type Transition struct {
	From, To int
	Count    float64
}

// Factors are item vectors in a collaborative space: Y[i] is item i's
// factor, nil for an item the data does not cover. Gram is YᵀY over every
// item (Dim×Dim, row-major) and Lambda the regularisation, which the
// catalogue ships for the device's fold-in.
type Factors struct {
	Dim    int
	Y      [][]float32
	Gram   []float32
	Lambda float32
	// Mapped marks the items whose factor [Factors.MapText] mapped from
	// their text.
	Mapped []bool
	// Withheld is how many items the panel taught nothing, for fewer
	// than Options.MinMembers members having them.
	Withheld int
}

// ALS factorises a consenting panel's interactions with nItems items.
func ALS(interactions []Interaction, nItems int, o Options) (*Factors, error) {
	return Train(interactions, nil, nItems, o)
}

// Transitions factorises item-to-item transition counts among nItems items.
func Transitions(counts []Transition, nItems int, o Options) (*Factors, error) {
	return Train(nil, counts, nItems, o)
}

// Train factorises a panel's interactions and transition counts together:
// panel members and items-as-pseudo-users are rows of one implicit-feedback
// problem (see the package doc).
func Train(interactions []Interaction, counts []Transition, nItems int, o Options) (*Factors, error) {
	o, err := o.Resolved(len(interactions) > 0)
	if err != nil {
		return nil, err
	}
	rows, withheld, err := rowsOf(interactions, counts, nItems, o)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(rows, func(r []entry) bool { return len(r) > 0 }) {
		if withheld > 0 {
			return nil, fmt.Errorf("%w: the panel's %d items each have fewer than %d members", ErrNoData, withheld, o.MinMembers)
		}
		return nil, ErrNoData
	}
	f := factorize(rows, nItems, o)
	f.Withheld = withheld
	return f, nil
}

// rowsOf turns interactions and transition counts into the rows ALS fits
// (the package doc gives the model),
// merging repeated pairs: a panel member's row has each item once with c =
// α·(its number of interactions); an item's pseudo-user row has each
// neighbour once with c = α_t·ln(1 + count in either direction), and the
// item itself as strongly as its strongest neighbour, so that a reader
// folded in from an item lands near its direct neighbours, not only near
// items with the same neighbours. Self-transitions (reloads) are dropped.
func rowsOf(interactions []Interaction, counts []Transition, nItems int, o Options) (rows [][]entry, withheld int, err error) {
	check := func(i int) error {
		if i < 0 || i >= nItems {
			return fmt.Errorf("%w: %d of %d", ErrItem, i, nItems)
		}
		return nil
	}
	users := map[int]int{}
	pos := map[[2]int]int{} // (row, item) → index in rows[row]
	add := func(row, item int, c float64) {
		k := [2]int{row, item}
		if j, ok := pos[k]; ok {
			rows[row][j].c += c
			return
		}
		pos[k] = len(rows[row])
		rows[row] = append(rows[row], entry{item: item, c: c})
	}
	// Items fewer than MinMembers members have are left out of the
	// panel's rows (Options.MinMembers).
	members := map[int]map[int]bool{}
	for _, x := range interactions {
		if err := check(x.Item); err != nil {
			return nil, 0, err
		}
		if members[x.Item] == nil {
			members[x.Item] = map[int]bool{}
		}
		members[x.Item][x.User] = true
	}
	for _, m := range members {
		if len(m) < o.MinMembers {
			withheld++
		}
	}
	for _, x := range interactions {
		if len(members[x.Item]) < o.MinMembers {
			continue
		}
		u, ok := users[x.User]
		if !ok {
			u = len(rows)
			users[x.User] = u
			rows = append(rows, nil)
		}
		add(u, x.Item, o.Alpha)
	}
	pseudo := map[int]int{}
	rowOf := func(i int) int {
		u, ok := pseudo[i]
		if !ok {
			u = len(rows)
			pseudo[i] = u
			rows = append(rows, nil)
		}
		return u
	}
	for _, t := range counts {
		if err := check(t.From); err != nil {
			return nil, 0, err
		}
		if err := check(t.To); err != nil {
			return nil, 0, err
		}
		if !validCount(t.Count) {
			return nil, 0, fmt.Errorf("%w: count %g from %d to %d: want 0 to %g", ErrInput, t.Count, t.From, t.To, MaxCount)
		}
		if t.From == t.To || t.Count == 0 {
			continue
		}
		add(rowOf(t.From), t.To, t.Count)
		add(rowOf(t.To), t.From, t.Count)
	}
	if o.TwoStep > 0 {
		twoStep(rows, pseudo, o.TwoStep, o.TwoStepItems)
	}
	// Symmetrised counts: n_ij in row i, n_i = Σ_j n_ij, N = Σ_i n_i.
	total := map[int]float64{}
	var all float64
	for i, u := range pseudo {
		for _, e := range rows[u] {
			total[i] += e.c
			all += e.c
		}
	}
	for i, u := range pseudo {
		row := rows[u][:0]
		var top float64
		for _, e := range rows[u] {
			// A pair no more frequent than chance (PMI ≤ 0) says nothing
			// of the two items: a hub page is everyone's neighbour.
			if e.c*all <= total[i]*total[e.item] {
				continue
			}
			e.c = o.TransitionAlpha * math.Log1p(e.c)
			top = max(top, e.c)
			row = append(row, e)
		}
		if len(row) > 0 {
			row = append(row, entry{item: i, c: top})
		}
		rows[u] = row
	}
	return rows, withheld, nil
}

// gram returns YᵀY over the items that have a factor.
func (f *Factors) gram() []float32 {
	d := f.Dim
	g := make([]float64, d*d)
	for _, y := range f.Y {
		for a, va := range y {
			for b := a; b < d; b++ {
				g[a*d+b] += float64(va) * float64(y[b])
			}
		}
	}
	out := make([]float32, d*d)
	for a := range d {
		for b := a; b < d; b++ {
			out[a*d+b] = float32(g[a*d+b])
			out[b*d+a] = float32(g[a*d+b])
		}
	}
	return out
}

// Covered returns the number of items with a factor, learned or mapped.
func (f *Factors) Covered() int {
	n := 0
	for _, y := range f.Y {
		if y != nil {
			n++
		}
	}
	return n
}

// FoldIn returns the factor of a reader who interacted with items, each with
// confidence 1 + alpha: the least-squares problem training solved for every
// row, which the device solves against the shipped Gram and λ
// (core/rank). Items without a factor are skipped; nil when none has one.
func (f *Factors) FoldIn(items []int, alpha float64) []float64 {
	alphas := make([]float64, len(items))
	for k := range alphas {
		alphas[k] = alpha
	}
	return f.FoldInWeighted(items, alphas)
}

// FoldInWeighted is FoldIn with item k's confidence 1 + alphas[k], as the
// device weighs a reader's events (core/rank.RecentFactors).
func (f *Factors) FoldInWeighted(items []int, alphas []float64) []float64 {
	d := f.Dim
	src := make([]float64, 0, len(items)*d)
	var row []entry
	for k, i := range items {
		if i < 0 || i >= len(f.Y) || f.Y[i] == nil {
			continue
		}
		for _, v := range f.Y[i] {
			src = append(src, float64(v))
		}
		row = append(row, entry{item: len(row), c: alphas[k]})
	}
	if len(row) == 0 {
		return nil
	}
	g := make([]float64, d*d)
	for k, v := range f.Gram {
		g[k] = float64(v)
	}
	out := make([]float64, d)
	if !newSolver(g, d, float64(f.Lambda)).solve(src, row, out) {
		return nil
	}
	return out
}

// twoStep adds to each item's pseudo-user row the items two steps away in
// readers' paths: n²_ik = Σ_j n_ij·n_jk / n_j, the number of walks i → j → k
// the counts predict, times g, for the limit strongest k. Consecutive pairs
// are a thin sample of what a reader's history co-occurs with (a history
// of n items has n−1 pairs, not n²/2); a walk of two steps recovers some of
// the rest. The cap bounds the rows' size: a hub's neighbours' neighbours
// are half the catalogue.
func twoStep(rows [][]entry, pseudo map[int]int, g float64, limit int) {
	tot := make(map[int]float64, len(pseudo))
	for i, u := range pseudo {
		for _, e := range rows[u] {
			tot[i] += e.c
		}
	}
	add := make(map[int][]entry, len(pseudo))
	for i, u := range pseudo {
		acc := map[int]float64{}
		for _, e := range rows[u] {
			v := pseudo[e.item]
			for _, f := range rows[v] {
				if f.item != i {
					acc[f.item] += e.c * f.c / tot[e.item]
				}
			}
		}
		var es []entry
		for k, c := range acc {
			es = append(es, entry{k, c})
		}
		slices.SortFunc(es, func(a, b entry) int {
			if a.c != b.c {
				if a.c > b.c {
					return -1
				}
				return 1
			}
			return a.item - b.item
		})
		if len(es) > limit {
			es = es[:limit]
		}
		add[i] = es
	}
	for i, u := range pseudo {
		have := map[int]int{}
		for j, e := range rows[u] {
			have[e.item] = j
		}
		for _, e := range add[i] {
			if j, ok := have[e.item]; ok {
				rows[u][j].c += g * e.c
			} else {
				rows[u] = append(rows[u], entry{e.item, g * e.c})
			}
		}
	}
}
