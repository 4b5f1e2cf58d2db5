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
