// Package demo is Hearth's demo publisher site: the 274 posts of The Go Blog
// (The Go Authors, https://go.dev/blog/, CC BY 4.0) with a "Recommended for
// you" slot on the home page and a related-posts slot on every article.
//
// # What it shows
//
// Every page embeds the Hearth loader with one script tag and is served
// with the strict Content-Security-Policy a publisher can keep with Hearth
// ([CSP]). The recommendation slots are rendered on the server in the
// publisher's non-personal order ([Options.Fallback]); readers without
// personalization keep that list, and the loader replaces it in the browser
// for readers who switched personalization on. No page loads anything from
// another host.
//
// # Example
//
//	site, err := demo.New(demo.Options{})
//	if err != nil {
//		return fmt.Errorf("demo site: %w", err)
//	}
//	http.Handle("/", site)
package demo

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/hearth-dev/hearth/web/serve"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed content
var content embed.FS

//go:embed static
var static embed.FS

//go:embed templates/*.html
var templates embed.FS

// CSP is the Content-Security-Policy of every page: Hearth needs nothing
// beyond its own origin and 'wasm-unsafe-eval'. The last three directives
// are not covered by default-src: frame-ancestors 'none' keeps other sites
// from framing a page (the profile page's consent switch and "Delete
// everything" under an invisible frame), base-uri 'none' keeps an injected
// <base> from pointing the page's relative links (the recommendations among
// them) at another host, and form-action 'none' holds as no page has a form.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"connect-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Attribution credits the posts on every page.
const Attribution = "The Go Blog, The Go Authors, https://go.dev/blog/, CC BY 4.0"

// ErrContent reports embedded content that does not parse.
var ErrContent = errors.New("demo: bad content")

// Feed returns the JSON Feed 1.1 of all posts (goblog.json), the source of
// the demo catalogue.
func Feed() []byte {
	b, err := content.ReadFile("content/goblog.json")
	if err != nil {
		panic("demo: goblog.json is not embedded: " + err.Error())
	}
	return b
}

// PostText returns the Markdown body of the post with the given slug,
// without its front matter: the text the catalogue's features come from.
func PostText(slug string) (string, error) {
	src, err := content.ReadFile("content/posts/" + slug + ".md")
	if err != nil {
		return "", fmt.Errorf("%w: post %s: %v", ErrContent, slug, err)
	}
	body, _ := splitFrontMatter(string(src))
	return body, nil
}

// PostPath returns the demo's local path of the post with the given slug,
// the URL its catalogue item carries.
func PostPath(slug string) string { return "/blog/" + slug }

// Link is one entry of a recommendation list.
type Link struct {
	ID    string // catalogue item id
	URL   string
	Title string
}

// Options configure the site. The zero value is valid.
type Options struct {
	// Script is the loader's URL; "" means /hearth/hearth.js.
	Script string
	// Catalogue is the catalogue's URL; "" means /hearth/catalogue.msgpack.
	Catalogue string
	// Consent is the script tag's data-consent: "opt-in", "opt-out" or
	// "tcf" (the page's consent management platform decides); "" leaves it
	// to the loader (opt-in).
	Consent string
	// ReadDwell and ReadScroll override the loader's read thresholds when
	// non-zero (tests use short ones).
	ReadDwell  time.Duration
	ReadScroll float64
	// Quiet adds data-quiet: the loader writes nothing to the console.
	Quiet bool
	// Fallback returns the non-personal order for a slot: count items
	// around the page at path current, or for the home page when current is
	// "". Nil means the latest posts, without catalogue ids.
	Fallback func(current string, count int) []Link
}

// Post is one blog post.
type Post struct {
	Slug    string
	Title   string
	Summary string
	Date    time.Time
	Authors []string
	Tags    []string
	Body    template.HTML
}

// Path is the post's local URL path.
func (p *Post) Path() string { return PostPath(p.Slug) }

// Site is the demo site, an http.Handler.
type Site struct {
	opts   Options
	posts  []*Post // newest first
	bySlug map[string]*Post
	tmpl   *template.Template
	static http.Handler
}

// feedItem is the part of a JSON Feed item the site uses.
type feedItem struct {
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Published time.Time `json:"date_published"`
	Authors   []struct {
		Name string `json:"name"`
	} `json:"authors"`
	Tags    []string `json:"tags"`
	Summary string   `json:"summary"`
}

