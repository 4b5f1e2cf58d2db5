package str

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

func TestLikeStrings(t *testing.T) {
	for _, s := range []string{"", "a", "https://x.example:80/p?q#f", "::", "[::1]:8080", "\xff\x00:"} {
		for _, c := range []byte{':', '/', 'a', 0, 0xff} {
			require.Equal(t, strings.IndexByte(s, c), IndexByte(s, c), "IndexByte(%q, %q)", s, c)
			require.Equal(t, strings.LastIndexByte(s, c), LastIndexByte(s, c), "LastIndexByte(%q, %q)", s, c)
		}
		for _, p := range []string{"", "h", "https://", s, s + "x"} {
			require.Equal(t, strings.HasPrefix(s, p), HasPrefix(s, p), "HasPrefix(%q, %q)", s, p)
		}
		require.Equal(t, s, Clone(s))
	}
}

func FuzzLikeStrings(f *testing.F) {
	f.Add("https://a.example/", "https://", byte(':'))
	f.Fuzz(func(t *testing.T, s, p string, c byte) {
		require.Equal(t, strings.IndexByte(s, c), IndexByte(s, c))
		require.Equal(t, strings.LastIndexByte(s, c), LastIndexByte(s, c))
		require.Equal(t, strings.HasPrefix(s, p), HasPrefix(s, p))
		require.Equal(t, s, Clone(s))
	})
}

func TestClone_Copies(t *testing.T) {
	buf := []byte("a topic inside a larger buffer")
	s := string(buf[2:7])
	c := Clone(s)
	require.Equal(t, "topic", c)
	require.NotEqual(t, uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(c))), "Clone shares the buffer")
}
