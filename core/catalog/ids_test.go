package catalog

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIDs_AddFind fills a table past many collisions (twice as many slots
// as items, so probes wrap around) and finds every id, no unknown one, and
// the earlier item of a repeated id.
func TestIDs_AddFind(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 1000, 4097} {
		items := make([]Item, n)
		for i := range items {
			items[i].ID = "item-" + strconv.Itoa(i)
		}
		x := newIDs(n)
		require.GreaterOrEqual(t, len(x.slot), 2*n)
		for i := range items {
			j, fresh := x.add(items, i)
			require.True(t, fresh)
			require.Equal(t, i, j)
		}
		require.Equal(t, n, x.n)
		for i, it := range items {
			j, ok := x.find(items, it.ID)
			require.True(t, ok, "n=%d id %q", n, it.ID)
			require.Equal(t, i, j)
		}
		_, ok := x.find(items, "item-"+strconv.Itoa(n))
		require.False(t, ok)
		if n == 0 {
			continue
		}
		items = append(items, Item{ID: items[n/2].ID})
		j, fresh := x.add(items, n)
		require.False(t, fresh, "a repeated id is refused")
		require.Equal(t, n/2, j, "and the earlier item named")
		require.Equal(t, n, x.n)
	}
	var empty ids
	_, ok := empty.find(nil, "a")
	require.False(t, ok)
}
