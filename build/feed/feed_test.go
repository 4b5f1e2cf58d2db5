package feed

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const rssFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example</title><link>https://example.com/</link><language>en-us</language>
<item>
  <title>First &amp; best</title>
  <link>https://example.com/posts/first</link>
  <guid isPermaLink="false">post-1</guid>
  <description>&lt;p&gt;A &lt;b&gt;short&lt;/b&gt; summary.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>The full <em>text</em> of the post.</p>]]></content:encoded>
  <category>Go</category><category> Testing </category>
  <pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate>
</item>
<item>
  <title>Relative link</title>
  <link>posts/second</link>
  <pubDate>Tue, 03 Jan 2006 15:04:05 GMT</pubDate>
</item>
</channel></rss>`

const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title><id>urn:x</id><updated>2016-02-01T17:54:50+01:00</updated>
<entry><title>Atom entry</title><id>urn:entry:1</id><link href="https://example.com/a"/>
<updated>2016-02-01T17:54:50+01:00</updated><summary>Summary of the entry</summary>
<category term="tools"/></entry></feed>`

const jsonFeed = `{"version": "https://jsonfeed.org/version/1.1", "title": "Blog", "language": "en",
 "items": [{"id": "https://example.com/blog/a", "url": "https://example.com/blog/a", "title": "A post",
  "summary": "About generics.", "content_text": "Body text.", "date_published": "2024-05-01T10:00:00Z", "tags": ["Generics"]}]}`

const jsonLines = `{"id": "a1", "url": "https://example.com/a", "title": "Alpha", "summary": "First", "section": "News", "tags": ["x", "y"], "published": "2024-01-02", "views": 120, "vector": [0.5, -1, 2]}
{"ID": 7, "Link": "https://example.com/b", "Title": "Beta", "date": 1700000000, "topics": "p|q", "popularity": "3.5"}
`

const csvFile = "id,url,title,summary,section,topics,published,views,vector\n" +
	"c1,https://example.com/c,Gamma,\"Third, with a comma\",Sport,a|b,2023-03-04T05:06:07Z,10,0.1 0.2 0.3\n" +
	"c2,/local/d,Delta,,Sport,,,,\n"

