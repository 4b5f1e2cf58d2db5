package pack

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hearth-dev/hearth/core/catalog"
)

// ErrSite means a site is not an absolute http or https URL.
var ErrSite = errors.New("site must be an absolute http(s) URL such as https://example.com")

// OffSite is a group of item URLs that no page of the publisher's site can
// match. A page finds its item by its canonical URL, or by that URL's path
// when the catalogue lists paths; feeds often link elsewhere (a feed proxy,
// another host, http where the site is https), and then nothing is tracked
// and related lists stay empty, silently.
type OffSite struct {
	// Count is the number of items in the group.
	Count int
	// Prefix is the longest prefix, up to a slash, shared by their URLs.
	Prefix string
	// Replace is what a -url-prefix Prefix=Replace rewrite would put in
	// Prefix's place: the site's origin, with Prefix's path if that lies
	// under the site's path, otherwise the site's own path. A suggestion:
	// only the publisher knows where the pages are.
	Replace string
	// Example is one of the URLs.
	Example string
}

// CheckSite returns the groups of items whose URLs are not on site (for
// example https://example.com, or https://example.com/blog/ for a site
// under a path), grouped by scheme and host, largest first. Relative URLs
// are on the site when their path is under the site's.
func CheckSite(items []catalog.Item, site string) ([]OffSite, error) {
	s, err := url.Parse(site)
	if err != nil || (s.Scheme != "http" && s.Scheme != "https") || s.Host == "" {
		return nil, fmt.Errorf("%w, not %q", ErrSite, site)
	}
	origin := s.Scheme + "://" + strings.ToLower(s.Host)
	base := s.Path
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	groups := map[string]*OffSite{}
	var order []string
	for _, it := range items {
		key, norm, on := placeURL(it.URL, origin, base)
		if on {
			continue
		}
		g, ok := groups[key]
		if !ok {
			g = &OffSite{Prefix: norm, Example: it.URL}
			groups[key] = g
			order = append(order, key)
		}
		g.Count++
		g.Prefix = commonPrefix(g.Prefix, norm)
	}
	var out []OffSite
	for _, key := range order {
		g := groups[key]
		g.Prefix = trimToSlash(g.Prefix, key)
		p := g.Prefix[len(key):]
		if !strings.HasPrefix(p, base) {
			p = base
		}
		g.Replace = origin + p
		out = append(out, *g)
	}
	slices.SortStableFunc(out, func(a, b OffSite) int { return cmp.Compare(b.Count, a.Count) })
	return out, nil
}

// placeURL returns the group key of u (its scheme and host in lower case,
// "" for a relative URL), u written from that key on, and whether u is on
// the site.
func placeURL(u, origin, base string) (string, string, bool) {
	if strings.HasPrefix(u, "/") {
		return "", u, strings.HasPrefix(u, base)
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "", u, false
	}
	key := strings.ToLower(p.Scheme) + "://" + strings.ToLower(p.Host)
	path := p.EscapedPath()
	if path == "" {
		path = "/"
	}
	norm := key + path
	if p.RawQuery != "" {
		norm += "?" + p.RawQuery
	}
	return key, norm, key == origin && strings.HasPrefix(path, base)
}

// commonPrefix returns the longest common prefix of a and b.
func commonPrefix(a, b string) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return a[:i]
		}
	}
	return a[:n]
}

// trimToSlash cuts p back to its last slash after the origin key, so that
// the prefix names a folder, never half a file name.
func trimToSlash(p, key string) string {
	rest := p[min(len(key), len(p)):]
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		return p[:len(key)+i+1]
	}
	return key + "/"
}
