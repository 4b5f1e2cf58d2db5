//go:build !js

// Package hearthpage reads a Hearth page in a Chromium tab for tests: the
// controls of its <hearth-consent> prompt, and the messages Hearth writes
// to the console (those starting "hearth: ").
//
//	log := hearthpage.Record(t, ctx)
//	// navigate, wait for hearth.ready
//	hearthpage.Accept(t, ctx)
//	lines := log.Hearth()
package hearthpage

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// JavaScript expressions for <hearth-consent>: its buttons, in its shadow
// root, and whether it is asking.
const (
	AcceptButton  = `document.querySelector('hearth-consent').shadowRoot.querySelector('button[data-consent="granted"]')`
	DeclineButton = `document.querySelector('hearth-consent').shadowRoot.querySelector('button[data-consent="denied"]')`
	PromptShown   = `document.querySelector('hearth-consent').dataset.hearthState === 'shown'`
)

// Accept switches personalization on the way a reader does: with the
// Accept button of the page's <hearth-consent>, once it shows.
func Accept(t testing.TB, ctx context.Context) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.JSPath(AcceptButton))))
}

// Decline presses the prompt's other button.
func Decline(t testing.TB, ctx context.Context) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.JSPath(DeclineButton))))
}

// ConsoleLine is one console message of a page.
type ConsoleLine struct {
	Level string // runtime.APIType: warning, info, log, ...
	Text  string // the arguments joined by spaces; strings unquoted, others as JSON
}

// Console records a tab's console messages.
type Console struct {
	mu    sync.Mutex
	lines []ConsoleLine
}

// Record starts recording the console messages of the tab ctx from now on.
func Record(t testing.TB, ctx context.Context) *Console {
	t.Helper()
	c := &Console{}
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*runtime.EventConsoleAPICalled)
		if !ok {
			return
		}
		var parts []string
		for _, a := range e.Args {
			var s string
			if json.Unmarshal(a.Value, &s) == nil {
				parts = append(parts, s)
			} else {
				parts = append(parts, string(a.Value))
			}
		}
		c.mu.Lock()
		c.lines = append(c.lines, ConsoleLine{Level: string(e.Type), Text: strings.Join(parts, " ")})
		c.mu.Unlock()
	}))
	return c
}

// Hearth returns the messages that start with "hearth: ".
func (c *Console) Hearth() []ConsoleLine {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []ConsoleLine
	for _, l := range c.lines {
		if strings.HasPrefix(l.Text, "hearth: ") {
			out = append(out, l)
		}
	}
	return out
}