func TestParse_Formats(t *testing.T) {
	t.Run("rss", func(t *testing.T) {
		items, err := Parse(strings.NewReader(rssFeed), "example.rss")
		require.NoError(t, err)
		require.Len(t, items, 2)
		it := items[0]
		require.Equal(t, "post-1", it.ID)
		require.Equal(t, "https://example.com/posts/first", it.URL)
		require.Equal(t, "First & best", it.Title)
		require.Equal(t, "A short summary.", it.Summary)
		require.Equal(t, "The full text of the post.", it.Text)
		require.Equal(t, []string{"Go", "Testing"}, it.Topics)
		require.Equal(t, time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC), it.Published)
		require.Equal(t, "en-us", it.Language)
		require.Equal(t, "example.rss item 1", it.Source)
		require.Equal(t, "https://example.com/posts/second", items[1].URL, "relative links resolve against the feed's link")
	})
	t.Run("atom", func(t *testing.T) {
		items, err := Parse(strings.NewReader(atomFeed), "x.atom")
		require.NoError(t, err)
		require.Len(t, items, 1)
		require.Equal(t, "urn:entry:1", items[0].ID)
		require.Equal(t, "https://example.com/a", items[0].URL)
		require.Equal(t, "Summary of the entry", items[0].Summary)
		require.Equal(t, []string{"tools"}, items[0].Topics)
		require.Equal(t, time.Date(2016, 2, 1, 16, 54, 50, 0, time.UTC), items[0].Published)
	})
	t.Run("json feed", func(t *testing.T) {
		items, err := Parse(strings.NewReader(jsonFeed), "feed.json")
		require.NoError(t, err)
		require.Len(t, items, 1)
		require.Equal(t, "About generics.", items[0].Summary)
		require.Equal(t, "Body text.", items[0].Text)
		require.Equal(t, []string{"Generics"}, items[0].Topics)
		require.Equal(t, "en", items[0].Language)
	})
	t.Run("json lines", func(t *testing.T) {
		items, err := Parse(strings.NewReader(jsonLines), "items.jsonl")
		require.NoError(t, err)
		require.Len(t, items, 2)
		require.Equal(t, Item{
			ID: "a1", URL: "https://example.com/a", Title: "Alpha", Summary: "First", Section: "News",
			Topics: []string{"x", "y"}, Published: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
			Popularity: 120, Vector: []float32{0.5, -1, 2}, Source: "items.jsonl item 1",
		}, items[0])
		require.Equal(t, "7", items[1].ID, "numeric ids keep their digits; keys are case-insensitive")
		require.Equal(t, []string{"p", "q"}, items[1].Topics)
		require.Equal(t, time.Unix(1700000000, 0).UTC(), items[1].Published)
		require.Equal(t, 3.5, items[1].Popularity)
	})
	t.Run("json array", func(t *testing.T) {
		items, err := Parse(strings.NewReader(`[{"url": "https://example.com/z", "title": "Zed"}]`), "export.json")
		require.NoError(t, err)
		require.Equal(t, "https://example.com/z", items[0].URL)
	})
	t.Run("csv", func(t *testing.T) {
		items, err := Parse(strings.NewReader(csvFile), "items.csv")
		require.NoError(t, err)
		require.Len(t, items, 2)
		require.Equal(t, "Third, with a comma", items[0].Summary)
		require.Equal(t, []string{"a", "b"}, items[0].Topics)
		require.Equal(t, []float32{0.1, 0.2, 0.3}, items[0].Vector)
		require.Equal(t, 10.0, items[0].Popularity)
		require.Equal(t, "/local/d", items[1].URL, "site paths are links too")
		require.Equal(t, "items.csv item 3", items[1].Source, "CSV items are named by their line")
	})
}

func TestParse_Refused(t *testing.T) {
	tests := []struct {
		name, input, file string
		want              error
		field             string
		index             int
	}{
		{"no id or link", `{"title": "x"}`, "a.jsonl", ErrNoID, "", 1},
		{"link not a URL", "{\"url\": \"https://example.com/ok\", \"title\": \"ok\"}\n{\"url\": \"javascript:alert(1)\", \"title\": \"x\"}", "a.jsonl", ErrBadURL, "url", 2},
		{"no title or text", `{"url": "https://example.com/a"}`, "a.jsonl", ErrNoTitle, "title", 1},
		{"bad date", `{"url": "https://example.com/a", "title": "t", "published": "yesterday"}`, "a.jsonl", ErrBadDate, "published", 1},
		{"negative views", "url,title,views\nhttps://example.com/a,t,-3\n", "a.csv", ErrBadNumber, "views", 2},
		{"vector not numbers", `{"url": "https://example.com/a", "title": "t", "vector": ["a"]}`, "a.jsonl", ErrBadVector, "vector", 1},
		{"wrong type", `{"url": "https://example.com/a", "title": {"x": 1}}`, "a.jsonl", ErrBadField, "title", 1},
		{"not an object", "[1, 2]\n", "a.jsonl", ErrFormat, "", 1},
		{"rss date", strings.Replace(rssFeed, "Tue, 03 Jan 2006 15:04:05 GMT", "someday", 1), "x.rss", ErrBadDate, "published", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.input), tt.file)
			require.ErrorIs(t, err, tt.want)
			var ie *ItemError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, tt.file, ie.Input)
			require.Equal(t, tt.index, ie.Index)
			require.Equal(t, tt.field, ie.Field)
			require.Contains(t, err.Error(), tt.file+": item ")
		})
	}
}

