// Package privacy is Hearth's privacy audit: it drives real readers through
// the demo site in headless Chromium, records every request their pages and
// Workers send (through a logging proxy on loopback), and checks the
// first promise of docs/privacy.md, "Nothing personal is transmitted", on what was
// recorded. Its tests also cover consent, the reader's controls, robustness
// against bad input, and rendering of hostile catalogue text.
//
// # The audit
//
// [Audit] judges [Recording]s of readers ("personas") against a [Site]: the
// module's only requests are GETs of its own files and the catalogue,
// without query strings, bodies or cookies; they are the same for every
// reader; nothing recommended is fetched unless the reader followed it;
// nothing is prefetched or prerendered; and while personalization is off
// nothing but the page itself is requested. It returns [Finding]s, empty
// when the recordings keep the promise. The tests run it on the real demo
// and on deliberately leaking variants, which it must catch.
//
// # What is judged
//
// Chromium makes a few requests of its own (update and account hosts).
// Requests to the site are judged, and requests elsewhere that carry the
// site's Referer or Origin or any Sec-Fetch-Site header (only pages and
// Workers send those). CONNECT tunnels show only a host: they are judged
// when they go to the site's host, and otherwise listed as the browser's.
package privacy

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// Site describes the audited site.
type Site struct {
	// Origin is the site's origin, "http://127.0.0.1:1234".
	Origin string
	// Loader is the path of Hearth's script tag, which every page of the
	// site includes whatever the reader chose ("/hearth/hearth.js").
	Loader string
	// Engine lists the paths Hearth requests only while personalization
	// is on: the Worker, wasm_exec.js, the wasm and the catalogue.
	Engine []string
	// Page lists the paths of the publisher's own files that every page
	// includes (style sheet, scripts).
	Page []string
	// Icon lists paths the browser fetches for itself, when it likes:
	// "/favicon.ico" (for the tab's icon, once per site or not at all).
	// Their requests are judged like any other but left out of the
	// comparison between readers, since whether the browser asks for them
	// depends on its icon cache, not on the page.
	Icon []string
	// Ordered lists URL paths whose requests must come in the same order
	// for every reader, over the whole recording: a segmented catalogue's
	// manifest and files, which the Worker fetches one after another in
	// the manifest's order. The comparison of page views does not see
	// order (the engine's files arrive in either order).
	Ordered []string
}

// Span is a range of request indices [From, To) of a recording; To < 0
// means up to the end.
type Span struct{ From, To int }

func (s Span) has(i int) bool { return i >= s.From && (s.To < 0 || i < s.To) }

// Recording is what one reader did and what their browser context sent.
type Recording struct {
	// Persona names the reader.
	Persona string
	// Requests are every request of the reader's browser context, in order.
	Requests []Request
	// Chosen are the URLs the reader navigated to, in order.
	Chosen []string
	// Recommended are the URLs Hearth showed the reader as recommendations.
	Recommended []string
	// Cookies are the cookies of the reader's browser context at the end,
	// as name=value.
	Cookies []string
	// Speculative lists what the reader's pages asked the browser to
	// fetch ahead: <link rel=prefetch|prerender|preload|modulepreload|
	// preconnect|dns-prefetch> and <script type=speculationrules>.
	Speculative []string
	// Off are the spans of Requests during which personalization was off
	// (before consent, after revocation).
	Off []Span
}

// Rules of the audit, the Rule of each [Finding].
const (
	RuleMethod      = "method"      // a request other than GET
	RuleBody        = "body"        // a request with a body
	RuleFile        = "file"        // a request for something other than Hearth's files, the catalogue or the page's own files
	RuleQuery       = "query"       // a query string or fragment on a non-navigation request
	RuleCookie      = "cookie"      // a cookie sent, set, or in the jar
	RuleForeign     = "foreign"     // a request of the page or a Worker to another host
	RuleSame        = "same"        // the requests differ between readers
	RuleOrder       = "order"       // the requests for Site.Ordered come in another order, or other ones, than another reader's
	RuleRecommended = "recommended" // a recommended URL fetched that the reader did not open
	RuleSpeculative = "speculative" // prefetch, prerender or speculation rules
	RuleOff         = "off"         // an engine request while personalization was off
	RuleNavigation  = "navigation"  // a navigation the reader did not choose
)

