//go:build js && wasm

// Command wasm is the Hearth engine for the browser: it registers one global
// function, hearthDispatch, that takes a request and returns a response, both
// MessagePack bytes in a Uint8Array (see package bridge for the protocol), and
// then serves calls for as long as the Worker lives.
package main

import (
	"syscall/js"

	"github.com/hearth-dev/hearth/wasm/bridge"
)

func main() {
	b := bridge.New()
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
