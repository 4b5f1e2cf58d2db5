package e2e

import (
	"testing"

	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/tests/shipped"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/stretchr/testify/require"
)

// countCalls is put before the Worker's script: it counts the engine calls
// (hearthDispatch) and tells the page the count when asked on a
// BroadcastChannel. The Worker answers the question after every call it
// made before, so the count is exact.
const countCalls = `(() => {
  let dispatch;
  let calls = 0;
  const ch = new BroadcastChannel('hearth-test-calls');
  ch.onmessage = () => ch.postMessage(calls);
  Object.defineProperty(self, 'hearthDispatch', {
    configurable: true,
    get() { return dispatch && ((req, data) => { calls++; return dispatch(req, data); }); },
    set(v) { dispatch = v; },
  });
})();
`

// TestTrack_OneEngineCall: with a profile stored, a tracked event costs the
// Worker one engine call, which applies the event to the stored profile and
// encodes the result once (wasm/bridge TestBridge_Encodes counts the
// encodings); it took three calls before (reload, the profile's view, the
// event).
func TestTrack_OneEngineCall(t *testing.T) {
	dir := shipped.Variant(t, built, map[string][]byte{
		serve.Worker: append([]byte(countCalls), shipped.File(t, built, serve.Worker)...),
	})
	p := newPage(t, site(t, dir, readerOptions))
	p.open("/")
	p.accept()
	p.waitSlot("home", "personal")
	eval[bool](t, p, `(() => {
  const ch = new BroadcastChannel('hearth-test-calls');
  window.__calls = () => new Promise((resolve) => {
    ch.onmessage = (e) => resolve(e.data);
    ch.postMessage('calls?');
  });
  return true;
})()`)
	ids := evalJSON[[]string](t, p, `hearth.recommend({count: 3}).then((rs) => rs.map((r) => r.id))`)
	require.Len(t, ids, 3)
	for _, id := range ids {
		calls := eval[int](t, p, `window.__calls().then((before) => hearth.track({kind: 'like', item: `+browser.JS(id)+`})
  .then((learned) => learned ? window.__calls().then((after) => after - before) : -1))`)
		require.Equal(t, 1, calls, "engine calls for one tracked like of %s", id)
	}
	require.Equal(t, 3, eval[int](t, p, `hearth.profile().then((v) => v.events.filter((e) => e.kind === 'like').length)`),
		"every like was stored")
}