// New parses and renders every post.
func New(opts Options) (*Site, error) {
	var feed struct {
		Items []feedItem `json:"items"`
	}
	if err := json.Unmarshal(Feed(), &feed); err != nil {
		return nil, fmt.Errorf("%w: goblog.json: %v", ErrContent, err)
	}
	s := &Site{opts: opts, bySlug: make(map[string]*Post, len(feed.Items))}
	for _, it := range feed.Items {
		slug := it.URL[strings.LastIndexByte(it.URL, '/')+1:]
		p := &Post{Slug: slug, Title: it.Title, Summary: it.Summary, Date: it.Published, Tags: it.Tags}
		for _, a := range it.Authors {
			p.Authors = append(p.Authors, a.Name)
		}
		s.posts = append(s.posts, p)
		s.bySlug[slug] = p
	}
	slugs := make(map[string]bool, len(s.posts))
	for slug := range s.bySlug {
		slugs[slug] = true
	}
	md := newMarkdown(slugs)
	for _, p := range s.posts {
		src, err := content.ReadFile("content/posts/" + p.Slug + ".md")
		if err != nil {
			return nil, fmt.Errorf("%w: post %s: %v", ErrContent, p.Slug, err)
		}
		body, tmpl := splitFrontMatter(string(src))
		if tmpl {
			body = expandActions(body, p.Slug)
		}
		html, err := md.render(body)
		if err != nil {
			return nil, fmt.Errorf("%w: render %s: %v", ErrContent, p.Slug, err)
		}
		p.Body = template.HTML(html) // goldmark output with raw HTML omitted
	}
	slices.SortStableFunc(s.posts, func(a, b *Post) int { return b.Date.Compare(a.Date) })
	tmpl, err := template.New("").Funcs(template.FuncMap{
		"date": func(t time.Time) string { return t.Format("2 January 2006") },
		"join": strings.Join,
	}).ParseFS(templates, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	s.tmpl = tmpl
	sub, err := fs.Sub(static, "static")
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	s.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	return s, nil
}

// Posts returns every post, newest first.
func (s *Site) Posts() []*Post { return s.posts }

// page is what the layout template renders.
type page struct {
	Title       string
	Canonical   string
	Script      scriptTag
	Attribution string
	Nav         string
	// One of the following, by page kind.
	Home     *homePage
	Post     *Post
	Archive  map[int][]*Post
	Years    []int
	Profile  bool
	NotFound bool
	Related  []Link
}

type homePage struct {
	Recs   []Link
	Latest []*Post
	Total  int
}

type scriptTag struct {
	Src, Catalogue, Consent, ReadDwell, ReadScroll string
	Quiet                                          bool
}

func (s *Site) script() scriptTag {
	t := scriptTag{Src: s.opts.Script, Catalogue: s.opts.Catalogue, Consent: s.opts.Consent, Quiet: s.opts.Quiet}
	if t.Src == "" {
		t.Src = AssetsPath + serve.Loader
	}
	if t.Catalogue == "" {
		t.Catalogue = AssetsPath + serve.Catalogue
	}
	if s.opts.ReadDwell > 0 {
		t.ReadDwell = strconv.FormatFloat(s.opts.ReadDwell.Seconds(), 'f', -1, 64)
	}
	if s.opts.ReadScroll > 0 {
		t.ReadScroll = strconv.FormatFloat(s.opts.ReadScroll, 'f', -1, 64)
	}
	return t
}

func (s *Site) fallback(current string, count int) []Link {
	if s.opts.Fallback != nil {
		return s.opts.Fallback(current, count)
	}
	var out []Link
	for _, p := range s.posts {
		if len(out) == count {
			break
		}
		if p.Path() != current {
			out = append(out, Link{URL: p.Path(), Title: p.Title})
		}
	}
	return out
}

// ServeHTTP serves the home page, the archive, the posts, the profile page
// and the site's static files.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Frame-Options", "DENY") // frame-ancestors for browsers without CSP level 2
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := page{Script: s.script(), Attribution: Attribution}
	switch path := r.URL.Path; {
	case strings.HasPrefix(path, "/static/"):
		s.static.ServeHTTP(w, r)
		return
	case path == "/":
		latest := s.posts[:min(20, len(s.posts))]
		p.Title, p.Nav = "The Go Blog, personalized on your device", "home"
		p.Home = &homePage{Recs: s.fallback("", 5), Latest: latest, Total: len(s.posts)}
	case path == "/blog/" || path == "/blog":
		p.Title, p.Nav = "All posts", "archive"
		p.Archive = make(map[int][]*Post)
		for _, post := range s.posts {
			y := post.Date.Year()
			if len(p.Archive[y]) == 0 {
				p.Years = append(p.Years, y)
			}
			p.Archive[y] = append(p.Archive[y], post)
		}
	case path == "/profile":
		p.Title, p.Nav, p.Profile = "Your profile", "profile", true
	case strings.HasPrefix(path, "/blog/"):
		post := s.bySlug[strings.TrimPrefix(path, "/blog/")]
		if post == nil {
			s.notFound(w)
			return
		}
		p.Title, p.Post, p.Canonical = post.Title, post, post.Path()
		p.Related = s.fallback(post.Path(), 5)
	default:
		s.notFound(w)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	if err := s.tmpl.ExecuteTemplate(w, "layout.html", p); err != nil {
		// Headers are gone already; the truncated page is the signal.
		return
	}
}

func (s *Site) notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_ = s.tmpl.ExecuteTemplate(w, "layout.html", page{Title: "Not found", NotFound: true, Script: s.script(), Attribution: Attribution})
}
