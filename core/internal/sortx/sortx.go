// Package sortx sorts slices through one shared instantiation of package
// slices' stable sort.
//
// Every element type given to slices.SortFunc or slices.SortStableFunc gets
// its own copy of pdqsort (about 22 KB of wasm code) or of the stable
// insertion-and-merge sort (about 12 KB). StableFunc sorts a slice of
// indices with slices.SortStableFunc and then moves the elements: the
// algorithm's comparisons and moves depend only on the comparison results,
// so the order is the one slices.SortStableFunc gives the elements
// themselves (sortx_test.go checks it). The cost is one index slice and one
// copy of the elements per sort.
//
// Func is StableFunc too: with pdqsort's instantiation for the indices
// beside the stable sort's, the engine was 3.5 KB of brotli larger. Ties
// then keep their order, where slices.SortFunc leaves them in an order of
// its own; a comparison that orders every pair sorts the same either way.
package sortx

import "slices"

// Func sorts s in ascending order of cmp as slices.SortFunc does; equal
// elements keep their order (it is StableFunc, above).
func Func[E any](s []E, cmp func(a, b E) int) { sortBy(s, cmp) }

// StableFunc sorts s as slices.SortStableFunc(s, cmp) does.
func StableFunc[E any](s []E, cmp func(a, b E) int) { sortBy(s, cmp) }

func sortBy[E any](s []E, cmp func(a, b E) int) {
	if len(s) < 2 {
		return
	}
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	byElem := func(i, j int) int { return cmp(s[i], s[j]) }
	slices.SortStableFunc(idx, byElem)
	orig := make([]E, len(s))
	copy(orig, s)
	for k, i := range idx {
		s[k] = orig[i]
	}
}
