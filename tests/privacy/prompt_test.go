package privacy

import (
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// acceptButton is <hearth-consent>'s Accept button, in its shadow root.
const acceptButton = `document.querySelector('hearth-consent').shadowRoot.querySelector('button[data-consent="granted"]')`

// accept switches personalization on the way a reader does: with the
// Accept button of the page's <hearth-consent>, once it shows.
func (p *tab) accept() {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, chromedp.Click(chromedp.JSPath(acceptButton))))
}