// Finding is one broken rule.
type Finding struct {
	Persona string
	Rule    string
	Detail  string
}

func (f Finding) String() string { return f.Persona + ": " + f.Rule + ": " + f.Detail }

// Navigation reports whether r is a top-level navigation.
func Navigation(r Request) bool {
	return r.Header.Get("Sec-Fetch-Mode") == "navigate" && r.Header.Get("Sec-Fetch-Dest") == "document"
}

// judged reports whether the audit judges r: it goes to the site, or a page
// or Worker of the site sent it.
func (s Site) judged(r Request) bool {
	if r.Tunnel {
		u, err := url.Parse(r.URL)
		site, err2 := url.Parse(s.Origin)
		return err == nil && err2 == nil && u.Hostname() == site.Hostname()
	}
	if s.onSite(r.URL) {
		return true
	}
	return strings.HasPrefix(r.Header.Get("Referer"), s.Origin) || r.Header.Get("Origin") == s.Origin ||
		r.Header.Get("Sec-Fetch-Site") != ""
}

func (s Site) onSite(raw string) bool {
	return raw == s.Origin || strings.HasPrefix(raw, s.Origin+"/")
}

// Browser returns the requests of a recording that the audit leaves to the
// browser itself (update checks and the like), for the test log.
func Browser(s Site, rec Recording) []Request {
	var out []Request
	for _, r := range rec.Requests {
		if !s.judged(r) {
			out = append(out, r)
		}
	}
	return out
}

// Audit checks recordings of readers of one site and returns what broke
// the promise; nil means nothing did.
func Audit(s Site, recs []Recording) []Finding {
	var out []Finding
	for _, rec := range recs {
		out = append(out, auditOne(s, rec)...)
	}
	out = append(out, same(s, recs)...)
	out = append(out, order(s, recs)...)
	return out
}

