//go:build unix

// Package publisher_test is a publisher who is not the demo: a news site
// built from a real feed (the Guardian's RSS, from ../shared/data) whose
// pages live at /posts/<path> while the feed links to the Guardian's own
// host. It follows the README's "Embed it" section as written: the script
// tag and <hearth-consent> of its HTML, its commands (make assets, then
// hearth-catalog with -site, which warns that the feed's URLs are not the
// site's; then -url-prefix, as the warning says, to where the pages are),
// and serves the site with Caddy, configured as build/hosts/Caddyfile, and
// with python3 -m http.server. In Chromium it checks what a reader gets:
// the consent prompt, recommendations that follow what they read, the
// console's warning for a wrong URL mapping, brotli from Caddy, and, after
// the catalogue is rebuilt, the rebuilt catalogue in every encoding.
//
// tests/statichost starts Caddy and python3, from Debian's packages (make
// test-deps); without them, or without the shared data, the test skips,
// except under CI (CI=true), where it fails.
package publisher_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/build/assets"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/hearth-dev/hearth/tests/hearthpage"
	"github.com/hearth-dev/hearth/tests/httpbody"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/hearth-dev/hearth/tests/statichost"
	"github.com/hearth-dev/hearth/web/serve"
)

var chrome *browser.Browser

func TestMain(m *testing.M) { os.Exit(browser.Main(m, &chrome, browser.Options{})) }

// listPersonal is true once the page's <hearth-recs> shows a personal list.
const listPersonal = `document.querySelector('hearth-recs').dataset.hearthState === 'personal'`

// The README's placeholders, and what this publisher puts in their place.
const (
	readmeFeed = "https://example.com/feed.xml"
	readmeSite = "https://example.com"
	// site is the publisher's address for -site; its pages are at
	// /posts/<path of the Guardian's link>, on whatever port a server
	// listens, so the catalogue lists them by path.
	site       = "http://127.0.0.1"
	feedHost   = "https://www.theguardian.com/"
	pagePrefix = "/posts/"
)

// article is one item of the feed.
type article struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	Description string `xml:"description"`
}

// path is the page's path on this site: the feed's link moved under
// /posts/, without a trailing slash (the folder's index.html answers it).
func (a article) path() string { return pagePrefix + strings.TrimPrefix(a.Link, feedHost) }

func readFeed(t *testing.T, file string) []article {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var rss struct {
		Items []article `xml:"channel>item"`
	}
	require.NoError(t, xml.Unmarshal(b, &rss))
	var out []article
	for _, a := range rss.Items {
		if strings.HasPrefix(a.Link, feedHost) {
			out = append(out, a)
		}
	}
	require.NotEmpty(t, out)
	return out
}

// readme holds what the test takes from the README's Embed it section.
type readme struct {
	script  string     // the script tag
	prompt  bool       // the snippet has <hearth-consent>
	cmds    [][]string // the shell commands, continuation lines joined
	builder []string   // the first hearth-catalog build command's arguments
	merge   []string   // the -merge command's arguments
}

func readREADME(t *testing.T, root string) readme {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(b), "\n## Embed it\n")
	require.True(t, ok, "README has no Embed it section")
	section, _, _ = strings.Cut(section, "\n## ")
	var r readme
	snippet := regexp.MustCompile("(?s)```html\n(.*?)```").FindStringSubmatch(section)
	require.NotNil(t, snippet, "the Embed it section has no HTML")
	r.script = regexp.MustCompile(`(?s)<script .*?</script>`).FindString(snippet[1])
	require.NotEmpty(t, r.script)
	r.prompt = strings.Contains(snippet[1], "<hearth-consent></hearth-consent>")
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(section, -1) {
		for line := range strings.Lines(strings.ReplaceAll(block[1], "\\\n", " ")) {
			line, _, _ = strings.Cut(line, "#")
			f := strings.Fields(line)
			if len(f) == 0 {
				continue
			}
			r.cmds = append(r.cmds, f)
			if len(f) > 3 && f[0] == "go" && f[2] == "./build/cmd/hearth-catalog" && f[3] != "inspect" {
				if slices.Contains(f, "-merge") {
					r.merge = f[3:]
				} else if r.builder == nil {
					r.builder = f[3:]
				}
			}
		}
	}
	require.NotNil(t, r.builder, "the section builds no catalogue")
	require.NotNil(t, r.merge, "the section shows no -merge build")
	return r
}