func TestParse_WholeInputErrors(t *testing.T) {
	_, err := Parse(strings.NewReader("<html><body>not a feed</body></html>"), "page.xml")
	require.ErrorIs(t, err, ErrFormat)
	_, err = Parse(strings.NewReader(`{"version": "https://jsonfeed.org/version/1.1", "items": []}`), "f.json")
	require.ErrorIs(t, err, ErrEmpty)
	_, err = Parse(strings.NewReader("title,summary\na,b\n"), "x.csv")
	require.ErrorIs(t, err, ErrFormat)
}

func TestParseLenient(t *testing.T) {
	in := "{\"url\": \"https://example.com/a\", \"title\": \"A\"}\n{\"title\": \"no link\"}\n{\"url\": \"https://example.com/c\", \"title\": \"C\"}\n"
	var warned []error
	items, err := ParseLenient(strings.NewReader(in), "x.jsonl", func(err error) { warned = append(warned, err) })
	require.NoError(t, err)
	require.Len(t, items, 2)
	require.Len(t, warned, 1)
	require.ErrorIs(t, warned[0], ErrNoID)
}

func TestParse_Encodings(t *testing.T) {
	// Windows-1252 bytes without a declaration: "Notícias – Última".
	undeclared := "<rss version=\"2.0\"><channel><title>x</title><link>http://x.example/</link><item><title>Not\xedcias \x96 \xdaltima</title>" +
		"<link>http://x.example/1</link><pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate></item></channel></rss>"
	items, err := Parse(strings.NewReader(undeclared), "latin.rss")
	require.NoError(t, err)
	require.Equal(t, "Notícias – Última", items[0].Title)
	require.Equal(t, time.Date(2018, 9, 24, 22, 42, 40, 0, time.UTC), items[0].Published, "Portuguese day and month names")

	declared := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>x</title><item><title>Jornal de Not\xedcias</title><link>http://x.example/1</link></item></channel></rss>"
	items, err = Parse(strings.NewReader(declared), "iso.rss")
	require.NoError(t, err)
	require.Equal(t, "Jornal de Notícias", items[0].Title)

	items, err = Parse(strings.NewReader("{\"url\": \"https://example.com/a\", \"title\": \"Caf\xe9\"}\n"), "x.jsonl")
	require.NoError(t, err)
	require.Equal(t, "Café", items[0].Title)
}

func TestParse_DetectsLanguage(t *testing.T) {
	in := `{"url": "https://example.com/a", "title": "Die neue Version", "summary": "Die nun verfügbare Version des Servers stellt die Basis für die kommerzielle Plattform dar, die zugleich mit einer Reihe von Neuerungen aufwartet und auf der Konferenz vorgestellt wurde."}`
	items, err := Parse(strings.NewReader(in), "de.jsonl")
	require.NoError(t, err)
	require.Equal(t, "de", items[0].Language)
}

func TestParse_EscapesURLs(t *testing.T) {
	items, err := Parse(strings.NewReader(`{"url": "https://example.com/a b's", "title": "t"}`), "x.jsonl")
	require.NoError(t, err)
	require.Equal(t, "https://example.com/a%20b%27s", items[0].URL)
}

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			_, _ = w.Write([]byte(rssFeed))
		case "/export":
			w.Header().Set("Content-Type", "text/csv")
			_, _ = w.Write([]byte(csvFile))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	items, err := Read(ctx, srv.URL+"/feed")
	require.NoError(t, err)
	require.Len(t, items, 2)
	items, err = Fetch(ctx, srv.Client(), srv.URL+"/export")
	require.NoError(t, err, "text/csv is read as CSV whatever the URL")
	require.Equal(t, "Gamma", items[0].Title)
	_, err = Read(ctx, srv.URL+"/missing")
	require.ErrorIs(t, err, ErrHTTPStatus)
}

func TestReadFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "items.jsonl")
	require.NoError(t, os.WriteFile(p, []byte(jsonLines), 0o644))
	items, err := ReadFile(p)
	require.NoError(t, err)
	require.Len(t, items, 2)
	_, err = ReadFile(filepath.Join(t.TempDir(), "missing.rss"))
	require.True(t, errors.Is(err, os.ErrNotExist))
}
