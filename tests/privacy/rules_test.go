package privacy

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// req builds a recorded request; dest is its Sec-Fetch-Dest ("document"
// makes it a navigation).
func req(method, url, dest string, extra ...string) Request {
	h := http.Header{"Sec-Fetch-Dest": {dest}, "Sec-Fetch-Site": {"same-origin"}}
	h.Set("Sec-Fetch-Mode", "cors")
	if dest == "document" {
		h.Set("Sec-Fetch-Mode", "navigate")
	}
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	return Request{Method: method, URL: url, Header: h}
}

func TestAudit_Rules(t *testing.T) {
	const o = "http://127.0.0.1:9"
	s := Site{Origin: o, Loader: "/hearth/hearth.js", Engine: []string{"/hearth/hearth.wasm"}, Page: []string{"/static/style.css"}, Icon: []string{"/favicon.ico"}}
	clean := func() Recording {
		return Recording{
			Persona:     "a",
			Chosen:      []string{o + "/", o + "/blog/x"},
			Recommended: []string{o + "/blog/y"},
			Requests: []Request{
				req("GET", o+"/", "document"),
				req("GET", o+"/static/style.css", "style", "Referer", o+"/"),
				req("GET", o+"/hearth/hearth.js", "script", "Referer", o+"/"),
				req("GET", o+"/hearth/hearth.wasm", "empty"),
				req("GET", o+"/favicon.ico", "image"),
				req("GET", o+"/blog/x", "document"),
				req("GET", o+"/static/style.css", "style", "Referer", o+"/blog/x"),
				// The browser's own: not judged.
				{Method: "CONNECT", URL: "https://update.example:443", Tunnel: true, Header: http.Header{}},
				{Method: "POST", URL: "http://update.example/check", Body: 100, Header: http.Header{"User-Agent": {"Chromium"}}},
			},
		}
	}
	tests := []struct {
		name   string
		change func(r *Recording)
		rule   string // "" for no finding
	}{
		{"clean", func(*Recording) {}, ""},
		{"a POST", func(r *Recording) { r.Requests = append(r.Requests, req("POST", o+"/hearth/hearth.js", "empty")) }, RuleMethod},
		{"a body", func(r *Recording) { r.Requests[3].Body = 3 }, RuleBody},
		{"a query", func(r *Recording) { r.Requests[3].URL += "?t=go" }, RuleQuery},
		{"another file", func(r *Recording) { r.Requests = append(r.Requests, req("GET", o+"/pixel.gif", "image")) }, RuleFile},
		{"a cookie sent", func(r *Recording) { r.Requests[3].Header.Set("Cookie", "a=b") }, RuleCookie},
		{"a cookie set", func(r *Recording) { r.Requests[3].SetCookie = true }, RuleCookie},
		{"a cookie in the jar", func(r *Recording) { r.Cookies = []string{"a=b"} }, RuleCookie},
		{"another host from the page", func(r *Recording) {
			r.Requests = append(r.Requests, req("GET", "http://cdn.example/x.gif", "image", "Referer", o+"/"))
		}, RuleForeign},
		{"a tunnel to the site's host", func(r *Recording) {
			r.Requests = append(r.Requests, Request{Method: "CONNECT", URL: "https://127.0.0.1:443", Tunnel: true, Header: http.Header{}})
		}, RuleForeign},
		{"a recommendation fetched", func(r *Recording) { r.Requests = append(r.Requests, req("GET", o+"/blog/y", "image")) }, RuleRecommended},
		{"a recommendation prerendered", func(r *Recording) {
			r.Requests = append(r.Requests, req("GET", o+"/blog/y", "document", "Sec-Purpose", "prefetch;prerender"))
		}, RuleSpeculative},
		{"a navigation the reader did not make", func(r *Recording) { r.Chosen = r.Chosen[:1] }, RuleNavigation},
		{"a prefetch link", func(r *Recording) { r.Speculative = []string{`<link rel="prefetch" href="/blog/y">`} }, RuleSpeculative},
		{"the engine while off", func(r *Recording) { r.Off = []Span{{From: 3, To: 4}} }, RuleOff},
		{"the loader while off", func(r *Recording) { r.Off = []Span{{From: 2, To: 3}} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := clean()
			tt.change(&r)
			var rules []string
			for _, f := range Audit(s, []Recording{r}) {
				rules = append(rules, f.Rule)
			}
			if tt.rule == "" {
				require.Empty(t, rules)
				return
			}
			require.Contains(t, rules, tt.rule)
		})
	}
}

func TestAudit_Same(t *testing.T) {
	const o = "http://127.0.0.1:9"
	s := Site{Origin: o, Loader: "/hearth/hearth.js", Engine: []string{"/hearth/hearth.wasm", "/hearth/catalogue.msgpack"}, Icon: []string{"/favicon.ico"}}
	reader := func(name, page string, more ...Request) Recording {
		reqs := []Request{
			req("GET", o+page, "document"),
			req("GET", o+"/hearth/hearth.js", "script", "Referer", o+page),
			req("GET", o+"/hearth/hearth.wasm", "empty"),
			req("GET", o+"/hearth/catalogue.msgpack", "empty"),
		}
		return Recording{Persona: name, Chosen: []string{o + page}, Requests: append(reqs, more...)}
	}
	tests := []struct {
		name string
		b    Recording
		same bool
	}{
		{"another page, Referer normalised", reader("b", "/blog/b"), true},
		{"the engine's files in the other order", func() Recording {
			r := reader("b", "/blog/b")
			r.Requests[2], r.Requests[3] = r.Requests[3], r.Requests[2]
			return r
		}(), true},
		{"a favicon only one browser asked for", reader("b", "/", req("GET", o+"/favicon.ico", "image")), true},
		{"a Referer that is not the page", func() Recording {
			r := reader("b", "/blog/b")
			r.Requests[1].Header.Set("Referer", o+"/blog/b?topic=go")
			return r
		}(), false},
		{"another header", func() Recording {
			r := reader("b", "/")
			r.Requests[2].Header.Set("X-Topic", "go")
			return r
		}(), false},
		{"one request fewer", func() Recording {
			r := reader("b", "/")
			r.Requests = r.Requests[:3]
			return r
		}(), false},
		{"one more page view", func() Recording {
			r := reader("b", "/", req("GET", o+"/blog/c", "document"))
			r.Chosen = append(r.Chosen, o+"/blog/c")
			return r
		}(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var same []Finding
			for _, f := range Audit(s, []Recording{reader("a", "/"), tt.b}) {
				if f.Rule == RuleSame {
					same = append(same, f)
				}
			}
			if tt.same {
				require.Empty(t, same)
			} else {
				require.NotEmpty(t, same)
			}
		})
	}
}
