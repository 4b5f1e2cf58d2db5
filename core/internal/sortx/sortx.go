// Package sortx sorts slices exactly as package slices does, through one
// shared instantiation of each of its sorts.
//
// Every element type given to slices.SortFunc or slices.SortStableFunc gets
// its own copy of pdqsort (about 22 KB of wasm code) or of the stable
// insertion-and-merge sort (about 12 KB). Func and StableFunc sort a slice
// of indices with slices' own algorithm and then move the elements: the
// algorithm's comparisons and swaps depend only on the comparison results,
// so the order is the same as sorting the elements themselves, ties
// included (sortx_test.go checks it). The cost is one index slice and one
// copy of the elements per sort.
package sortx

import "slices"

// Func sorts s as slices.SortFunc(s, cmp) does.
func Func[E any](s []E, cmp func(a, b E) int) { sortBy(s, cmp, false) }

// StableFunc sorts s as slices.SortStableFunc(s, cmp) does.
func StableFunc[E any](s []E, cmp func(a, b E) int) { sortBy(s, cmp, true) }

func sortBy[E any](s []E, cmp func(a, b E) int, stable bool) {
	if len(s) < 2 {
		return
	}
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	byElem := func(i, j int) int { return cmp(s[i], s[j]) }
	if stable {
		slices.SortStableFunc(idx, byElem)
	} else {
		slices.SortFunc(idx, byElem)
	}
	orig := make([]E, len(s))
	copy(orig, s)
	for k, i := range idx {
		s[k] = orig[i]
	}
}
