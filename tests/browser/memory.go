//go:build !js

package browser

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// WasmMemory returns the byte length of every WebAssembly.Memory alive in
// the target of ctx (a Worker attached with chromedp.WithTargetID, say),
// found through the DevTools heap rather than the page's own variables, so
// it measures what the engine really holds. Wasm memory only grows: this is
// the most each instance ever used. Call it inside a chromedp action.
func WasmMemory(ctx context.Context) ([]int64, error) {
	proto, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "WebAssembly.Memory.prototype"})
	if err != nil {
		return nil, err
	}
	objs, err := chromedp.Call(ctx, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: proto.Result.ObjectID})
	if err != nil {
		return nil, err
	}
	byValue := true
	res, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: `function() { return this.map((m) => m.buffer.byteLength); }`,
		ObjectID:            objs.Objects.ObjectID,
		ReturnByValue:       &byValue,
	})
	if err != nil {
		return nil, err
	}
	if res.ExceptionDetails != nil {
		return nil, fmt.Errorf("measure wasm memory: %s", res.ExceptionDetails.Text)
	}
	var sizes []int64
	if err := json.Unmarshal(res.Result.Value, &sizes); err != nil {
		return nil, err
	}
	return sizes, nil
}
