// Package fold compares strings as strings.EqualFold does, under Unicode
// simple case folding, without package unicode.
//
// strings.EqualFold walks a rune's folding orbit through unicode.SimpleFold,
// which links package unicode's case tables and its initialisation (the
// maps of fold categories and scripts): 4.5 KB of the engine's brotli.
// EqualFold here maps each rune to the smallest rune of its orbit through
// one table of runs generated from package unicode (tables.go, 212 runs,
// 1.7 KB), and two strings are equal when their runes map alike; the tests
// hold it to strings.EqualFold and every rune to unicode.SimpleFold.
package fold

//go:generate go run gen.go

import "unicode/utf8"

// EqualFold reports whether s and t are equal under Unicode simple case
// folding, as strings.EqualFold(s, t) does (invalid UTF-8 reads as
// U+FFFD, one byte at a time).
func EqualFold(s, t string) bool {
	for s != "" && t != "" {
		sr, n := rune(s[0]), 1
		if sr >= utf8.RuneSelf {
			sr, n = utf8.DecodeRuneInString(s)
		}
		s = s[n:]
		tr, n := rune(t[0]), 1
		if tr >= utf8.RuneSelf {
			tr, n = utf8.DecodeRuneInString(t)
		}
		t = t[n:]
		if sr != tr && orbitMin(sr) != orbitMin(tr) {
			return false
		}
	}
	return s == t
}

// orbitMin returns the smallest rune that r folds to, r itself when none.
func orbitMin(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}
	// The last run starting at or before r.
	lo, hi := 0, len(runs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if rune(runs[m]&(1<<21-1)) <= r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 {
		return r
	}
	x := runs[lo-1]
	off := r - rune(x&(1<<21-1))
	if off > rune(x>>21&(1<<10-1)) || x>>31 != 0 && off%2 != 0 {
		return r
	}
	return r + rune(deltas[lo-1])
}
