package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzHasURLUnsafe: the byte scan agrees with strings.ContainsAny on any
// string, invalid UTF-8 included.
func FuzzHasURLUnsafe(f *testing.F) {
	for _, s := range []string{"", "https://a.example/x", "/a b", "/a\\b", "/<", "\">", "'`", "\xff<", "\xe2\x80", "é/ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		require.Equal(t, strings.ContainsAny(s, urlUnsafe), hasURLUnsafe(s))
	})
}

// FuzzHasControl: the byte scan finds exactly the control characters (C0
// and DEL) that a scan of runes finds, invalid UTF-8 included.
func FuzzHasControl(f *testing.F) {
	for _, s := range []string{"", "abc", "a\tb", "\x00", "\x7f", "\x1f", " ", "\xc2\x85", "\xff\x01", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
		require.Equal(t, want, hasControl(s))
	})
}