// catalogueCmd runs hearth-catalog with the README's arguments, the
// placeholders replaced, and extra appended; it returns stdout and stderr.
func catalogueCmd(t *testing.T, bin, dir, feed string, args []string, extra ...string) (string, string) {
	t.Helper()
	var a []string
	for _, x := range args {
		switch x {
		case readmeFeed:
			x = feed
		case readmeSite:
			x = site
		}
		a = append(a, x)
	}
	a = append(a, extra...)
	cmd := exec.Command(bin, a...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "hearth-catalog %s\n%s", strings.Join(a, " "), stderr.String())
	return stdout.String(), stderr.String()
}

// writeSite writes the publisher's pages into root: a home page with a
// slot in the site's own order (the newest five) and every article at its
// path, each with the README's script tag (read after 0.3 s, for the
// test's sake) and <hearth-consent>.
func writeSite(t *testing.T, root, script string, articles []article) {
	t.Helper()
	script = strings.Replace(script, "></script>", ` data-read-dwell="0.3"></script>`, 1)
	tags := regexp.MustCompile(`<[^>]*>`)
	text := func(s string) string { return html.EscapeString(html.UnescapeString(tags.ReplaceAllString(s, " "))) }
	list := func(as []article) string {
		var b strings.Builder
		b.WriteString("<ol>")
		for _, a := range as {
			fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, html.EscapeString(a.path()), html.EscapeString(a.Title))
		}
		b.WriteString("</ol>")
		return b.String()
	}
	page := func(file, title, canonical, body string) {
		var head string
		if canonical != "" {
			head = fmt.Sprintf(`<link rel="canonical" href="%s">`, html.EscapeString(canonical))
		}
		doc := fmt.Sprintf("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>%s\n%s\n</head>\n<body>\n<hearth-consent></hearth-consent>\n<header><a href=\"/\">The News</a></header>\n%s\n</body></html>\n",
			html.EscapeString(title), head, script, body)
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, []byte(doc), 0o644))
	}
	page(filepath.Join(root, "index.html"), "The News", "",
		`<h1>The News</h1><h2>Recommended for you</h2><hearth-recs count="5" slot-name="home">`+list(articles[:5])+`</hearth-recs><h2>All articles</h2>`+list(articles))
	for i, a := range articles {
		others := append(slices.Clone(articles[:i]), articles[i+1:]...)
		page(filepath.Join(root, filepath.FromSlash(a.path()), "index.html"), a.Title, a.path(),
			fmt.Sprintf(`<article><h1>%s</h1><p>%s</p></article><aside><h2>Related</h2><hearth-recs related slot-name="related">%s</hearth-recs></aside>`,
				html.EscapeString(a.Title), text(a.Description), list(others[:5])))
	}
}

