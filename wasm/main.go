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
// Loading a catalogue allocates most of what the engine will ever hold,
// and at Go's default GOGC of 100 the collector ran two or three times
// during it, over a heap it had just built: loadGOGC of 400 took about
// 45 ms off the first recommendations at 10,000 items
// (docs/performance.md).
//
// Then the engine answers small calls, whose garbage at 400 would grow
// the heap to five times what the load left live, and wasm memory never
// shrinks. So once a load's first calls are answered (settleAfter), the
// engine collects the load's garbage and keeps the heap within
// settledGOGC percent of what is live: a bound that follows the loaded
// catalogue, whatever its size. The load's own garbage is about a
// quarter of what it leaves live (13 against 48 MB at 100,000 items), so
// at 25 the calls' heap stays within the memory the load already took.
const (
	loadGOGC    = 400
	settledGOGC = 25
	settleAfter = 2000 // milliseconds
)

// setGCPercent is runtime/debug.SetGCPercent without package
// runtime/debug, whose imports (fmt, os, time) would add 50 KB.
//
//go:linkname setGCPercent runtime/debug.setGCPercent
func setGCPercent(int32) int32

func main() {
	setGCPercent(loadGOGC)
	b := bridge.New()
	// The page's timer, not package time's, which would add 50 KB.
	settle := js.FuncOf(func(js.Value, []js.Value) any {
		runtime.GC()
		setGCPercent(settledGOGC)
		return nil
	})
	b.Loaded = func() { js.Global().Call("setTimeout", settle, settleAfter) }
	// hearthDispatch(request, data?): data, a Uint8Array, is the request's
	// bytes argument passed beside the message (see bridge.DispatchBytes).
	dispatch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		// One copy loop for both arguments: each inlined copy costs the
		// engine about 0.3 KB of brotli.
		var in [2][]byte
		for i := 0; i < len(args) && i < len(in); i++ {
			if args[i].Type() == js.TypeObject {
				in[i] = make([]byte, args[i].Get("byteLength").Int())
				js.CopyBytesToGo(in[i], args[i])
			}
		}
		if in[0] == nil {
			return js.Null()
		}
		resp := b.DispatchBytes(in[0], in[1])
		out := js.Global().Get("Uint8Array").New(len(resp))
		js.CopyBytesToJS(out, resp)
		return out
	})
	// go.run returns to the Worker once main blocks below, and the Worker
	// then finds this function.
	js.Global().Set("hearthDispatch", dispatch)
	select {}
}
