package pack

import (
	"testing"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// TestBuild_Hosts: with the policy's hosts, an item on another host fails
// the build (ErrHost, naming it), or is dropped with a warning in a
// lenient build; site-relative URLs always pass, and the catalogue holds
// the hosts for the engine to enforce.
func TestBuild_Hosts(t *testing.T) {
	items := pets()
	items[2].URL = "https://evil.example/3"
	items[4].URL = "/local/5"
	pol := catalog.Policy{Hosts: []string{"Pets.Example"}}

	_, err := Build(items, pol, Options{})
	require.ErrorIs(t, err, ErrHost)
	require.Contains(t, err.Error(), "(pet-3): https://evil.example/3 is not on Pets.Example")

	var warned []error
	c, err := Build(items, pol, Options{Warn: func(err error) { warned = append(warned, err) }})
	require.NoError(t, err)
	require.Len(t, warned, 1)
	require.ErrorIs(t, warned[0], ErrHost)
	require.Len(t, c.Items, len(items)-1)
	require.Equal(t, []string{"Pets.Example"}, c.Policy.Hosts)
	find(t, c, "/local/5")

	// The engine holds a catalogue to them too.
	c.Items[0].URL = "https://evil.example/x"
	require.ErrorIs(t, c.Validate(), catalog.ErrInvalid)
}

// TestBuild_StrayHosts: items that link to another host than most items do
// are a notice (ErrStrayHost, once per host, naming one of them); a
// catalogue without such a majority, or whose policy lists its hosts,
// gets none.
func TestBuild_StrayHosts(t *testing.T) {
	notices := func(items []feed.Item, pol catalog.Policy) []error {
		t.Helper()
		var out []error
		_, err := Build(items, pol, Options{Notice: func(err error) { out = append(out, err) }})
		require.NoError(t, err)
		return out
	}
	items := pets()
	require.Empty(t, notices(items, catalog.Policy{}), "one host")

	items[2].URL = "https://evil.example/3"
	items[5].URL = "/local/6"
	got := notices(items, catalog.Policy{})
	require.Len(t, got, 1, "site-relative links stay on the site")
	require.ErrorIs(t, got[0], ErrStrayHost)
	require.Contains(t, got[0].Error(), "1 of 8 items link to evil.example, while 6 link to pets.example; for example pets item 3 (")

	relative := pets()
	for i := range relative {
		relative[i].URL = "/posts/" + relative[i].ID
	}
	relative[0].URL = "https://evil.example/1"
	got = notices(relative, catalog.Policy{})
	require.Len(t, got, 1)
	require.Contains(t, got[0].Error(), "1 of 8 items link to evil.example, while 7 link to site-relative paths")

	require.Empty(t, notices(items, catalog.Policy{Hosts: []string{"pets.example", "evil.example"}}), "the policy names its hosts")

	for i := range items {
		items[i].URL = "https://host" + string(rune('a'+i%3)) + ".example/" + items[i].ID
	}
	require.Empty(t, notices(items, catalog.Policy{}), "no host has most items")
}
