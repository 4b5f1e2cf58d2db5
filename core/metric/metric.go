// Package metric measures the quality of recommendation lists: accuracy
// against held-out items (hit rate, nDCG), breadth across readers
// (catalogue coverage), variety within a list (intra-list diversity) and the
// filter-bubble measure (the share of a list outside the reader's top topics),
// with bootstrap confidence intervals over readers.
//
// # Conventions
//
// A list is ranked best first and may be longer than the cut-off k; every
// function looks at its first k entries only. Items are any comparable key
// (catalogue indices or ids). Per-reader values are averaged by the caller,
// which keeps the per-reader numbers available for paired comparisons.
//
// # Determinism
//
// Bootstrap resampling takes its seed as an argument, so an interval is the
// same on every run and every machine.
//
// # Example
//
//	hits := make([]float64, len(users))
//	for u := range users {
//		hits[u] = metric.HitRate(lists[u], targets[u], 10)
//	}
//	iv := metric.Bootstrap(hits, 1000, 0.95, 1)
//	fmt.Printf("HR@10 %.3f [%.3f, %.3f]\n", iv.Mean, iv.Lo, iv.Hi)
package metric

import (
	"math"
	"math/rand/v2"
	"slices"
)

// HitRate is 1 when any of the first k items of ranked is relevant, else 0.
func HitRate[T comparable](ranked []T, relevant map[T]bool, k int) float64 {
	for _, it := range head(ranked, k) {
		if relevant[it] {
			return 1
		}
	}
	return 0
}

// NDCG is the normalised discounted cumulative gain of the first k items of
// ranked with binary relevance: the gain of the list divided by the gain of
// an ideal list that puts min(k, len(relevant)) relevant items first. It is
// 0 when nothing is relevant.
func NDCG[T comparable](ranked []T, relevant map[T]bool, k int) float64 {
	var dcg float64
	for r, it := range head(ranked, k) {
		if relevant[it] {
			dcg += 1 / math.Log2(float64(r)+2)
		}
	}
	var ideal float64
	for r := range min(k, len(relevant)) {
		ideal += 1 / math.Log2(float64(r)+2)
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// Coverage is the share of the n catalogue items that appear in the first k
// entries of at least one list: how much of the catalogue a recommender
// ever shows. It is 0 when n is 0.
func Coverage[T comparable](lists [][]T, n, k int) float64 {
	if n == 0 {
		return 0
	}
	seen := make(map[T]bool)
	for _, l := range lists {
		for _, it := range head(l, k) {
			seen[it] = true
		}
	}
	return float64(len(seen)) / float64(n)
}

// IntraListDiversity is the mean pairwise distance between the first k
// items of a list, with distance supplied by the caller (for example the
// Jaccard distance of two items' topic sets). A list of fewer than two items
// has diversity 0.
func IntraListDiversity[T any](list []T, k int, distance func(a, b T) float64) float64 {
	l := head(list, k)
	if len(l) < 2 {
		return 0
	}
	var sum float64
	for i := range l {
		for j := i + 1; j < len(l); j++ {
			sum += distance(l[i], l[j])
		}
	}
	return sum / float64(len(l)*(len(l)-1)/2)
}

// Jaccard is the Jaccard distance 1 − |a∩b|/|a∪b| of two sets given as
// slices without duplicates. Two empty sets are at distance 0.
func Jaccard[T comparable](a, b []T) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			inter++
		}
	}
	return 1 - float64(inter)/float64(len(a)+len(b)-inter)
}

// TopTopics returns the n most frequent topics of a reader's history, most
// frequent first; ties go to the topic seen first, so the result does not
// depend on map order.
func TopTopics[T comparable](history [][]T, n int) []T {
	count := make(map[T]int)
	var order []T
	for _, topics := range history {
		for _, t := range topics {
			if count[t] == 0 {
				order = append(order, t)
			}
			count[t]++
		}
	}
	slices.SortStableFunc(order, func(a, b T) int { return count[b] - count[a] })
	return head(order, n)
}

// OutsideShare is the share of the first k items of a list that have no
// topic among top, the reader's top topics: the filter-bubble measure, where
// 0 means every recommendation repeats what the reader already reads most.
// topicsOf gives an item's topics. An empty list has share 0.
func OutsideShare[T any, U comparable](list []T, k int, topicsOf func(T) []U, top []U) float64 {
	l := head(list, k)
	if len(l) == 0 {
		return 0
	}
	outside := 0
	for _, it := range l {
		if !slices.ContainsFunc(topicsOf(it), func(t U) bool { return slices.Contains(top, t) }) {
			outside++
		}
	}
	return float64(outside) / float64(len(l))
}

// Mean is the arithmetic mean of values, 0 for none.
func Mean(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	var s float64
	for _, v := range values {
		s += v
	}
	return s / float64(len(values))
}

// Interval is a point estimate with a two-sided confidence interval.
type Interval struct {
	Mean   float64 // the estimate on the full sample
	Lo, Hi float64 // percentile bootstrap bounds
}

// Contains reports whether x lies within the interval's bounds.
func (iv Interval) Contains(x float64) bool { return iv.Lo <= x && x <= iv.Hi }

// Bootstrap estimates the mean of per-reader values with a percentile
// bootstrap interval at the given level (0.95 for a 95% interval) from
// resamples resamplings of the readers with replacement.
func Bootstrap(values []float64, resamples int, level float64, seed uint64) Interval {
	return PairedBootstrap(values, nil, resamples, level, seed)
}

// PairedBootstrap estimates the mean per-reader difference a[i] − b[i]
// between two methods evaluated on the same readers, resampling readers
// (not the two methods independently), so the interval reflects that both
// methods saw the same readers. A nil b estimates the mean of a alone.
// PairedBootstrap panics when b is non-nil and of a different length,
// which is a bug in the caller.
func PairedBootstrap(a, b []float64, resamples int, level float64, seed uint64) Interval {
	if b != nil && len(a) != len(b) {
		panic("metric: paired bootstrap over samples of different lengths")
	}
	d := slices.Clone(a)
	for i := range b {
		d[i] -= b[i]
	}
	iv := Interval{Mean: Mean(d)}
	if len(d) == 0 || resamples <= 0 {
		iv.Lo, iv.Hi = iv.Mean, iv.Mean
		return iv
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	means := make([]float64, resamples)
	for r := range means {
		var s float64
		for range d {
			s += d[rng.IntN(len(d))]
		}
		means[r] = s / float64(len(d))
	}
	slices.Sort(means)
	alpha := (1 - level) / 2
	iv.Lo = quantile(means, alpha)
	iv.Hi = quantile(means, 1-alpha)
	return iv
}

// quantile interpolates linearly between the order statistics of sorted.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(math.Floor(pos))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}

func head[T any](l []T, k int) []T {
	if k < len(l) {
		return l[:max(k, 0)]
	}
	return l
}
