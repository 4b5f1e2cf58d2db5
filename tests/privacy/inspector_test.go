package privacy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	hearthbrowser "github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

const profileOn = `document.querySelector('hearth-profile').dataset.hearthState === 'on'`

// act runs a control of <hearth-profile> from the keyboard and waits for
// the element to announce the outcome.
func (p *tab) act(sel, key string) {
	p.t.Helper()
	eval[bool](p.t, p, `(() => {
  const el = document.querySelector('hearth-profile');
  el.querySelector('.hearth-status').textContent = '';
  el.querySelector('.hearth-alert').textContent = '';
  return true;
})()`)
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(key)))
	p.waitFor(`document.querySelector('hearth-profile .hearth-status').textContent !== '' || document.querySelector('hearth-profile .hearth-alert').textContent !== ''`, 10*time.Second)
	require.Empty(p.t, eval[string](p.t, p, `document.querySelector('hearth-profile .hearth-alert').textContent`))
}

// upload chooses a file in the profile's import control and waits for the
// element's answer: the status text, or the alert when it was refused.
func (p *tab) upload(path string) (status, alert string) {
	p.t.Helper()
	eval[bool](p.t, p, `(() => {
  const el = document.querySelector('hearth-profile');
  el.querySelector('.hearth-status').textContent = '';
  el.querySelector('.hearth-alert').textContent = '';
  return true;
})()`)
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.CSS(`hearth-profile input[type="file"]`), []string{path})))
	p.waitFor(`document.querySelector('hearth-profile .hearth-status').textContent !== '' || document.querySelector('hearth-profile .hearth-alert').textContent !== ''`, 10*time.Second)
	return eval[string](p.t, p, `document.querySelector('hearth-profile .hearth-status').textContent`),
		eval[string](p.t, p, `document.querySelector('hearth-profile .hearth-alert').textContent`)
}

