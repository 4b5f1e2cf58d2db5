package catalog

import "hash/maphash"

// ids finds items by id: an open-addressing table of positions. Each slot
// holds an item's position plus one (0 is empty), at its id's hash or in
// the first empty slot after it, and there are at least twice as many
// slots as items. Four bytes a slot where a map of the ids held about
// forty bytes an item (3.5 MB at 100,000 items, at the load's peak of
// memory).
type ids struct {
	slot []int32
	n    int // the items indexed
}

// idSeed is random per process, as a map's is, so that a hostile
// catalogue cannot choose ids that collide; one seed for every table keeps
// the tables of equal catalogues equal.
var idSeed = maphash.MakeSeed()

func newIDs(n int) ids {
	size := 2
	for size < 2*n {
		size *= 2
	}
	return ids{slot: make([]int32, size)}
}

// add indexes item i of items. When an earlier item has its id, it
// returns that item's position and false, and indexes nothing.
func (x *ids) add(items []Item, i int) (int, bool) {
	id := items[i].ID
	mask := uint64(len(x.slot) - 1)
	for h := maphash.String(idSeed, id) & mask; ; h = (h + 1) & mask {
		p := int(x.slot[h]) - 1
		if p < 0 {
			x.slot[h] = int32(i + 1)
			x.n++
			return i, true
		}
		if items[p].ID == id {
			return p, false
		}
	}
}

// find returns the position of the item of items with id, if indexed.
func (x *ids) find(items []Item, id string) (int, bool) {
	if len(x.slot) == 0 {
		return 0, false
	}
	mask := uint64(len(x.slot) - 1)
	for h := maphash.String(idSeed, id) & mask; ; h = (h + 1) & mask {
		p := int(x.slot[h]) - 1
		if p < 0 {
			return 0, false
		}
		if p < len(items) && items[p].ID == id {
			return p, true
		}
	}
}
