// Package str holds the few string functions core needs, so that the
// engine does not link package strings: importing it links package
// unicode, whose initialisation alone is 3 KB of wasm code, and the two
// came to 2.2 KB of the engine's brotli (docs/size.md). Each function does
// what its namesake in strings does; the tests hold them to it.
package str

import "unsafe"

// IndexByte returns the index of the first c in s, or -1.
func IndexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// LastIndexByte returns the index of the last c in s, or -1.
func LastIndexByte(s string, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// HasPrefix reports whether s begins with prefix.
func HasPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && s[:len(prefix)] == prefix
}

// Clone returns a fresh copy of s, so that a string cut from a large
// buffer (a decoded catalogue or profile) does not keep the buffer alive.
func Clone(s string) string {
	if s == "" {
		return ""
	}
	b := make([]byte, len(s))
	copy(b, s)
	return unsafe.String(&b[0], len(b))
}
