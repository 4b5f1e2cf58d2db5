package demo

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func get(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	resp := rec.Result()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestSite_ServeHTTP(t *testing.T) {
	site, err := New(Options{ReadDwell: 300 * time.Millisecond, ReadScroll: 0.25, Consent: "opt-out"})
	require.NoError(t, err)
	require.Len(t, site.Posts(), 274)
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{
			`<hearth-recs count="5" slot-name="home"><ol class="hearth-list"><li class="hearth-item"><a href="/blog/go1.27">Go 1.27 is released</a>`,
			"Latest posts", `href="/blog/"`,
		}},
		{"/blog/pipelines", 200, []string{
			`<link rel="canonical" href="/blog/pipelines">`,
			`<hearth-recs related count="5" slot-name="related">`,
			`<h1>Go Concurrency Patterns: Pipelines and cancellation</h1>`,
			"Code example <code>pipelines/square.go</code>",
		}},
		{"/blog/", 200, []string{"<h2>2014</h2>", `<a href="/blog/pipelines">`}},
		{"/profile", 200, []string{`<hearth-profile>`}},
		{"/blog/no-such-post", 404, []string{"Not found"}},
		{"/wp-admin", 404, []string{"Not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, site, tt.path)
			require.Equal(t, tt.status, resp.StatusCode)
			require.Equal(t, CSP, resp.Header.Get("Content-Security-Policy"))
			require.Contains(t, body, "The Go Blog</a>, The Go Authors, https://go.dev/blog/, <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>")
			require.Contains(t, body, `<script type="module" src="/hearth/hearth.js" data-catalogue="/hearth/catalogue.msgpack" data-consent="opt-out" data-read-dwell="0.3" data-read-scroll="0.25"></script>`)
			for _, w := range tt.want {
				require.Contains(t, body, w)
			}
			// Hearth's consent prompt on every page but the profile's,
			// which has its own switch.
			require.Equal(t, tt.path != "/profile", strings.Contains(body, "<hearth-consent></hearth-consent>"))
		})
	}
}

func TestSite_Quiet(t *testing.T) {
	site, err := New(Options{Consent: "tcf", Quiet: true})
	require.NoError(t, err)
	_, body := get(t, site, "/")
	require.Contains(t, body, `<script type="module" src="/hearth/hearth.js" data-catalogue="/hearth/catalogue.msgpack" data-consent="tcf" data-quiet></script>`)
}

// TestSite_Posts renders every post and checks that nothing from another
// host would be loaded and no template action is left over.
func TestSite_Posts(t *testing.T) {
	site, err := New(Options{})
	require.NoError(t, err)
	for _, p := range site.Posts() {
		body := string(p.Body)
		for _, bad := range []string{"<img", "<iframe", "<script", "<style", "<video", " style=", "{{raw", "{{code", "{{image"} {
			require.False(t, strings.Contains(body, bad), "post %s contains %q", p.Slug, bad)
		}
	}
	go16 := site.bySlug["go1.6"]
	require.Contains(t, string(go16.Body), `<a href="https://go.dev/pkg/text/template/#hdr-Actions"><code>{{block}}</code> action</a>`)
	generics := site.bySlug["intro-generics"]
	require.Contains(t, string(generics.Body), "compared with the  &lt;\noperator")
}

func TestExpandActions(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"raw", "a\n{{raw `\n\tcode()\n`}}\nb", "a\n\n\tcode()\n\nb"},
		{"string", `x {{" < "}} y`, "x  <  y"},
		{"image", `{{image "a/b.png" 850}}`, ""},
		{"video", `{{video "https://www.youtube.com/embed/abc?rel=0"}}`, "\n\n[Watch the video](https://www.youtube.com/watch?v=abc)\n\n"},
		{"code", "{{code \"p/sq.go\" `/func/` `/^}/`}}", "\n\n*(Code example `p/sq.go`: see [the original post](https://go.dev/blog/slug).)*\n\n"},
		{"unterminated", "a {{raw `b", "a {{raw `b"},
		{"nested braces in a string", "{{raw \"[`{{block}}`]\"}}", "[`{{block}}`]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, expandActions(tt.in, "slug"))
		})
	}
}

func TestLinkRewriter_Rewrite(t *testing.T) {
	r := &linkRewriter{slugs: map[string]bool{"pipelines": true}}
	tests := []struct{ in, want string }{
		{"/blog/pipelines", "/blog/pipelines"},
		{"https://go.dev/blog/pipelines#x", "/blog/pipelines#x"},
		{"https://blog.golang.org/pipelines", "/blog/pipelines"},
		{"/blog/unknown", "https://go.dev/blog/unknown"},
		{"/doc/effective_go", "https://go.dev/doc/effective_go"},
		{"//golang.org/x", "https://golang.org/x"},
		{"https://example.com/", "https://example.com/"},
		{"#section", "#section"},
		{"pipelines/square.go", "https://go.dev/blog/pipelines/square.go"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, r.rewrite(tt.in))
		})
	}
}
