package catalog

// Charge decodes b with limits no catalogue reaches and returns what the
// limiter charged to the memory budget, the input included.
func Charge(b []byte) (int, *Catalogue, error) {
	lim := Limits{MaxMemory: 1 << 40, MaxMemoryRatio: 1 << 20}.withDefaults()
	l := newLimiter(lim, len(b))
	c, err := readLimited(b, false, l)
	return l.total - l.budget, c, err
}

// Unlimited is limits under which no catalogue is over the memory budget.
var Unlimited = Limits{MaxMemory: 1 << 40, MaxMemoryRatio: 1 << 20}