// sha returns the hex SHA-256 of a file.
func sha(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestPublisher_EmbedIt(t *testing.T) {
	if chrome == nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(browser.ErrNoBrowser)
		}
		t.Skip(browser.ErrNoBrowser)
	}
	feed := filepath.Join(shareddata.Dir(t, "feeds/rss-parser"), "guardian.rss")
	root, err := shareddata.Root()
	require.NoError(t, err)
	rm := readREADME(t, root)
	require.True(t, rm.prompt, "the README's snippet has <hearth-consent>")
	articles := readFeed(t, feed)

	// The README's commands in a folder of the publisher's: make assets,
	// then hearth-catalog (built once, run as the README's go run would).
	work := t.TempDir()
	bin := filepath.Join(t.TempDir(), "hearth-catalog")
	build := exec.Command("go", "build", "-o", bin, "./build/cmd/hearth-catalog")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	policy, err := os.ReadFile(filepath.Join(root, "build", "policy.example.json"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(work, "build"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(work, "build", "policy.example.json"), policy, 0o644))
	for _, cmd := range rm.cmds {
		if cmd[0] == "make" && len(cmd) == 2 && cmd[1] == "assets" {
			_, err := assets.Build(filepath.Join(work, "dist"), assets.Options{Root: root, BrotliLevel: 5})
			require.NoError(t, err)
		}
	}
	dist := filepath.Join(work, "dist")
	catalogue := filepath.Join(dist, serve.Dir, serve.Catalogue)

	// As written, the catalogue lists the Guardian's URLs, and -site says
	// they are not the site's, with the rewrite's old half.
	_, stderr := catalogueCmd(t, bin, work, feed, rm.builder)
	warning := regexp.MustCompile(`are not on ` + regexp.QuoteMeta(site) + `: .* Add -url-prefix (\S+)=`).FindStringSubmatch(stderr)
	require.NotNil(t, warning, "-site warns about the feed's URLs:\n%s", stderr)
	require.Equal(t, feedHost, warning[1])
	writeSite(t, dist, rm.script, articles)

	t.Run("a wrong URL mapping is told on the console", func(t *testing.T) {
		base := statichost.Python(t, dist)
		p := newTab(t, base)
		a := articles[0]
		p.open(a.path())
		hearthpage.Accept(t, p.ctx)
		p.waitFor(`hearth.personalized`)
		lines := p.waitConsole(2)
		require.Equal(t, "warning", lines[0].Level)
		require.Contains(t, lines[0].Text, "hearth: this page ("+base+a.path()+") is not in the catalogue, so reading it is not tracked; item URLs look like "+feedHost)
		require.Contains(t, lines[0].Text, "rebuild the catalogue with -url-prefix "+feedHost)
		require.Equal(t, "warning", lines[1].Level)
		require.Regexp(t, `^hearth: \d+ of \d+ recommended links lead off this site \(`+regexp.QuoteMeta(feedHost), lines[1].Text)
	})

	// The publisher follows the warning: the pages are under /posts/.
	prefix := "-url-prefix=" + feedHost + "=" + pagePrefix
	_, stderr = catalogueCmd(t, bin, work, feed, rm.builder, prefix)
	require.NotContains(t, stderr, "are not on")
	first := sha(t, catalogue)
	about := onTopic(t, bin, work, catalogue)
	require.GreaterOrEqual(t, len(about), 3)

	servers := []struct {
		name  string
		start func(t testing.TB, root string) string
		br    bool // sends the precompressed siblings
	}{{"caddy", statichost.CaddySite, true}, {"python http.server", statichost.Python, false}}
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			base := srv.start(t, dist)
			p := newTab(t, base)
			p.open("/")
			p.waitFor(hearthpage.PromptShown)
			hearthpage.Accept(t, p.ctx)
			p.waitFor(listPersonal)

			// A reader of three articles about one topic.
			var read []string
			for _, path := range about[:3] {
				p.open(path)
				require.Equal(t, base+path+"/", p.eval(`location.href`), "the folder's index answers the page")
				p.eval(`(window.scrollTo(0, document.documentElement.scrollHeight), '')`)
				p.waitFor(`hearth.profile().then((v) => v && v.events.some((e) => e.kind === 'read' && e.url === ` + strconv.Quote(path) + `))`)
				read = append(read, path)
			}
			p.open("/")
			p.waitFor(listPersonal)
			p.requireFollows(read)
			for _, l := range p.console.Hearth() {
				require.NotEqual(t, "warning", l.Level, "a right mapping gives no warning: %s", l.Text)
			}

			// What the browser is sent for the catalogue.
			enc, digest := p.fetchDigest("/" + serve.Dir + "/" + serve.Catalogue)
			require.Equal(t, first, digest)
			if srv.br {
				require.Equal(t, "br", enc, "Caddy sends the brotli sibling")
				wasmEnc, _ := p.fetchDigest("/" + serve.Dir + "/" + serve.Wasm)
				require.Equal(t, "br", wasmEnc)
			} else {
				require.Empty(t, enc, "http.server sends the file itself")
			}
			require.Empty(t, p.exceptions())
		})
	}

	// The publisher's next build learns from its servers' access logs
	// (docs/catalogue.md, "Counting transitions from an access log"): a
	// reader follows links in Chromium, whose Referer headers the servers
	// log; the shipped pipeline counts the pairs, and -transitions learns
	// from every pair between two articles.
	logged := []struct {
		name  string
		start func(t testing.TB, root, file string) string
	}{{"caddy", statichost.CaddySiteLogged}, {"nginx", statichost.NginxLogged}}
	for _, srv := range logged {
		t.Run("transitions from "+srv.name+"'s access log", func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "access.log")
			base := srv.start(t, dist, log)
			p := newTab(t, base)
			// A page the browser shows from its cache (these are fresh
			// for a few seconds, by their Last-Modified) is not
			// requested, so not logged: each click reaches the server
			// here, so that the counts can be known.
			_, err := chromedp.Call(p.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
			require.NoError(t, err)
			// With consent, Hearth's own requests (the engine, the
			// catalogue, its Worker) are in the log too.
			p.open("/")
			hearthpage.Accept(t, p.ctx)
			p.waitFor(listPersonal)
			want := map[[2]string]int{}
			var articles []string
			for _, it := range learnable(t, bin, work, catalogue) {
				articles = append(articles, it.URL)
			}
			for range 2 {
				pages := p.walk(4, articles)
				for k := 1; k < len(pages); k++ {
					want[[2]string{pages[k-1], pages[k]}]++
				}
			}
			var rows []string
			for pair, n := range want {
				rows = append(rows, pair[0]+","+pair[1]+","+strconv.Itoa(n))
			}
			slices.Sort(rows)
			csv := filepath.Join(t.TempDir(), "transitions.csv")
			counted := func() string {
				in, err := os.Open(log)
				require.NoError(t, err)
				defer in.Close()
				cmd := exec.Command("sh", filepath.Join(root, "build", "collab", "transitions.sh"), strings.TrimPrefix(base, "http://"))
				cmd.Stdin = in
				out, err := cmd.Output()
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(csv, out, 0o644))
				return string(out)
			}
			// A server logs a request once it has answered it.
			deadline := time.Now().Add(5 * time.Second)
			for counted() != strings.Join(rows, "\n")+"\n" && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			b, err := os.ReadFile(log)
			require.NoError(t, err)
			require.Equal(t, strings.Join(rows, "\n")+"\n", counted(), "the counts are the links the reader followed; the log:\n%s", b)

			out := filepath.Join(t.TempDir(), "catalogue.msgpack")
			stdout, stderr := catalogueCmd(t, bin, work, feed, rm.builder, prefix, "-transitions", csv, "-out", out)
			require.Contains(t, stdout, fmt.Sprintf("(%d of %d transition rows used)", len(want)-countFrom(want, "/"), len(want)),
				"every pair of articles names two catalogue items, through the folder's trailing slash")
			require.Contains(t, stderr, "(most frequent: /)", "the home page is no item")

			// The reader gives the publisher their exported profile: a
			// panel of one, beside the counts, too few to teach a vector.
			read := map[string]bool{}
			for pair := range want {
				read[pair[1]] = true
			}
			exported := filepath.Join(t.TempDir(), "reader.json")
			require.NoError(t, os.WriteFile(exported, []byte(p.eval(`hearth.export()`)), 0o644))
			panel := filepath.Join(t.TempDir(), "panel.csv")
			_, stderr = catalogueCmd(t, bin, work, feed, []string{"panel", "-out", panel, exported})
			require.Contains(t, stderr, fmt.Sprintf("panel: 1 member, %d rows, from 1 file", len(read)), "every article the reader opened")
			stdout, _ = catalogueCmd(t, bin, work, feed, rm.builder, prefix, "-transitions", csv, "-panel", panel, "-out", out)
			require.Contains(t, stdout, fmt.Sprintf("%d of %d panel rows used, from 1 member)", len(read), len(read)))
			require.Contains(t, stdout, fmt.Sprintf("panel: %d items have fewer than 5 members", len(read)),
				"one reader's items learn nothing from the panel: the catalogue is public")

			// The site serves the learned catalogue: in Chromium the engine
			// folds a new reader in against its YᵀY (vectors learned from
			// the counts, carrying the items' text) and ranks by it.
			learned := t.TempDir()
			require.NoError(t, os.CopyFS(learned, os.DirFS(dist)))
			for _, ext := range []string{"", ".br", ".gz"} {
				b, err := os.ReadFile(out + ext)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(filepath.Join(learned, serve.Dir, serve.Catalogue+ext), b, 0o644))
			}
			q := newTab(t, statichost.CaddySite(t, learned))
			q.open("/")
			hearthpage.Accept(t, q.ctx)
			q.waitFor(listPersonal)
			_, digest := q.fetchDigest("/" + serve.Dir + "/" + serve.Catalogue)
			require.Equal(t, sha(t, out), digest, "the browser is sent the learned catalogue")
			pages := q.walk(3, articles)
			q.open("/")
			q.waitFor(listPersonal)
			q.requireFollows(pages[1:])
			require.Empty(t, q.exceptions())
		})
	}

	t.Run("a rebuilt catalogue is sent rebuilt in every encoding", func(t *testing.T) {
		base := statichost.CaddySite(t, dist)
		p := newTab(t, base)
		p.open("/")
		before, digest := p.fetchDigest("/" + serve.Dir + "/" + serve.Catalogue)
		require.Equal(t, "br", before)
		require.Equal(t, first, digest)

		// The README's next build, from the last catalogue.
		catalogueCmd(t, bin, work, feed, rm.merge, prefix)
		rebuilt := sha(t, catalogue)
		require.NotEqual(t, first, rebuilt, "a -merge build keeps text, so the file changes")
		for _, ae := range []string{"br", "gzip", "identity"} {
			enc, got := fetchDigest(t, base+"/"+serve.Dir+"/"+serve.Catalogue, ae)
			require.Equal(t, rebuilt, got, "Accept-Encoding %s: the %q answer is the rebuilt catalogue", ae, enc)
		}
		enc, got := p.fetchDigest("/" + serve.Dir + "/" + serve.Catalogue)
		require.Equal(t, "br", enc)
		require.Equal(t, rebuilt, got, "the browser's brotli copy decodes to the rebuilt catalogue")

		hearthpage.Accept(t, p.ctx)
		p.waitFor(listPersonal)
		require.Empty(t, p.exceptions())
	})
}

