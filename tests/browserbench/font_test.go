package browserbench

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/hearth-dev/hearth/tests/browser"
	"github.com/stretchr/testify/require"
)

// TestBrowser_WhyButtonFont measures what js/recs.js's inheritFont saves:
// the first layout of a "Why this?" button in a fresh page, with the
// browser's font for buttons and with the page's (the rule Hearth adds), in
// a new browser context each time, taking turns. It runs with
// HEARTH_BENCH=1 (`make bench`) and prints the medians:
//
//	HEARTH_BENCH=1 go test -run TestBrowser_WhyButtonFont -v ./tests/browserbench/
func TestBrowser_WhyButtonFont(t *testing.T) {
	if os.Getenv("HEARTH_BENCH") != "1" {
		t.Skip("set HEARTH_BENCH=1 to run the browser benchmark (make bench)")
	}
	if chrome == nil {
		t.Skip(browser.ErrNoBrowser)
	}
	// The page lays out some text, then adds the button and forces a
	// layout, timing both steps together.
	page := func(rule string) string {
		return "data:text/html," + url.PathEscape(`<!doctype html><html><head><style>`+rule+`</style></head>
<body><h1>Recommended for you</h1><p>The publisher's list.</p><script>
requestAnimationFrame(() => setTimeout(() => {
  const t = performance.now();
  const b = document.createElement('button');
  b.className = 'hearth-why';
  b.textContent = 'Why this?';
  document.body.append(b);
  b.offsetHeight;
  window.__layout = performance.now() - t;
}, 50));
</script></body></html>`)
	}
	rules := []string{"", ":where(button.hearth-why){font:inherit}"}
	times := make([][]float64, len(rules))
	for range envInt("HEARTH_BENCH_FONT_RUNS", 15) {
		for k, rule := range rules {
			tab := chrome.Tab(t)
			_, err := chromedp.Run(tab, chromedp.Navigate(page(rule)))
			require.NoError(t, err)
			times[k] = append(times[k], browser.Eval[float64](t, tab, `new Promise((done) => {
  const wait = () => (window.__layout === undefined ? setTimeout(wait, 10) : done(window.__layout));
  wait();
})`))
		}
	}
	var b strings.Builder
	for k, name := range []string{"the browser's font", "the page's font (inheritFont)"} {
		st := Summarise(times[k])
		fmt.Fprintf(&b, "\n  %s: median %.1f ms, range %.1f–%.1f ms", name, st.Median, st.Min, st.Max)
	}
	t.Log("first layout of a \"Why this?\" button in a fresh page, " + fmt.Sprint(len(times[0])) + " each:" + b.String())
}
