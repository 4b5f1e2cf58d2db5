package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/tests/shipped"
	"github.com/hearth-dev/hearth/web/serve"
	"github.com/stretchr/testify/require"
)

// bodiesJS lists and replaces the catalogue files the Worker keeps
// (js/store.js keptBody) without creating their cache.
const bodiesJS = `
window.__bodies = {
  list: async () => {
    if (!(await caches.has('hearth-catalogue'))) return [];
    const c = await caches.open('hearth-catalogue');
    return Promise.all((await c.keys()).map(async (r) => {
      const kept = await c.match(r);
      return {url: r.url, version: kept.headers.get('X-Hearth-Version'), size: (await kept.arrayBuffer()).byteLength};
    }));
  },
  put: async (url, version, bytes) => {
    const c = await caches.open('hearth-catalogue');
    await c.put(url, new Response(new Uint8Array(bytes), {headers: {'X-Hearth-Version': version}}));
    return true;
  },
};
`

type keptBody struct {
	URL     string `json:"url"`
	Version string `json:"version"`
	Size    int    `json:"size"`
}

// putBody keeps b as the catalogue's file for version, as the Worker would.
func (p *page) putBody(url, version string, b []byte) {
	p.t.Helper()
	eval[bool](p.t, p, `__bodies.put(`+browser.JS(url)+`, `+browser.JS(version)+`, `+browser.JS(b)+`)`)
}

// TestBodies: the Worker keeps the catalogue's file as the engine reads it
// (the browser's HTTP cache would decompress it again on every page), and
// reads the kept file only while the response names the same version.
func TestBodies(t *testing.T) {
	p, _ := keptReader(t, shipped.Variant(t, built, nil))
	eval[bool](t, p, `(eval(`+browser.JS(bodiesJS)+`), true)`)
	url := p.base + "/hearth/catalogue.msgpack"
	version := eval[string](t, p, `fetch('/hearth/catalogue.msgpack').then((r) => r.headers.get('ETag'))`)
	require.NotEmpty(t, version)
	served := shipped.File(t, built, serve.Catalogue)
	// keptServed waits until the one file kept is the server's.
	keptServed := func() {
		t.Helper()
		p.waitFor(`__bodies.list().then((l) => JSON.stringify(l) === `+browser.JS(browser.JS([]keptBody{{URL: url, Version: version, Size: len(served)}}))+`)`, 10*time.Second)
	}
	keptServed()
	real := p.engineList(false)

	// The same items with the first one retitled, kept as if it were the
	// server's file: the engine shows whatever was kept for the version.
	cat := builtCatalogue(t)
	i, ok := cat.Find(p.slot("home").Links[0].ID)
	require.True(t, ok)
	cat.Items[i].Title = "Retitled: " + cat.Items[i].Title
	retitled, err := cat.Encode()
	require.NoError(t, err)
	require.NotEqual(t, len(served), len(retitled))
	reload := func() {
		t.Helper()
		// The server answers, not the HTTP cache: a kept file stands for
		// a response from either.
		_, err := chromedp.Call(p.ctx, network.ClearBrowserCache, cdp.Empty{})
		require.NoError(t, err)
		p.reload()
		require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
		require.Empty(t, p.hearthErrors())
		eval[bool](t, p, `(eval(`+browser.JS(bodiesJS)+`), true)`)
	}

	t.Run("a file kept for the version is read", func(t *testing.T) {
		p.putBody(url, version, retitled)
		reload()
		require.Contains(t, p.engineList(false), cat.Items[i].Title)
	})
	t.Run("a file kept for another version is not", func(t *testing.T) {
		p.putBody(url, `"another"`, retitled)
		reload()
		require.Equal(t, real, p.engineList(false))
		keptServed()
	})
	t.Run("a kept file the engine refuses is read again from the server", func(t *testing.T) {
		p.putBody(url, version, []byte("not a catalogue"))
		reload()
		require.Equal(t, real, p.engineList(false))
		// The file read from the server instead is kept.
		keptServed()
	})
	t.Run("only the catalogue loaded is kept", func(t *testing.T) {
		p.putBody(p.base+"/hearth/catalogue-old.msgpack", `"old"`, retitled)
		reload()
		keptServed()
	})
	t.Run("cleared with the profile", func(t *testing.T) {
		eval[bool](t, p, `hearth.clear().then(() => true)`)
		require.False(t, eval[bool](t, p, `caches.has('hearth-catalogue')`))
	})
}
