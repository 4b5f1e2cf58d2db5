package eval

import (
	"runtime"
	"sync"
	"time"

	"github.com/hearth-dev/hearth/core/metric"
)

// K is the list length every metric is computed at.
const K = 10

// topTopics is how many of a reader's most frequent topics count as their
// "top topics" for the filter-bubble measure.
const topTopics = 3

// Method is a recommender under evaluation. Recommend must be safe for
// concurrent use by several users.
type Method interface {
	Name() string
	// Recommend returns up to k items for u, best first, all of them
	// marked in cand (the user's candidates).
	Recommend(u *TestUser, cand []bool, k int) []int
}

// Result is one method's lists and per-user metrics on one split.
type Result struct {
	Method string
	Lists  [][]int // per test user, in Split.Users order
	// Per-user metrics, in Split.Users order, for paired comparisons.
	HR, NDCG, ILD, Outside []float64
	// Coverage is the share of the universe shown to anyone.
	Coverage float64
	Elapsed  time.Duration
}

// CrossFitted is one method under each of several cross-fittings (the
// panel rows: panelFit). As a Method it is the first; Evaluate gives each
// reader's metrics averaged over all of them, coverage too, and the
// first's lists, so what is computed from lists alone (the cold-start
// figures, the fold-in agreement) is the first cross-fitting's.
type CrossFitted []Method

// Name implements Method.
func (c CrossFitted) Name() string { return c[0].Name() }

// Recommend implements Method: the first cross-fitting's list.
func (c CrossFitted) Recommend(u *TestUser, cand []bool, k int) []int {
	return c[0].Recommend(u, cand, k)
}

// Evaluate runs m for every test user of s and scores the lists.
func Evaluate(s *Split, m Method) *Result {
	if c, ok := m.(CrossFitted); ok {
		return evaluateMean(s, c)
	}
	start := time.Now()
	n := len(s.Users)
	r := &Result{Method: m.Name(), Lists: make([][]int, n),
		HR: make([]float64, n), NDCG: make([]float64, n), ILD: make([]float64, n), Outside: make([]float64, n)}
	topicsOf := func(i int) []string { return s.Data.Items[i].Topics }
	dist := func(a, b int) float64 { return metric.Jaccard(topicsOf(a), topicsOf(b)) }

	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				u := &s.Users[i]
				l := m.Recommend(u, s.candidateMask(u), K)
				rel := make(map[int]bool, len(u.Targets))
				for _, t := range u.Targets {
					rel[t] = true
				}
				hist := make([][]string, len(u.History))
				for j, x := range u.History {
					hist[j] = topicsOf(x.Item)
				}
				r.Lists[i] = l
				r.HR[i] = metric.HitRate(l, rel, K)
				r.NDCG[i] = metric.NDCG(l, rel, K)
				r.ILD[i] = metric.IntraListDiversity(l, K, dist)
				r.Outside[i] = metric.OutsideShare(l, K, topicsOf, metric.TopTopics(hist, topTopics))
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	r.Coverage = metric.Coverage(r.Lists, s.NumUniverse, K)
	r.Elapsed = time.Since(start)
	return r
}

// evaluateMean evaluates each of c and averages every reader's metrics.
func evaluateMean(s *Split, c CrossFitted) *Result {
	var out *Result
	for _, m := range c {
		r := Evaluate(s, m)
		if out == nil {
			out = r
			continue
		}
		for _, x := range [][2][]float64{{out.HR, r.HR}, {out.NDCG, r.NDCG}, {out.ILD, r.ILD}, {out.Outside, r.Outside}} {
			for i, v := range x[1] {
				x[0][i] += v
			}
		}
		out.Coverage += r.Coverage
		out.Elapsed += r.Elapsed
	}
	n := float64(len(c))
	for _, x := range [][]float64{out.HR, out.NDCG, out.ILD, out.Outside} {
		for i := range x {
			x[i] /= n
		}
	}
	out.Coverage /= n
	return out
}

// topK returns the k highest-scoring items among cand, best first; ties go
// to the lower index so that lists are deterministic.
func topK(scores []float64, cand []bool, k int) []int {
	top := make([]int, 0, k+1)
	for i, sc := range scores {
		if !cand[i] {
			continue
		}
		if len(top) == k && sc <= scores[top[k-1]] {
			continue
		}
		j := len(top)
		top = append(top, i)
		for j > 0 && scores[top[j-1]] < sc {
			top[j] = top[j-1]
			j--
		}
		top[j] = i
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}
