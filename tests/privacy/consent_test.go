package privacy

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// paths returns the paths of the site's requests in recorded order.
func paths(reqs []Request, origin string) []string {
	var out []string
	for _, r := range reqs {
		if r.Tunnel {
			continue
		}
		u, err := url.Parse(r.URL)
		if err != nil || u.Scheme+"://"+u.Host != origin {
			continue
		}
		out = append(out, u.Path)
	}
	return out
}

// engineRequests returns the requests for files Hearth loads only while
// personalization is on.
func engineRequests(reqs []Request, s Site) []string {
	var out []string
	for _, p := range paths(reqs, s.Origin) {
		for _, e := range s.Engine {
			if p == e {
				out = append(out, p)
			}
		}
	}
	return out
}

func TestConsent(t *testing.T) {
	tests := []struct {
		name    string
		consent string // the publisher's data-consent
		gpc     bool
		// on is whether personalization runs on the first page view.
		on bool
	}{
		{name: "opt-in is off until the reader switches it on", consent: "opt-in"},
		{name: "no attribute means opt-in", consent: ""},
		{name: "opt-out is on", consent: "opt-out", on: true},
		{name: "Global Privacy Control turns opt-out off", consent: "opt-out", gpc: true},
		{name: "Global Privacy Control with opt-in", consent: "opt-in", gpc: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := readerOptions
			opts.Consent = tt.consent
			srv := startSite(t, built, opts)
			s := site(srv.URL)
			p := newTab(t, srv.URL)
			if tt.gpc {
				p.gpc()
			}
			p.open("/blog/pipelines")
			if !tt.on {
				require.Equal(t, readyDetail{Consent: "denied"}, p.ready())
				// Past the read thresholds: nothing may be recorded anyway.
				eval[bool](t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
				time.Sleep(800 * time.Millisecond)
				require.Equal(t, storage{}, normalise(p.storage()), "nothing is written while off")
				require.Empty(t, engineRequests(p.proxy.Requests(), s), "no Worker, wasm or catalogue while off")
				require.Equal(t, "fallback", p.slot("related").State)
				require.Nil(t, evalJSON[[]slotLink](t, p, `hearth.recommend().then((r) => r.length ? r : null)`))

				// The reader switches it on, on the profile page.
				p.open("/profile")
				p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'off'`, 10*time.Second)
				p.click(`hearth-profile input[data-action="consent"]`)
				p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'on'`, 30*time.Second)
			}
			require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.state())
			p.readPost("pipelines")
			require.Contains(t, engineRequests(p.proxy.Requests(), s), "/hearth/hearth.wasm", "the proxy sees the Worker's requests")
			require.Equal(t, []string{"hearth"}, p.storage().IndexedDB)

			// On the next page the choice holds, GPC or not.
			p.open("/")
			require.Equal(t, readyDetail{Consent: "granted", Personalized: true}, p.ready())
			require.Len(t, p.profile().Read, 1)

			// Switching off deletes everything and downloads nothing more.
			p.open("/profile")
			p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'on'`, 10*time.Second)
			p.click(`hearth-profile input[data-action="consent"]`)
			p.waitFor(`document.querySelector('hearth-profile').dataset.hearthState === 'off'`, 10*time.Second)
			mark := p.proxy.Len()
			p.open("/blog/pipelines")
			require.Equal(t, readyDetail{Consent: "denied"}, p.ready(), "the denial lasts")
			eval[bool](t, p, `(window.scrollTo(0, document.documentElement.scrollHeight), true)`)
			time.Sleep(800 * time.Millisecond)
			require.Empty(t, engineRequests(p.proxy.Requests()[mark:], s))
			st := normalise(p.storage())
			if tt.consent == "opt-out" && !tt.gpc {
				// The denial itself must be remembered against the default.
				require.Equal(t, []string{"hearth"}, st.IndexedDB)
				require.Nil(t, p.storedProfile(), "only the denial is stored, no profile")
			} else {
				require.Equal(t, storage{}, st)
			}
			require.Empty(t, p.hearthErrors())
			require.Empty(t, p.violations())
			require.Empty(t, p.exceptions())
			require.Zero(t, srv.reports.Load(), "CSP violation reports")
		})
	}
}

// normalise makes empty lists nil, so that an empty storage equals storage{}.
func normalise(s storage) storage {
	if len(s.IndexedDB) == 0 {
		s.IndexedDB = nil
	}
	if len(s.Caches) == 0 {
		s.Caches = nil
	}
	if len(s.Cookies) == 0 {
		s.Cookies = nil
	}
	return s
}
