package demo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// directives splits a Content-Security-Policy into its directives' values.
func directives(t *testing.T, csp string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		require.NotContains(t, out, name, "directive %s repeated", name)
		out[name] = value
	}
	return out
}

// TestNewServer_Framing: no other site may frame a page (the profile page's
// consent switch and "Delete everything" under an invisible frame), point
// relative URLs elsewhere with <base>, or submit a form anywhere, and the
// policy stays as strict as Hearth allows, on every response.
func TestNewServer_Framing(t *testing.T) {
	assets := fstest.MapFS{"hearth.js": {Data: []byte("export {};")}}
	h, err := NewServer(assets, Options{Fallback: func(string, int) []Link { return nil }})
	require.NoError(t, err)
	want := map[string]string{
		"default-src":     "'self'",
		"script-src":      "'self' 'wasm-unsafe-eval'",
		"worker-src":      "'self'",
		"connect-src":     "'self'",
		"style-src":       "'self'",
		"frame-ancestors": "'none'",
		"base-uri":        "'none'",
		"form-action":     "'none'",
	}
	tests := []struct {
		method, path string
		status       int
		page         bool // a document of the site, not one of Hearth's files
	}{
		{http.MethodGet, "/profile", 200, true},
		{http.MethodGet, "/", 200, true},
		{http.MethodGet, "/blog/pipelines", 200, true},
		{http.MethodGet, "/static/style.css", 200, true},
		{http.MethodGet, "/no-such-page", 404, true},
		{http.MethodPost, "/profile", 405, true},
		{http.MethodGet, "/hearth/hearth.js", 200, false},
		{http.MethodGet, "/hearth/missing.js", 404, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			require.Equal(t, tt.status, rec.Code)
			require.Equal(t, want, directives(t, rec.Header().Get("Content-Security-Policy")))
			if tt.page {
				require.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"), "for browsers without frame-ancestors")
			}
		})
	}
}
