package eval

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// Popularity ranks by how many users have an item in their history: the
// non-personal baseline every personal method must beat.
type Popularity struct{ count []float64 }

// NewPopularity counts history events per item.
func NewPopularity(s *Split) *Popularity {
	return &Popularity{count: counts(s)}
}

func counts(s *Split) []float64 {
	c := make([]float64, len(s.Data.Items))
	for _, x := range s.Train {
		c[x.Item]++
	}
	return c
}

// Name implements Method.
func (p *Popularity) Name() string { return "popularity" }

// Recommend implements Method.
func (p *Popularity) Recommend(u *TestUser, cand []bool, k int) []int {
	return topK(p.count, cand, k)
}

// RecentPopularity ranks by history events before the user's time, each
// weighted by its age at that time with a half-life: what was popular when
// the list is made.
type RecentPopularity struct {
	train    []Interaction
	overall  []float64
	halfLife float64 // seconds
}

// NewRecentPopularity weighs events with the given half-life in days.
func NewRecentPopularity(s *Split, halfLifeDays float64) *RecentPopularity {
	return &RecentPopularity{train: s.Train, overall: counts(s), halfLife: halfLifeDays * 86400}
}

// Name implements Method.
func (p *RecentPopularity) Name() string {
	return fmt.Sprintf("recency-weighted popularity (half-life %g d)", p.halfLife/86400)
}

// Recommend implements Method.
func (p *RecentPopularity) Recommend(u *TestUser, cand []bool, k int) []int {
	end := sort.Search(len(p.train), func(i int) bool { return p.train[i].Time > u.Now })
	score := make([]float64, len(p.overall))
	for _, x := range p.train[:end] {
		score[x.Item] += math.Exp2(-float64(u.Now-x.Time) / p.halfLife)
	}
	// All-time popularity, scaled far below one event, orders the items
	// nobody had touched yet.
	for i, c := range p.overall {
		score[i] += c * 1e-9
	}
	return topK(score, cand, k)
}

// ItemKNN is item-based collaborative filtering: an item scores the summed
// cosine similarity of its co-occurrence with the user's history items,
// over each history item's nearest neighbours.
type ItemKNN struct {
	neighbours [][]neighbour
	pop        []float64
	k          int
}

type neighbour struct {
	item int32
	sim  float32
}

// NewItemKNN computes every item's k nearest neighbours by cosine
// similarity of the binary user-item history matrix.
func NewItemKNN(s *Split, k int) *ItemKNN {
	nItems := len(s.Data.Items)
	byUser := make(map[int][]int)
	byItem := make([][]int, nItems)
	for _, x := range s.Train {
		byUser[x.User] = append(byUser[x.User], x.Item)
	}
	for u, items := range byUser {
		for _, i := range items {
			byItem[i] = append(byItem[i], u)
		}
	}
	for i := range byItem {
		slices.Sort(byItem[i]) // map order must not leak into results
	}
	m := &ItemKNN{neighbours: make([][]neighbour, nItems), pop: counts(s), k: k}
	co := make([]float64, nItems)
	var touched []int
	for i := range nItems {
		if len(byItem[i]) == 0 {
			continue
		}
		touched = touched[:0]
		for _, u := range byItem[i] {
			for _, j := range byUser[u] {
				if j != i {
					if co[j] == 0 {
						touched = append(touched, j)
					}
					co[j]++
				}
			}
		}
		nb := make([]neighbour, 0, len(touched))
		for _, j := range touched {
			sim := co[j] / math.Sqrt(float64(len(byItem[i])*len(byItem[j])))
			nb = append(nb, neighbour{int32(j), float32(sim)})
			co[j] = 0
		}
		slices.SortFunc(nb, func(a, b neighbour) int {
			if a.sim != b.sim {
				if a.sim > b.sim {
					return -1
				}
				return 1
			}
			return int(a.item - b.item)
		})
		m.neighbours[i] = slices.Clip(nb[:min(k, len(nb))])
	}
	return m
}

// Name implements Method.
func (m *ItemKNN) Name() string { return fmt.Sprintf("item-kNN (k=%d)", m.k) }

// Recommend implements Method.
func (m *ItemKNN) Recommend(u *TestUser, cand []bool, k int) []int {
	score := make([]float64, len(m.neighbours))
	for _, x := range u.History {
		for _, nb := range m.neighbours[x.Item] {
			score[nb.item] += float64(nb.sim)
		}
	}
	for i, c := range m.pop {
		score[i] += c * 1e-9 // orders items no neighbour reaches
	}
	return topK(score, cand, k)
}