// onTopic returns the URLs of the catalogue's items about its most common
// topic, among those the engine learns from (learnable).
func onTopic(t *testing.T, bin, dir, catalogue string) []string {
	t.Helper()
	by := map[string][]string{}
	best := ""
	for _, it := range learnable(t, bin, dir, catalogue) {
		for _, x := range it.Topics {
			by[x] = append(by[x], it.URL)
			if len(by[x]) > len(by[best]) {
				best = x
			}
		}
	}
	return by[best]
}

// item is a catalogue item as hearth-catalog inspect -json lists it.
type item struct {
	URL    string   `json:"url"`
	Topics []string `json:"topics"`
}

// learnable returns the catalogue's items that the policy lets the engine
// learn from and record (none of their topics sensitive), as
// hearth-catalog inspect lists them.
func learnable(t *testing.T, bin, dir, catalogue string) []item {
	t.Helper()
	cmd := exec.Command(bin, "inspect", "-json", catalogue)
	cmd.Dir = dir
	out, err := cmd.Output()
	require.NoError(t, err)
	var c struct {
		Items  []item `json:"items"`
		Policy struct {
			Sensitive []string `json:"sensitive"`
		} `json:"policy"`
	}
	require.NoError(t, json.Unmarshal(out, &c))
	require.NotEmpty(t, c.Policy.Sensitive, "the example policy names sensitive topics")
	return slices.DeleteFunc(c.Items, func(it item) bool {
		return slices.ContainsFunc(it.Topics, func(x string) bool { return slices.Contains(c.Policy.Sensitive, x) })
	})
}

