package privacy

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/web/demo"
	"github.com/stretchr/testify/require"
)

// TestFraming_ProfileRefused frames the demo's profile page from a page of
// another origin, as a site would that lays the consent switch and "Delete
// everything" invisibly over its own buttons: the browser gets the profile
// page but never renders it, so none of its style sheet, scripts or Hearth
// files are requested. frame-ancestors alone is enough; without it and
// X-Frame-Options the same frame loads Hearth, so the test can fail.
func TestFraming_ProfileRefused(t *testing.T) {
	tests := []struct {
		name   string
		drop   []string
		framed bool
	}{
		{"as served", nil, false},
		{"frame-ancestors alone", []string{"X-Frame-Options"}, false},
		{"neither", []string{"X-Frame-Options", "Content-Security-Policy"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := demo.NewServer(os.DirFS(built), demo.Options{Fallback: func(string, int) []demo.Link { return nil }})
			require.NoError(t, err)
			site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(dropHeaders{w, tt.drop}, r)
			}))
			t.Cleanup(site.Close)
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write([]byte(`<!doctype html><title>another site</title>` +
					`<iframe id="f" style="opacity:0" src="` + site.URL + `/profile" onload="window.__loaded = true"></iframe>`))
			}))
			t.Cleanup(other.Close)

			p := newTab(t, other.URL)
			require.NoError(t, chromedp.Do(p.ctx, chromedp.Navigate(other.URL+"/")))
			p.waitFor(`window.__loaded === true`, 20*time.Second)
			loader := site.URL + "/hearth/hearth.js"
			if tt.framed {
				deadline := time.Now().Add(20 * time.Second)
				for !requested(p, loader) && time.Now().Before(deadline) {
					time.Sleep(50 * time.Millisecond)
				}
				require.True(t, requested(p, loader), "the framed profile page loads Hearth")
				return
			}
			time.Sleep(time.Second) // time for a rendered frame's subresources
			require.True(t, requested(p, site.URL+"/profile"), "the frame asked for the profile page")
			for _, r := range p.proxy.Requests() {
				if strings.HasPrefix(r.URL, site.URL) {
					require.Equal(t, site.URL+"/profile", r.URL, "a request of the refused frame")
				}
			}
		})
	}
}

func requested(p *tab, url string) bool {
	for _, r := range p.proxy.Requests() {
		if r.URL == url {
			return true
		}
	}
	return false
}

// dropHeaders removes the named headers from a response.
type dropHeaders struct {
	http.ResponseWriter
	names []string
}

func (w dropHeaders) WriteHeader(code int) {
	for _, n := range w.names {
		w.Header().Del(n)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w dropHeaders) Write(b []byte) (int, error) {
	for _, n := range w.names {
		w.Header().Del(n)
	}
	return w.ResponseWriter.Write(b)
}
