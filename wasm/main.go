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
	dispatch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 1 || args[0].Type() != js.TypeObject {
			return js.Null()
		}
		req := make([]byte, args[0].Get("byteLength").Int())
		js.CopyBytesToGo(req, args[0])
		resp := b.Dispatch(req)
		out := js.Global().Get("Uint8Array").New(len(resp))
		js.CopyBytesToJS(out, resp)
		return out
	})
	// go.run returns to the Worker once main blocks below, and the Worker
	// then finds this function.
	js.Global().Set("hearthDispatch", dispatch)
	select {}
}
