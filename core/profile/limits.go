package profile

import (
	"errors"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/scan"
	"github.com/hearth-dev/hearth/core/wire"
)

// maxMemory bounds the estimated decoded size of a stored profile.
const maxMemory = 64 << 20

// maxNesting bounds how deep a profile's containers nest: an event's
// credit pairs are the deepest (4); deeper containers can only be unknown
// fields.
const maxNesting = 8

// limit names the bound of an array of a profile. Every array field of the
// wire types in profile.go names its own in a limit tag (`limit:"list"` is
// limitList), and limitOf, generated from those tags into
// profile_lean_gen.go, finds it by depth and key: prescan, which sees only
// depths and keys, and the lean decoder share that one table.
type limit uint8

const (
	limitNone   limit = iota // an unknown array: held to MaxList
	limitList                // events, read, hidden, muted: MaxList
	limitPairs               // interests: MaxList (topic, weight) pairs
	limitCredit              // an event's credit: MaxCredit pairs
)

// limiter holds a stored profile to MaxList, MaxCredit and maxMemory as a
// decoder meets its arrays, before it allocates their elements. prescan
// runs it over the whole document (before the msgp-generated decoder,
// which trusts array headers, and before a version-1 profile is decoded);
// the lean codec generated into profile_lean_gen.go calls it at each array
// header and unknown field (array and skip), so the engine walks a current
// profile once.
type limiter struct {
	budget int
	err    error // the lean codec's first refusal
}

func newLimiter() *limiter { return &limiter{budget: maxMemory} }

// check holds an array of n elements at depth under key to its limit and
// charges the budget for its elements, 100 bytes each (an event, the
// largest, is under 100 bytes decoded). The lean decoder reads a pair's
// header as a tuple, without the limiter, so for a known list of pairs it
// charges the pairs' two values here too: for a well-formed profile, the
// budget is charged what prescan, which visits every pair, charges.
func (l *limiter) check(depth int, key []byte, n int, known bool) error {
	which, max, charge := limitOf(depth, string(key)), MaxList, 100
	if which == limitCredit {
		max = MaxCredit
	}
	if known && which != limitList {
		charge = 300
	}
	if n > max {
		return errfmt.Wrap("", ErrTooLarge, ": "+clip(string(key))+" has "+errfmt.Itoa(n)+" entries, limit "+errfmt.Itoa(max))
	}
	if l.budget -= n * charge; l.budget < 0 {
		return errfmt.Wrap("", ErrTooLarge, ": decoded size over the "+errfmt.Itoa(maxMemory)+"-byte budget")
	}
	return nil
}

// visit is a [scan.Visitor]: depth 0 is the profile's map, 1 its fields,
// 2 the events' maps and the interests' pairs, 3 an event's fields. A map
// decodes into a fixed struct, whose unknown keys are skipped, so it costs
// nothing beyond its owner; every array, a pair included, is checked.
func (l *limiter) visit(depth int, key []byte, n int, isMap bool) error {
	if isMap {
		return nil
	}
	return l.check(depth, key, n, false)
}

// array reads an array header at depth under key and checks its count as
// prescan would, before the caller allocates; a nil limiter checks nothing.
func (l *limiter) array(r *wire.Reader, depth int, key []byte) int {
	n := r.ArrayHeader()
	if l != nil && r.Err() == nil {
		if err := l.check(depth, key, n, true); err != nil {
			l.fail(r, err)
			return 0
		}
	}
	return n
}

// skip skips an unknown field's value at depth under key. The limiter
// walks it first as prescan would: its arrays are held to their limits
// and charged, and nesting past maxNesting is refused.
func (l *limiter) skip(r *wire.Reader, depth int, key []byte) {
	if l != nil && r.Err() == nil {
		if _, err := scan.WalkFrom(r.Rest(), depth, key, maxNesting, l.visit); err != nil {
			l.fail(r, err)
			return
		}
	}
	r.Skip()
}

// fail records the limiter's first refusal and stops r.
func (l *limiter) fail(r *wire.Reader, err error) {
	if l.err == nil {
		l.err = err
	}
	r.Fail(err)
}

// prescan walks the bytes before a decoder that trusts array headers, and
// would allocate whatever they claim, sees them.
func prescan(b []byte) error {
	rest, err := scan.Walk(b, maxNesting, newLimiter().visit)
	return scanError(err, rest)
}

// scanError classifies the error of a walk or a decoder, err, and the
// bytes it left, rest.
func scanError(err error, rest []byte) error {
	switch {
	case errors.Is(err, ErrTooLarge):
		return err
	case err != nil:
		return errfmt.Wrap("", ErrCorrupt, ": "+err.Error())
	case len(rest) != 0:
		return errfmt.Wrap("", ErrCorrupt, ": "+errfmt.Itoa(len(rest))+" trailing bytes")
	}
	return nil
}

// readChecked decodes a current profile with the lean codec, enforcing the
// limits as it goes, so that the bytes are walked once: what prescan and
// the msgp decoder do in two walks. It refuses what they refuse, except
// that a profile broken in two ways may be refused for the other one first
// (checked_test.go).
func readChecked(b []byte) (*Profile, error) {
	r := wire.NewReader(b)
	l := newLimiter()
	p := new(Profile)
	p.readMsg(r, l)
	err := l.err // the limiter's refusal, not r's copy of it with an offset
	if err == nil {
		err = r.Err()
	}
	if err := scanError(err, r.Rest()); err != nil {
		return nil, err
	}
	return p, nil
}
