//go:build !js

package browser

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Eval evaluates a JavaScript expression in the tab of ctx, awaiting it if it
// is a promise, and fails the test if it throws.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "evaluate %s", expr)
	return v
}

// EvalJSON evaluates expr like [Eval] and decodes its JSON form, so that null
// and undefined decode as Go zero values.
func EvalJSON[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	s := Eval[string](t, ctx, `Promise.resolve(`+expr+`).then((v) => JSON.stringify(v === undefined ? null : v))`)
	var v T
	require.NoError(t, json.Unmarshal([]byte(s), &v), "decode %s", s)
	return v
}

// JS writes v as a JavaScript literal, its JSON; bytes as a list of their
// numbers (for new Uint8Array(...)), where JSON would write base64.
func JS(v any) string {
	if b, ok := v.([]byte); ok {
		n := make([]int, len(b))
		for i, c := range b {
			n[i] = int(c)
		}
		v = n
	}
	out, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(out)
}
