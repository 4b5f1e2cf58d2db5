package pack

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hearth-dev/hearth/core/catalog"
)

// Errors about item hosts.
var (
	// ErrHost means an item's URL names a host the policy's hosts do not
	// list; the engine refuses such a catalogue (catalog.Validate).
	ErrHost = errors.New("item URL on a host the policy does not allow")
	// ErrStrayHost is a notice, not a failure: some items link to another
	// host than most items do, which a tampered or mixed-up feed looks like.
	ErrStrayHost = errors.New("items link to another host than most items")
)

// strayHosts returns a notice (ErrStrayHost) for each host that some items
// link to while more than half of all items link to one other host (or are
// site-relative, which counts as one host and is never a stray), fewest
// items first: a feed whose links go to one site but a few, which a
// publisher should look at before readers follow them.
// A catalogue without such a majority (an aggregator of many sites) gets
// none; nor does one whose policy lists its hosts, which the engine holds
// it to.
func strayHosts(entries []entry) []error {
	count := map[string]int{}
	example := map[string]entry{}
	for _, e := range entries {
		h := strings.ToLower(catalog.URLHost(e.url))
		if count[h] == 0 {
			example[h] = e
		}
		count[h]++
	}
	var hosts []string
	for h := range count {
		hosts = append(hosts, h)
	}
	slices.SortFunc(hosts, func(a, b string) int {
		return cmp.Or(cmp.Compare(count[a], count[b]), cmp.Compare(a, b))
	})
	main := hosts[len(hosts)-1]
	if 2*count[main] <= len(entries) {
		return nil
	}
	name := func(h string) string {
		if h == "" {
			return "site-relative paths"
		}
		return h
	}
	var out []error
	for _, h := range hosts[:len(hosts)-1] {
		if h == "" {
			// Site-relative links stay on the site, wherever it is.
			continue
		}
		e := example[h]
		out = append(out, fmt.Errorf("%w: %d of %d items link to %s, while %d link to %s; for example %s (%s) links to %s. If that is not your site, check the feed; a policy's \"hosts\" makes the engine refuse other hosts",
			ErrStrayHost, count[h], len(entries), name(h), count[main], name(main), source(e.src), e.id, e.url))
	}
	return out
}