// TestInspector plays a reader who reads a few posts and then uses every
// control of <hearth-profile> on the demo's profile page.
func TestInspector(t *testing.T) {
	srv := startSite(t, built, readerOptions)
	s := site(srv.URL)
	p := newTab(t, srv.URL)
	p.open("/")
	p.accept()
	p.waitFor(`document.querySelector('hearth-recs[slot-name="home"]').dataset.hearthState === 'personal'`, 30*time.Second)
	conc, app := about(t, "concurrency"), about(t, "appengine")
	for _, slug := range []string{conc[0], conc[1], app[0]} {
		p.readPost(slug)
	}
	require.True(t, eval[bool](t, p, `hearth.track({kind: 'like', item: location.href})`))
	p.open("/profile")
	p.waitFor(profileOn, 10*time.Second)

	t.Run("everything stored, in plain words", func(t *testing.T) {
		v := p.profile()
		require.GreaterOrEqual(t, len(v.Interests), 2)
		type row struct {
			Topic, Strength, Label string
			Rects                  int
		}
		rows := evalJSON[[]row](t, p, `[...document.querySelectorAll('hearth-profile .hearth-interest')].map((li) => ({
  topic: li.querySelector('.hearth-topic').textContent,
  strength: li.querySelector('.hearth-strength').textContent,
  label: li.querySelector('svg.hearth-bar[role="img"]').getAttribute('aria-label'),
  rects: li.querySelectorAll('svg.hearth-bar rect').length,
}))`)
		require.Len(t, rows, len(v.Interests))
		for i, r := range rows {
			require.Equal(t, v.Interests[i].Topic, r.Topic)
			require.Contains(t, []string{"strong interest", "moderate interest", "slight interest", "you avoid this"}, r.Strength)
			require.Equal(t, r.Topic+": "+r.Strength, r.Label)
			require.Equal(t, 2, r.Rects, "an SVG bar: track and fill")
		}
		require.Equal(t, "strong interest", rows[0].Strength)

		type entry struct {
			Kind, When, Text string
		}
		history := evalJSON[[]entry](t, p, `[...document.querySelectorAll('hearth-profile [data-part="history"] li')].map((li) => ({
  kind: li.dataset.kind, when: li.querySelector('time').dateTime, text: li.textContent,
}))`)
		require.Len(t, history, len(v.Events))
		for i, e := range history {
			ev := v.Events[len(v.Events)-1-i] // newest first
			require.Equal(t, ev.Kind, e.Kind)
			when, err := time.Parse(time.RFC3339, e.When)
			require.NoError(t, err)
			require.Equal(t, ev.Time, when.Unix())
			require.Contains(t, e.Text, ev.Title)
		}
		require.True(t, strings.HasPrefix(history[0].Text[strings.Index(history[0].Text, "You"):], "You liked"), history[0].Text)

		recs := evalJSON[[]int](t, p, `[...document.querySelectorAll('hearth-profile [data-part="recs"] ol > li')].map((li) => li.querySelectorAll('.hearth-reasons li').length)`)
		require.NotEmpty(t, recs)
		for _, n := range recs {
			require.Positive(t, n, "every recommendation shows its reasons")
		}
		require.True(t, eval[bool](t, p, `document.querySelector('hearth-profile input[data-action="consent"]').checked`))
	})

	t.Run("every control has a name and works from the keyboard", func(t *testing.T) {
		unnamed := evalJSON[[]string](t, p, `[...document.querySelectorAll('hearth-profile button, hearth-profile input')]
  .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || (e.labels && e.labels.length)))
  .map((e) => e.outerHTML)`)
		require.Empty(t, unnamed)
		require.Zero(t, eval[int](t, p, `document.querySelectorAll('hearth-profile [tabindex]:not([tabindex="-1"]), hearth-profile div[onclick]').length`))
	})

	t.Run("delete one history entry", func(t *testing.T) {
		before := p.profile()
		p.act(`hearth-profile [data-part="history"] button[data-action="forget-event"]`, kb.Enter)
		after := p.profile()
		require.Len(t, after.Events, len(before.Events)-1)
		require.Equal(t, before.Events[:len(before.Events)-1], after.Events, "the newest entry went")
		require.Equal(t, "H2", eval[string](t, p, `document.activeElement.tagName`), "focus moves to the history's heading")
	})

	t.Run("forget a topic", func(t *testing.T) {
		topics := p.profile().topics()
		last := topics[len(topics)-1]
		p.act(`hearth-profile .hearth-interest[data-topic=`+hearthbrowser.JS(last)+`] button[data-action="forget-topic"]`, kb.Enter)
		require.NotContains(t, p.profile().topics(), last)
	})

	t.Run("mute and unmute a topic", func(t *testing.T) {
		top := p.profile().topics()[0]
		p.act(`hearth-profile .hearth-interest[data-topic=`+hearthbrowser.JS(top)+`] button[data-action="mute"]`, kb.Enter)
		v := p.profile()
		require.Equal(t, []string{top}, v.Muted)
		require.NotContains(t, v.topics(), top)
		p.act(`hearth-profile .hearth-muted button[data-action="unmute"]`, kb.Enter)
		require.Empty(t, p.profile().Muted)
	})

	t.Run("the variety slider", func(t *testing.T) {
		p.act(`hearth-profile input[data-action="variety"]`, kb.ArrowLeft)
		require.Equal(t, -0.25, p.profile().Variety)
		require.Equal(t, "a little more familiar", eval[string](t, p, `document.querySelector('hearth-profile input[data-action="variety"]').getAttribute('aria-valuetext')`))
	})

	downloads := t.TempDir()
	var exported string
	t.Run("export downloads the JSON copy", func(t *testing.T) {
		_, err := chromedp.CallBrowser(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior:         browser.SetDownloadBehaviorBehaviorAllowAndName,
			BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID,
			DownloadPath:     downloads,
		})
		require.NoError(t, err)
		mark := p.proxy.Len()
		p.act(`hearth-profile button[data-action="export"]`, kb.Enter)
		exported = waitDownload(t, downloads)
		var doc struct {
			Format string            `json:"format"`
			Events []json.RawMessage `json:"events"`
		}
		require.NoError(t, json.Unmarshal(readFile(t, exported), &doc))
		require.Equal(t, "hearth-profile", doc.Format)
		require.Len(t, doc.Events, len(p.profile().Events))
		require.Empty(t, paths(p.proxy.Requests()[mark:], s.Origin), "the download is made in the browser, from a Blob")
	})

	t.Run("a bad import is refused and changes nothing", func(t *testing.T) {
		dir := t.TempDir()
		tests := []struct {
			name, content, says string
		}{
			{"not JSON", "<html>hello</html>", "not a JSON file"},
			{"another JSON", `{"cookies": ["a", "b"]}`, "not a profile downloaded from Hearth"},
			{"a broken export", `{"format": "hearth-profile", "version": 2, "events": [{"kind": "teleport", "time": "soon"}]}`, "does not hold a valid profile"},
			{"a foreign version", `{"format": "hearth-profile", "version": 99}`, "does not hold a valid profile"},
			{"too large", `{"format": "hearth-profile", "pad": "` + strings.Repeat("x", 5<<20) + `"}`, "larger than any Hearth profile"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
				require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o644))
				before := p.storedProfile()
				status, alert := p.upload(path)
				require.Empty(t, status)
				require.Contains(t, alert, tt.says)
				require.Contains(t, alert, "Your profile is unchanged.")
				require.Equal(t, before, p.storedProfile())
			})
		}
	})

	t.Run("import the exported file", func(t *testing.T) {
		require.NotEmpty(t, exported)
		want := len(p.profile().Events)
		p.act(`hearth-profile [data-part="history"] button[data-action="forget-event"]`, kb.Enter)
		require.Len(t, p.profile().Events, want-1)
		status, alert := p.upload(exported)
		require.Empty(t, alert)
		require.Equal(t, "Your profile was imported.", status)
		require.Len(t, p.profile().Events, want)
	})

	t.Run(`"Why this?" from the keyboard`, func(t *testing.T) {
		p.open("/")
		const why = `hearth-recs .hearth-item:nth-child(2) .hearth-why`
		state := func() string {
			return eval[string](t, p, `(() => {
  const b = document.querySelector('`+why+`');
  const list = document.getElementById(b.getAttribute('aria-controls'));
  return b.getAttribute('aria-expanded') + ' ' + (list.hidden ? 'hidden' : 'shown') + ' ' + list.children.length;
})()`)
		}
		require.True(t, strings.HasPrefix(state(), "false hidden "))
		require.NoError(t, chromedp.Do(p.ctx, chromedp.Focus(chromedp.CSS(why)), chromedp.KeyEvent(kb.Enter)))
		require.True(t, strings.HasPrefix(state(), "true shown "), state())
		require.NotEqual(t, "true shown 0", state())
		require.NoError(t, chromedp.Do(p.ctx, chromedp.KeyEvent(" ")))
		require.True(t, strings.HasPrefix(state(), "false hidden "), state())
	})

	t.Run("clear everything leaves no trace", func(t *testing.T) {
		p.open("/profile")
		p.waitFor(profileOn, 10*time.Second)
		require.NoError(t, chromedp.Do(p.ctx, chromedp.Focus(chromedp.CSS(`hearth-profile button[data-action="clear"]`)), chromedp.KeyEvent(kb.Enter)))
		p.waitFor(`document.activeElement && document.activeElement.dataset.action === 'clear-confirm'`, 5*time.Second)
		require.NoError(t, chromedp.Do(p.ctx, chromedp.KeyEvent(kb.Enter)))
		p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'off'`, 10*time.Second)
		require.Equal(t, storage{}, normalise(p.storage()), "IndexedDB, localStorage, sessionStorage, Cache Storage and cookies are empty")
		mark := p.proxy.Len()
		p.open("/")
		require.Equal(t, readyDetail{Consent: "denied"}, p.ready(), "the next page starts from nothing")
		require.Equal(t, "fallback", p.slot("home").State)
		require.Empty(t, engineRequests(p.proxy.Requests()[mark:], s))
		require.Equal(t, storage{}, normalise(p.storage()))
	})

	require.Empty(t, p.hearthErrors())
	require.Empty(t, p.violations())
	require.Empty(t, p.exceptions())
	require.Zero(t, srv.reports.Load())
}

// waitDownload waits for the one finished download in dir and returns its path.
func waitDownload(t *testing.T, dir string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				path := filepath.Join(dir, e.Name())
				if b, err := os.ReadFile(path); err == nil && json.Valid(b) {
					return path
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no download in %s", dir)
	return ""
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
