// Package chunk runs the engine's loops over every item in calls of a
// fixed number of items.
//
// The browser compiles a wasm function first in a baseline tier and
// optimises it, on other threads, only for its later calls: a loop runs in
// the code its function was entered with, so a loop over every item in a
// function entered once (a catalogue's load, a reader's first list) runs
// unoptimised to its end. The same loop as a function called on chunks of
// Size items runs optimised after the first few calls (docs/performance.md,
// "Why the first load is slow"). The function that does a chunk's work is
// marked go:noinline, so that the compiler does not put its loop back into
// the caller.
package chunk

// Size is how many items one call takes: a few hundred calls at 100,000
// items, and calls long enough that their overhead does not count.
const Size = 1024

// Each calls f(lo, hi) for the items lo to hi of n, in order, Size at a
// time.
func Each(n int, f func(lo, hi int)) {
	for lo := 0; lo < n; lo += Size {
		f(lo, min(lo+Size, n))
	}
}