// fetchDigest gets url with Go's client and one Accept-Encoding, decoding
// nothing (brotli and gzip are decoded here), and returns the encoding and
// the SHA-256 of the decoded body.
func fetchDigest(t *testing.T, url, ae string) (string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", ae)
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	sum := sha256.Sum256(httpbody.Decode(t, resp.Header, body))
	return resp.Header.Get("Content-Encoding"), hex.EncodeToString(sum[:])
}

// countFrom is how many of the pairs leave from.
func countFrom(pairs map[[2]string]int, from string) int {
	n := 0
	for pair := range pairs {
		if pair[0] == from {
			n++
		}
	}
	return n
}

// The browser side.

type tab struct {
	t       *testing.T
	ctx     context.Context
	base    string
	console *hearthpage.Console
	mu      sync.Mutex
	excs    []string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	ctx := chrome.Tab(t)
	p := &tab{t: t, ctx: ctx, base: base, console: hearthpage.Record(t, ctx)}
	require.NoError(t, chromedp.Listen(p.ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			p.mu.Lock()
			p.excs = append(p.excs, e.ExceptionDetails.Text)
			p.mu.Unlock()
		}
	}))
	return p
}

func (p *tab) exceptions() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.excs)
}

// open navigates to path and waits until Hearth is ready.
func (p *tab) open(path string) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Navigate(p.base+path)))
	p.eval(`hearth.ready.then(() => '')`)
}

