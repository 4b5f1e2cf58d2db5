package catalog

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// TestCatalogue_Validate_published checks that publication times outside
// the years 1900 to 9999 are refused: the engine's freshness arithmetic
// overflowed on such dates (a MinInt64 date gave a NaN score).
func TestCatalogue_Validate_published(t *testing.T) {
	tests := []struct {
		name string
		pub  int64
		want string // substring of the error; "" for valid
	}{
		{"undated (zero)", 0, ""},
		{"1900-01-01", MinPublished, ""},
		{"9999-12-31T23:59:59", MaxPublished, ""},
		{"a second before 1900", MinPublished - 1, `item 2 "i2": pub: -2208988801 out of`},
		{"year 10000", MaxPublished + 1, `item 2 "i2": pub: 253402300800 out of`},
		{"milliseconds", 1_700_000_000_000, "pub: 1700000000000 out of"},
		{"MinInt64", math.MinInt64, "pub: -9223372036854775808 out of"},
		{"MaxInt64", math.MaxInt64, "pub: 9223372036854775807 out of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCatalogue(5)
			c.Items[2].Published = tt.pub
			err := c.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalid)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestURLHost(t *testing.T) {
	for u, want := range map[string]string{
		"https://example.com/a":                "example.com",
		"http://Example.COM":                   "Example.COM",
		"https://example.com:8443/a?b#c":       "example.com",
		"https://example.com?x=/y":             "example.com",
		"https://example.com#x":                "example.com",
		"https://good.example@evil.example/":   "evil.example",
		"https://a@b@evil.example:1/x@y":       "evil.example",
		"https://[2001:db8::1]:8080/":          "[2001:db8::1]",
		"https://[2001:db8::1]/":               "[2001:db8::1]",
		"/blog/post":                           "",
		"ftp://example.com/":                   "",
		"javascript:alert(1)//https://x.test/": "",
	} {
		require.Equal(t, want, URLHost(u), u)
	}
}

// TestCatalogue_Validate_hosts: with Policy.Hosts set, an item whose URL
// names another host is refused; site-relative URLs always pass, and
// without Hosts any host does.
func TestCatalogue_Validate_hosts(t *testing.T) {
	tests := []struct {
		name  string
		hosts []string
		url   string
		want  string // substring of the error; "" for valid
	}{
		{"no hosts: any host", nil, "https://elsewhere.example/x", ""},
		{"an allowed host", []string{"news.example"}, "https://news.example/x", ""},
		{"allowed, another case", []string{"News.Example"}, "https://NEWS.example:443/x", ""},
		{"one of several", []string{"a.example", "news.example"}, "http://news.example/x", ""},
		{"site-relative", []string{"news.example"}, "/x", ""},
		{"another host", []string{"news.example"}, "https://elsewhere.example/x", `item 2 "i2": url: host "elsewhere.example" is not one of the policy's hosts`},
		{"a subdomain is another host", []string{"news.example"}, "https://evil.news.example/x", `host "evil.news.example"`},
		{"user information is not the host", []string{"news.example"}, "https://news.example@evil.example/x", `host "evil.example"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCatalogue(5)
			c.Policy.Hosts = tt.hosts
			for i := range c.Items {
				c.Items[i].URL = "/p/" + c.Items[i].ID
			}
			c.Items[2].URL = tt.url
			err := c.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalid)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestBlank(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if s := string(r); blank(s) != unicode.IsSpace(r) || blank(s) != (strings.TrimSpace(s) == "") {
			t.Fatalf("blank(%U) = %v", r, blank(s))
		}
	}
	for _, s := range []string{"", " \t\n\u00a0\u3000", " x ", "\xff", " \u2028\xa0"} {
		require.Equal(t, strings.TrimSpace(s) == "", blank(s), "%q", s)
	}
}