func auditOne(s Site, rec Recording) []Finding {
	var out []Finding
	add := func(rule, format string, args ...any) {
		out = append(out, Finding{Persona: rec.Persona, Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}
	chosen := make(map[string]bool, len(rec.Chosen))
	for _, c := range rec.Chosen {
		chosen[stripFragment(c)] = true
	}
	recommended := make(map[string]bool, len(rec.Recommended))
	for _, u := range rec.Recommended {
		recommended[stripFragment(u)] = true
	}
	engine := make(map[string]bool, len(s.Engine))
	for _, p := range s.Engine {
		engine[p] = true
	}
	allowed := func(path string) bool {
		return path == s.Loader || engine[path] || slices.Contains(s.Page, path) || slices.Contains(s.Icon, path)
	}
	for i, r := range rec.Requests {
		if !s.judged(r) {
			continue
		}
		where := fmt.Sprintf("request %d %s %s", r.Seq, r.Method, r.URL)
		if r.Tunnel {
			add(RuleForeign, "%s: a tunnel to the site's host hides what it carries", where)
			continue
		}
		if !s.onSite(r.URL) {
			add(RuleForeign, "%s: sent by the site's page or Worker to another host", where)
		}
		if r.Method != http.MethodGet {
			add(RuleMethod, "%s", where)
		}
		if r.Body > 0 {
			add(RuleBody, "%s: %d body bytes", where, r.Body)
		}
		if c := r.Header.Get("Cookie"); c != "" {
			add(RuleCookie, "%s: sends cookie %q", where, c)
		}
		if r.SetCookie {
			add(RuleCookie, "%s: the response sets a cookie", where)
		}
		if p := r.Header.Get("Sec-Purpose"); p != "" {
			add(RuleSpeculative, "%s: Sec-Purpose %s", where, p)
		}
		u, err := url.Parse(r.URL)
		if err != nil {
			add(RuleFile, "%s: unparsable URL", where)
			continue
		}
		key := stripFragment(r.URL)
		if Navigation(r) {
			if !chosen[key] {
				add(RuleNavigation, "%s: the reader did not open it", where)
			}
			continue
		}
		if recommended[key] {
			add(RuleRecommended, "%s: a recommended URL fetched without the reader opening it", where)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			add(RuleQuery, "%s", where)
		}
		if !allowed(u.Path) {
			add(RuleFile, "%s: not Hearth's, not the catalogue, not the page's own", where)
		}
		for _, off := range rec.Off {
			if off.has(i) && engine[u.Path] {
				add(RuleOff, "%s: while personalization was off", where)
			}
		}
	}
	for _, c := range rec.Cookies {
		add(RuleCookie, "cookie in the browser: %s", c)
	}
	for _, sp := range rec.Speculative {
		add(RuleSpeculative, "%s", sp)
	}
	return out
}

// normalised are the request headers the comparison between readers
// rewrites, and why. Referer: a request a page makes carries the page's
// URL, which the reader's own navigation already sent; it is replaced by
// "<page>" only when it is exactly the URL of the page the reader is on,
// so that a Referer carrying anything else still differs.
var normalised = []string{"Referer"}

// pageViews splits the judged non-navigation requests of a recording at
// its navigations: one normalised, sorted list per page view. The order
// within a page view is not compared: the Worker downloads the engine and
// the catalogue at once, and they arrive in either order.
func pageViews(s Site, rec Recording) [][]string {
	var views [][]string
	page := ""
	for _, r := range rec.Requests {
		if !s.judged(r) {
			continue
		}
		if Navigation(r) {
			views = append(views, nil)
			page = r.URL
			continue
		}
		if u, err := url.Parse(r.URL); err == nil && u.RawQuery == "" && slices.Contains(s.Icon, u.Path) {
			continue
		}
		if len(views) == 0 {
			views = append(views, nil)
		}
		views[len(views)-1] = append(views[len(views)-1], fingerprint(r, page))
	}
	for _, v := range views {
		sort.Strings(v)
	}
	return views
}

// fingerprint is everything a server could learn from a request: method,
// URL, headers (Referer normalised), body size.
func fingerprint(r Request, page string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s body=%d", r.Method, r.URL, r.Body)
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := strings.Join(r.Header.Values(k), ", ")
		if k == "Referer" && v == page {
			v = "<page>"
		}
		fmt.Fprintf(&b, " | %s: %s", k, v)
	}
	return b.String()
}

// same compares every reader's page views with the first reader's.
func same(s Site, recs []Recording) []Finding {
	if len(recs) < 2 {
		return nil
	}
	var out []Finding
	base := pageViews(s, recs[0])
	for _, rec := range recs[1:] {
		views := pageViews(s, rec)
		if len(views) != len(base) {
			out = append(out, Finding{Persona: rec.Persona, Rule: RuleSame,
				Detail: fmt.Sprintf("%d page views, %s had %d", len(views), recs[0].Persona, len(base))})
			continue
		}
		for i := range views {
			if d := diff(base[i], views[i]); d != "" {
				out = append(out, Finding{Persona: rec.Persona, Rule: RuleSame,
					Detail: fmt.Sprintf("page view %d differs from %s's: %s", i+1, recs[0].Persona, d)})
			}
		}
	}
	return out
}

// order compares every reader's requests for s.Ordered, in order, with
// the first reader's.
func order(s Site, recs []Recording) []Finding {
	if len(s.Ordered) == 0 || len(recs) < 2 {
		return nil
	}
	var out []Finding
	base := orderedRequests(s, recs[0])
	for _, rec := range recs[1:] {
		if d := diff(base, orderedRequests(s, rec)); d != "" {
			out = append(out, Finding{Persona: rec.Persona, Rule: RuleOrder,
				Detail: fmt.Sprintf("the requests for %v differ from %s's: %s", s.Ordered, recs[0].Persona, d)})
		}
	}
	return out
}

// orderedRequests returns the method and URL of the judged requests of
// rec for s.Ordered, in the order they were sent.
func orderedRequests(s Site, rec Recording) []string {
	var out []string
	for _, r := range rec.Requests {
		if !s.judged(r) || Navigation(r) {
			continue
		}
		if u, err := url.Parse(r.URL); err == nil && slices.Contains(s.Ordered, u.Path) {
			out = append(out, r.Method+" "+r.URL)
		}
	}
	return out
}

// diff describes the first difference of two lists, or "".
func diff(a, b []string) string {
	for i := 0; i < len(a) || i < len(b); i++ {
		switch {
		case i >= len(a):
			return "extra request " + b[i]
		case i >= len(b):
			return "missing request " + a[i]
		case a[i] != b[i]:
			return fmt.Sprintf("%q instead of %q", b[i], a[i])
		}
	}
	return ""
}

func stripFragment(u string) string {
	u, _, _ = strings.Cut(u, "#")
	return u
}
