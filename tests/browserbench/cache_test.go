package browserbench

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBrowser_ProfileCache checks what the benchmark's returning reader
// relies on: a page of the browser's regular profile finds a large
// catalogue (18 MB, the size of the 100k benchmark catalogue) in the HTTP
// cache on its next visit. A fresh context's cache (browser.Tab), which is
// in memory, is logged beside it: it kept no response of 9 MB or more in
// Chromium 156, so measuring warm loads there downloaded the 100k
// catalogue on every load.
func TestBrowser_ProfileCache(t *testing.T) {
	body := make([]byte, 18<<20)
	_, _ = rand.Read(body)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/big" {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<!doctype html><title>cache</title>"))
			return
		}
		hits.Add(1)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name    string
		profile bool
	}{{"fresh context", false}, {"profile", true}} {
		hits.Store(0)
		parent := chrome.Tab(t)
		if tc.profile {
			parent = chrome.Profile(t)
			require.NoError(t, chromedp.Do(parent, chromedp.Navigate(srv.URL+"/")))
			clearCache(t, parent)
		}
		for range 2 {
			tab, cancel := chromedp.NewContext(parent)
			require.NoError(t, chromedp.Do(tab, chromedp.Navigate(srv.URL+"/")))
			n, err := chromedp.Run(tab, chromedp.Evaluate[int](`fetch('/big').then((r) => r.arrayBuffer()).then((b) => b.byteLength)`, chromedp.EvalAwaitPromise))
			require.NoError(t, err)
			require.Equal(t, len(body), n)
			cancel()
		}
		t.Logf("%s: the server sent the 18 MB response %d times in 2 visits", tc.name, hits.Load())
		if tc.profile {
			require.Equal(t, int32(1), hits.Load(), "the profile's disk cache keeps the response")
		}
	}
}
