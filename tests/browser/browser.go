//go:build !js

// Package browser starts the one headless Chromium that the browser tests of
// a test binary share (end-to-end tests, the privacy audit, browser
// benchmarks) and opens an isolated tab for each test.
//
// # Usage
//
//	var chrome *browser.Browser
//
//	func TestMain(m *testing.M) { os.Exit(browser.Main(m, &chrome, browser.Options{})) }
//
//	func TestSomething(t *testing.T) {
//		ctx := chrome.Tab(t)
//		err := chromedp.Do(ctx, chromedp.Navigate(url))
//		...
//	}
//
// Each tab runs in its own browser context (like a private window), so tests
// share neither cookies nor IndexedDB and can run in parallel.
//
// # Environment
//
//	HEARTH_HEADFUL=1     show the browser window
//	HEARTH_CHROMIUM=path the browser binary (default: chromium on PATH)
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNoBrowser reports that no Chromium binary was found.
var ErrNoBrowser = errors.New("browser: chromium not found (make test-deps installs it)")

// DefaultTabTimeout bounds one test's tab.
const DefaultTabTimeout = 2 * time.Minute

// Options configure the browser. The zero value is valid.
type Options struct {
	// Headful shows the window; HEARTH_HEADFUL=1 also sets it.
	Headful bool
	// Proxy, if set, sends every request (loopback included) through this
	// HTTP proxy, for example "http://127.0.0.1:8081", so that a test sees
	// the requests of Workers too.
	Proxy string
	// Flags are extra command-line flags.
	Flags map[string]any
	// TabTimeout bounds each tab; 0 means DefaultTabTimeout.
	TabTimeout time.Duration
}

// Browser is a running Chromium.
type Browser struct {
	ctx     context.Context
	cancel  context.CancelFunc
	dir     string
	timeout time.Duration
}

// FindChromium returns the path of the browser binary.
func FindChromium() (string, error) {
	if p := os.Getenv("HEARTH_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Start starts Chromium with a fresh profile in a temporary folder.
func Start(opts Options) (*Browser, error) {
	exe, err := FindChromium()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "hearth-browser-")
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	headful := opts.Headful || os.Getenv("HEARTH_HEADFUL") == "1"
	alloc := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		// Chromium writes crash reports and settings under XDG_CONFIG_HOME.
		chromedp.Env("XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg")),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.WindowSize(1200, 900),
	}
	if !headful {
		alloc = append(alloc, chromedp.Headless)
	}
	if opts.Proxy != "" {
		alloc = append(alloc, chromedp.ProxyServer(opts.Proxy),
			// "<-loopback>" removes the implicit bypass of localhost.
			chromedp.Flag("proxy-bypass-list", "<-loopback>"))
	}
	for name, v := range opts.Flags {
		alloc = append(alloc, chromedp.Flag(name, v))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), alloc...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, dir: dir, timeout: opts.TabTimeout}
	b.cancel = func() { cancelCtx(); cancelAlloc() }
	if b.timeout == 0 {
		b.timeout = DefaultTabTimeout
	}
	if err := chromedp.Do(ctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("browser: start %s: %w", exe, err)
	}
	return b, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	b.cancel()
	_ = os.RemoveAll(b.dir)
}

// Tab opens a tab in a fresh browser context for the test and closes it
// when the test ends. A nil Browser skips the test. Options configure the
// browser context, for example its own proxy:
//
//	ctx := chrome.Tab(t, func(p *target.CreateBrowserContextParams) {
//		p.ProxyServer, p.ProxyBypassList = proxyURL, "<-loopback>"
//	})
//
// A tab opened with chromedp.NewContext(ctx) shares the context's storage,
// like a second tab of the same window.
func (b *Browser) Tab(t testing.TB, opts ...chromedp.CreateBrowserContextOption) context.Context {
	t.Helper()
	if b == nil {
		t.Skip(ErrNoBrowser)
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(opts...))
	return b.open(t, ctx, cancel)
}

// Profile opens a tab in the browser's regular profile and closes it when
// the test ends. A fresh context (Tab) is off the record: its HTTP cache
// lives in memory and keeps no response of about 9 MB or more, so a
// returning reader of a large catalogue would download it again on every
// page (TestBrowser_ProfileCache in tests/browserbench); the profile's
// cache is on disk, as a reader's is. Tabs of the profile share its
// storage and cache across tests: clear what a test depends on.
func (b *Browser) Profile(t testing.TB) context.Context {
	t.Helper()
	if b == nil {
		t.Skip(ErrNoBrowser)
	}
	ctx, cancel := chromedp.NewContext(b.ctx)
	return b.open(t, ctx, cancel)
}

// open starts the tab of ctx, bounds it by the browser's tab timeout and
// closes it when the test ends.
func (b *Browser) open(t testing.TB, ctx context.Context, cancel context.CancelFunc) context.Context {
	t.Helper()
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("open tab: %v", err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, b.timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
	})
	return tctx
}

// Main starts the browser, runs the tests and stops it; use it from
// TestMain. Without a Chromium it runs the tests with a nil *b, so that
// browser tests skip and the others run.
func Main(m *testing.M, b **Browser, opts Options) int {
	chrome, err := Start(opts)
	switch {
	case errors.Is(err, ErrNoBrowser):
		fmt.Fprintln(os.Stderr, err)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	default:
		*b = chrome
		defer chrome.Close()
	}
	return m.Run()
}
