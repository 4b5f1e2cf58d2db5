//go:build js && wasm

// Command wasm is the Hearth engine for the browser: it registers one global
// function, hearthDispatch, that takes a request and returns a response, both
// MessagePack bytes in a Uint8Array (see package bridge for the protocol), and
// then serves calls for as long as the Worker lives.
package main

import (
	"runtime"
	"syscall/js"
	_ "unsafe" // go:linkname

	"github.com/hearth-dev/hearth/wasm/bridge"
)

// The collector's policy follows the engine's two phases.
//
// Loading a catalogue allocates most of what the engine will ever hold.
// At Go's default GOGC of 100 the collector ran two or three times during
// it, over a heap it had just built: loadGOGC of 400 took about 45 ms off
// the first recommendations at 10,000 items (docs/performance.md). The
// garbage a load leaves is then collected only once memory reaches
// memoryBudget, a soft limit: a load below it runs undisturbed, one at it
// collects more often, and a catalogue that needs more still loads.
//
// A Worker loads its catalogue once, at its start (js/hearth-worker.js
// init), so this phase comes once. Then the engine answers small calls, whose garbage at 400 would grow
// the heap to five times what the load left live, and wasm memory never
// shrinks. So once the engine has answered no call for settleIdle after a
// load, it collects, lifts the limit and keeps the heap within
// settledGOGC percent of what is live: a bound that follows the loaded
// catalogue, whatever its size. A load's own garbage is about a quarter of
// what it leaves live (13 against 48 MB at 100,000 items under Node), so
// at 25 the calls' heap stays within the memory the load already took.
const (
	loadGOGC     = 400
	memoryBudget = 64 << 20 // bytes
	settleIdle   = 250      // milliseconds
	settledGOGC  = 25
)

// setGCPercent is runtime/debug.SetGCPercent without package
// runtime/debug, whose imports (fmt, os, time) would add 50 KB.
//
//go:linkname setGCPercent runtime/debug.setGCPercent
func setGCPercent(int32) int32

// setMemoryLimit is runtime/debug.SetMemoryLimit, reached the same way.
//
//go:linkname setMemoryLimit runtime/debug.setMemoryLimit
func setMemoryLimit(int64) int64

func main() {
	setGCPercent(loadGOGC)
	setMemoryLimit(memoryBudget)
	b := bridge.New()
	// The page's timer, not package time's, which would add 50 KB: after
	// a load, each call restarts it, so the collection comes between
	// calls, never in the way of the page's first ones.
	var settling bool
	var timer js.Value
	settle := js.FuncOf(func(js.Value, []js.Value) any {
		settling = false
		runtime.GC()
		setGCPercent(settledGOGC)
		setMemoryLimit(1<<63 - 1)
		return nil
	})
	b.Loaded = func() { settling = true }
	// hearthDispatch(request, data?): data is the request's bytes argument
	// passed beside the message (see bridge.DispatchBytes), a Uint8Array
	// or an array of them (a catalogue in the chunks it arrived in).
	dispatch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		var in [2][]byte
		for i := 0; i < len(args) && i < len(in); i++ {
			in[i] = bytesOf(args[i])
		}
		if in[0] == nil {
			return js.Null()
		}
		resp := b.DispatchBytes(in[0], in[1])
		if settling {
			js.Global().Call("clearTimeout", timer)
			timer = js.Global().Call("setTimeout", settle, settleIdle)
		}
		out := js.Global().Get("Uint8Array").New(len(resp))
		js.CopyBytesToJS(out, resp)
		return out
	})
	// go.run returns to the Worker once main blocks below, and the Worker
	// then finds this function.
	js.Global().Set("hearthDispatch", dispatch)
	select {}
}

// bytesOf copies a Uint8Array, or the Uint8Arrays of an array one after
// the other, into one slice; nil for anything else.
func bytesOf(v js.Value) []byte {
	if v.Type() != js.TypeObject {
		return nil
	}
	parts := []js.Value{v}
	if v.Get("byteLength").Type() != js.TypeNumber {
		parts = make([]js.Value, v.Length())
		for k := range parts {
			parts[k] = v.Index(k)
		}
	}
	n := 0
	for _, p := range parts {
		n += p.Get("byteLength").Int()
	}
	b, at := make([]byte, n), 0
	for _, p := range parts {
		at += js.CopyBytesToGo(b[at:], p)
	}
	return b
}