// walk opens the home page, as a reader who types the address, then
// clicks clicks links to articles, each time the first on the page (a
// recommendation, or the list before it) to one of articles (their paths)
// not yet visited on this walk, and stays on each until Hearth has noted it
// (so consent must be given, and the articles must be ones Hearth records,
// none about a sensitive topic). It returns the path of each page visited, as the browser's
// address bar shows it once the page has loaded.
func (p *tab) walk(clicks int, articles []string) []string {
	p.t.Helper()
	p.open("/")
	pages := []string{p.eval(`location.pathname`)}
	allowed, err := json.Marshal(articles)
	require.NoError(p.t, err)
	for range clicks {
		var visited []string
		for _, page := range pages {
			visited = append(visited, strings.TrimSuffix(page, "/"))
		}
		seen, err := json.Marshal(visited)
		require.NoError(p.t, err)
		target := p.eval(`(() => {
  const seen = new Set(` + string(seen) + `), allowed = new Set(` + string(allowed) + `);
  const a = [...document.querySelectorAll('a[href]')].find((a) => a.origin === location.origin &&
    allowed.has(a.pathname) && !seen.has(a.pathname.replace(/\/$/, '')));
  if (!a) return '';
  a.click();
  return a.pathname.replace(/\/$/, '');
})()`)
		require.NotEmpty(p.t, target, "a link to an article not yet read, on %s", pages[len(pages)-1])
		p.waitFor(`document.readyState === 'complete' && location.pathname.replace(/\/$/, '') === ` + strconv.Quote(target))
		// The reader stays until Hearth has noted the page.
		p.waitFor(`hearth.profile().then((v) => v && v.events.some((e) => e.url === ` + strconv.Quote(target) + `))`)
		pages = append(pages, p.eval(`location.pathname`))
	}
	return pages
}

// requireFollows checks the page's personal list after the reader read
// the pages at read: links to the site's own pages, none of them read, and
// at least one placed by what the reader read or follows.
func (p *tab) requireFollows(read []string) {
	p.t.Helper()
	var recs []struct {
		URL     string `json:"url"`
		Reasons []struct {
			Code string `json:"code"`
		} `json:"reasons"`
	}
	p.evalJSON(`document.querySelector('hearth-recs').recommendations`, &recs)
	require.NotEmpty(p.t, recs)
	because := 0
	for _, r := range recs {
		require.True(p.t, strings.HasPrefix(r.URL, pagePrefix), "a recommendation links to the site's own page: %s", r.URL)
		require.NotContains(p.t, read, r.URL, "what the reader read is not recommended again")
		for _, why := range r.Reasons {
			if why.Code == "read" || why.Code == "topic" {
				because++
			}
		}
	}
	require.NotZero(p.t, because, "the recommendations follow what the reader read: %+v", recs)
}

func (p *tab) eval(expr string) string {
	p.t.Helper()
	return browser.Eval[string](p.t, p.ctx, expr)
}

func (p *tab) evalJSON(expr string, v any) {
	p.t.Helper()
	b := browser.Eval[string](p.t, p.ctx, `Promise.resolve(`+expr+`).then((v) => JSON.stringify(v))`)
	require.NoError(p.t, json.Unmarshal([]byte(b), v))
}

// waitFor polls expr until it is true, for at most 30 s.
func (p *tab) waitFor(expr string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`Promise.resolve(`+expr+`).then(Boolean)`, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			dbg, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`hearth.profile().then((v) => JSON.stringify({href: location.href, canon: document.querySelector('link[rel=canonical]') && document.querySelector('link[rel=canonical]').href, v}))`, chromedp.EvalAwaitPromise))
			p.t.Logf("the page: %s", dbg)
			p.t.Fatalf("timed out waiting for %s (last error %v; console %v)", expr, err, p.console.Hearth())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitConsole waits for n hearth: console lines and returns them.
func (p *tab) waitConsole(n int) []hearthpage.ConsoleLine {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(p.console.Hearth()) < n && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	lines := p.console.Hearth()
	require.Len(p.t, lines, n, "%v", lines)
	return lines
}

// fetchDigest fetches path in the page as a script would (no cache) and
// returns the Content-Encoding the browser was sent and the SHA-256 of the
// body it decoded.
func (p *tab) fetchDigest(path string) (string, string) {
	p.t.Helper()
	var r struct{ Enc, Sha string }
	p.evalJSON(`fetch(`+strconv.Quote(path)+`, {cache: 'no-store'}).then(async (r) => ({
  enc: r.headers.get('content-encoding') || '',
  sha: [...new Uint8Array(await crypto.subtle.digest('SHA-256', await r.arrayBuffer()))].map((b) => b.toString(16).padStart(2, '0')).join(''),
}))`, &r)
	return r.Enc, r.Sha
}
