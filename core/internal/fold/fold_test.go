package fold

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// TestTables: the tables come from the toolchain's package unicode; a Go
// release with another Unicode version needs go generate.
func TestTables(t *testing.T) {
	require.Equal(t, unicode.Version, unicodeVersion, "run go generate ./core/internal/fold")
}

// TestOrbitMin checks every rune against the smallest rune of its orbit
// through unicode.SimpleFold.
func TestOrbitMin(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			want = min(want, f)
		}
		if got := orbitMin(r); got != want {
			t.Fatalf("orbitMin(%U) = %U, want %U", r, got, want)
		}
	}
}

func TestEqualFold(t *testing.T) {
	for _, tt := range []struct{ s, t string }{
		{"", ""}, {"a", ""}, {"Go", "GO"}, {"news", "NEWS"}, {"Économie", "éCONOMIE"}, {"straße", "STRASSE"},
		{"ſ", "S"}, {"k", "\u212a"}, {"\u212a", "K"}, {"σ", "Σ"}, {"ς", "Σ"}, {"ǅ", "ǆ"}, {"ǅ", "Ǆ"},
		{"\xff", "\xfe"}, {"\xff", "\ufffd"}, {"a\xffb", "A\xfeB"}, {"ab", "a"}, {"Ⓐ", "ⓐ"}, {"𐐀", "𐐨"},
		{"ꭰ", "Ꭰ"}, {"ı", "I"}, {"İ", "i"}, {"é", "e"},
	} {
		t.Run(tt.s+"|"+tt.t, func(t *testing.T) {
			require.Equal(t, strings.EqualFold(tt.s, tt.t), EqualFold(tt.s, tt.t))
			require.Equal(t, strings.EqualFold(tt.t, tt.s), EqualFold(tt.t, tt.s))
		})
	}
}

// foldRunes replaces every k-th rune of s by the next one of its folding
// orbit: a string EqualFold must find equal to s.
func foldRunes(s string, k int) string {
	var b []byte
	for i, r := range s {
		if k > 0 && i%k == 0 {
			r = unicode.SimpleFold(r)
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

func FuzzEqualFold(f *testing.F) {
	f.Add("Économie", "éCONOMIE", 1)
	f.Add("ſtraße", "STRASSE", 2)
	f.Add("\xffk", "\ufffd\u212a", 0)
	f.Fuzz(func(t *testing.T, s, u string, k int) {
		require.Equal(t, strings.EqualFold(s, u), EqualFold(s, u))
		v := foldRunes(s, k%5)
		require.Equal(t, strings.EqualFold(s, v), EqualFold(s, v))
	})
}
