//go:build !hearthlean

package bridge

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
	"github.com/stretchr/testify/require"
)

// now is the clock of every request in these tests.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testCatalogue has three Go posts, two about cooking and one about
// health, which the policy marks sensitive. Like a news publisher, the policy
// weights freshness, so the non-personal order is newest first.
func testCatalogue(t testing.TB) []byte {
	t.Helper()
	c := &catalog.Catalogue{
		Version: catalog.FormatVersion, ID: "test-1", Generated: now.Add(-time.Hour).Unix(),
		Topics: []string{"go", "cooking", "health"},
		Policy: catalog.Policy{
			Sensitive: []string{"health"},
			Weights:   catalog.Weights{Similarity: 1, Topic: 0.6, Freshness: 0.25, Popularity: 0.15},
		},
	}
	add := func(id, title string, topic uint16, daysOld int) {
		c.Items = append(c.Items, catalog.Item{
			ID: id, URL: "/p/" + id, Title: title,
			Topics:    []catalog.TopicWeight{{Topic: topic, Weight: 1}},
			Published: now.Add(-time.Duration(daysOld) * 24 * time.Hour).Unix(),
		})
	}
	add("go1", "Goroutines", 0, 30)
	add("go2", "Channels", 0, 20)
	add("go3", "Generics", 0, 40)
	add("soup", "Soup", 1, 1)
	add("bread", "Bread", 1, 2)
	add("flu", "Flu season", 2, 3)
	b, err := c.Encode()
	require.NoError(t, err)
	return b
}

func call(t testing.TB, b *Bridge, r Request) Response {
	t.Helper()
	if r.Now == 0 {
		r.Now = now.UnixMilli()
	}
	req, err := r.MarshalMsg(nil)
	require.NoError(t, err)
	var resp Response
	rest, err := resp.UnmarshalMsg(b.Dispatch(req))
	require.NoError(t, err)
	require.Empty(t, rest)
	declared(t, r.Op, resp)
	return resp
}

// declared checks resp against the table of ops.go: a failure carries one
// of the operation's codes (or bad-request, internal, unknown-op), a
// success only the results it declares.
func declared(t testing.TB, name string, resp Response) {
	t.Helper()
	o := lookup(name)
	if resp.Code != "" {
		codes := []string{CodeBadRequest, CodeInternal, CodeUnknownOp}
		if o != nil {
			codes = append(codes, o.codes...)
		}
		require.Contains(t, codes, resp.Code, "op %q: a code ops.go does not declare", name)
		return
	}
	require.NotNil(t, o)
	var got resultSet
	for i, present := range []bool{resp.Profile != nil, resp.Learned, resp.Recs != nil, resp.View != nil, resp.Doc != nil, resp.Catalogue != nil} {
		if present {
			got |= 1 << i
		}
	}
	require.Zero(t, got&^o.results, "op %q: results ops.go does not declare", name)
}

func ok(t testing.TB, b *Bridge, r Request) Response {
	t.Helper()
	resp := call(t, b, r)
	require.Empty(t, resp.Code, "op %s: %s", r.Op, resp.Message)
	return resp
}

// loaded returns a bridge with the test catalogue, on the page's grant.
func loaded(t testing.TB) *Bridge {
	t.Helper()
	b := New()
	ok(t, b, Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: profile.ConsentGranted})
	return b
}

// reader returns a loaded bridge whose reader read two Go posts.
func reader(t testing.TB) *Bridge {
	t.Helper()
	b := loaded(t)
	ok(t, b, Request{Op: OpTrack, Item: "go1", Kind: "read", Dwell: 60})
	ok(t, b, Request{Op: OpTrack, Item: "go2", Kind: "read", Dwell: 60})
	return b
}

func decodeProfile(t testing.TB, data []byte) *profile.Profile {
	t.Helper()
	require.NotEmpty(t, data, "the response carries no profile")
	p, err := profile.Decode(data)
	require.NoError(t, err)
	return p
}

func ids(recs []Rec) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func TestBridge_Dispatch(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t testing.TB) *Bridge
		req   Request
		code  string
		check func(t *testing.T, b *Bridge, resp Response)
	}{{
		name:  "load catalogue",
		setup: func(testing.TB) *Bridge { return New() },
		req:   Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t)},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.Equal(t, &CatalogueInfo{ID: "test-1", Items: 6, Consent: catalog.ConsentOptIn}, resp.Catalogue)
			require.Empty(t, resp.Profile)
		},
	}, {
		name:  "load catalogue without the page's decision follows the opt-in policy",
		setup: func(testing.TB) *Bridge { return New() },
		req:   Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t)},
		check: func(t *testing.T, b *Bridge, _ Response) {
			require.Equal(t, CodeOff, call(t, b, Request{Op: OpTrack, Item: "soup", Kind: "view"}).Code)
		},
	}, {
		name:  "load catalogue with the page's grant makes the profile active",
		setup: func(testing.TB) *Bridge { return New() },
		req:   Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: profile.ConsentGranted},
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.Equal(t, catalog.ConsentOptIn, resp.Catalogue.Consent, "the catalogue's own default")
			require.True(t, ok(t, b, Request{Op: OpTrack, Item: "soup", Kind: "view"}).Learned)
			require.Equal(t, profile.ConsentGranted, ok(t, b, Request{Op: OpProfile}).View.Consent)
		},
	}, {
		name:  "load catalogue with a default mode where a decision belongs",
		setup: func(testing.TB) *Bridge { return New() },
		req:   Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: catalog.ConsentOptOut},
		code:  CodeBadArgument,
	}, {
		name:  "load truncated catalogue keeps the loaded one",
		setup: loaded,
		req:   Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t)[:40]},
		code:  CodeBadCatalogue,
		check: func(t *testing.T, b *Bridge, _ Response) {
			require.Len(t, ok(t, b, Request{Op: OpRecommend, Count: 3}).Recs, 3)
		},
	}, {
		name:  "load profile",
		setup: loaded,
		req:   Request{Op: OpLoadProfile, Bytes: ok(t, reader(t), Request{Op: OpTrack, Item: "soup", Kind: "view"}).Profile},
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.Empty(t, resp.Profile, "loading writes nothing")
			v := ok(t, b, Request{Op: OpProfile}).View
			require.Equal(t, profile.ConsentGranted, v.Consent)
			require.Len(t, v.Events, 3)
			require.Equal(t, "Soup", v.Events[2].Title)
		},
	}, {
		name: "load profile drops expired events and stores the minimised profile",
		setup: func(t testing.TB) *Bridge {
			b := New()
			ok(t, b, Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t)})
			return b
		},
		req: Request{Op: OpLoadProfile, Bytes: func() []byte {
			// Read 100 and 10 days ago; the default retention is 90 days.
			old := loaded(t)
			ok(t, old, Request{Op: OpTrack, Item: "go1", Kind: "read", Dwell: 60, Now: now.AddDate(0, 0, -100).UnixMilli()})
			return ok(t, old, Request{Op: OpTrack, Item: "go2", Kind: "read", Dwell: 60, Now: now.AddDate(0, 0, -10).UnixMilli()}).Profile
		}()},
		check: func(t *testing.T, b *Bridge, resp Response) {
			p := decodeProfile(t, resp.Profile)
			require.Len(t, p.Events, 1)
			require.Equal(t, "go2", p.Events[0].Item)
			require.Equal(t, now.Unix(), p.Updated, "decayed to the load time")
			v := ok(t, b, Request{Op: OpProfile}).View
			require.Len(t, v.Events, 1)
		},
	}, {
		name:  "load empty profile starts afresh",
		setup: reader,
		req:   Request{Op: OpLoadProfile},
		check: func(t *testing.T, b *Bridge, _ Response) {
			require.Empty(t, ok(t, b, Request{Op: OpProfile}).View.Events)
		},
	}, {
		name:  "load corrupt profile keeps the current one",
		setup: reader,
		req:   Request{Op: OpLoadProfile, Bytes: []byte{0x81, 0xa1, 'v', 0xc1}},
		code:  CodeBadProfile,
		check: func(t *testing.T, b *Bridge, _ Response) {
			require.Len(t, ok(t, b, Request{Op: OpProfile}).View.Events, 2)
		},
	}, {
		name:  "track before the catalogue",
		setup: func(testing.TB) *Bridge { return New() },
		req:   Request{Op: OpTrack, Item: "go1", Kind: "read"},
		code:  CodeNoCatalogue,
	}, {
		name:  "track a read by id",
		setup: loaded,
		req:   Request{Op: OpTrack, Item: "go1", Kind: "read", Dwell: 30},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.True(t, resp.Learned)
			p := decodeProfile(t, resp.Profile)
			require.Equal(t, []string{"go1"}, p.ReadItems)
			require.Equal(t, "go", p.Interests[0].Topic)
		},
	}, {
		name:  "track a view by the page's absolute canonical URL",
		setup: loaded,
		req:   Request{Op: OpTrack, Item: "https://example.org/p/go3?utm=x#top", Kind: "view"},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			p := decodeProfile(t, resp.Profile)
			require.Equal(t, "go3", p.Events[0].Item)
		},
	}, {
		name:  "track an item not in the catalogue",
		setup: loaded,
		req:   Request{Op: OpTrack, Item: "https://example.org/about", Kind: "view"},
		code:  CodeUnknownItem,
	}, {
		name:  "track an unknown kind",
		setup: loaded,
		req:   Request{Op: OpTrack, Item: "go1", Kind: "stare"},
		code:  CodeBadArgument,
	}, {
		name:  "track a sensitive item learns and stores nothing",
		setup: loaded,
		req:   Request{Op: OpTrack, Item: "flu", Kind: "read", Dwell: 60},
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.False(t, resp.Learned)
			require.Empty(t, resp.Profile)
			require.Empty(t, ok(t, b, Request{Op: OpProfile}).View.Events)
		},
	}, {
		name: "track on the page's denial",
		setup: func(t testing.TB) *Bridge {
			b := New()
			ok(t, b, Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: profile.ConsentDenied})
			return b
		},
		req:  Request{Op: OpTrack, Item: "go1", Kind: "read"},
		code: CodeOff,
	}, {
		name:  "track applies to the stored profile passed as bytes",
		setup: reader,
		req:   Request{Op: OpTrack, Item: "soup", Kind: "view", Bytes: ok(t, loaded(t), Request{Op: OpTrack, Item: "go3", Kind: "like"}).Profile},
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.True(t, resp.Learned)
			var items []string
			for _, ev := range decodeProfile(t, resp.Profile).Events {
				items = append(items, ev.Item)
			}
			require.Equal(t, []string{"go3", "soup"}, items, "another tab's like, then this view; not this engine's reads")
			require.Len(t, ok(t, b, Request{Op: OpProfile}).View.Events, 2, "the result is the engine's profile")
		},
	}, {
		name:  "track on a stored profile that does not decode keeps the engine's",
		setup: reader,
		req:   Request{Op: OpTrack, Item: "soup", Kind: "view", Bytes: []byte{0x81, 0xa1, 'v', 0xc1}},
		code:  CodeBadProfile,
		check: func(t *testing.T, b *Bridge, _ Response) {
			require.Len(t, ok(t, b, Request{Op: OpProfile}).View.Events, 2)
		},
	}, {
		name:  "track a sensitive item on a stored profile makes it the engine's, storing nothing",
		setup: loaded,
		req:   Request{Op: OpTrack, Item: "flu", Kind: "read", Dwell: 60, Bytes: ok(t, reader(t), Request{Op: OpExport}).Profile},
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.False(t, resp.Learned)
			require.Empty(t, resp.Profile)
		},
	}, {
		name:  "track a mute by topic",
		setup: loaded,
		req:   Request{Op: OpTrack, Kind: "mute", Topic: "cooking"},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.Equal(t, []string{"cooking"}, decodeProfile(t, resp.Profile).Muted)
		},
	}, {
		name:  "recommend without a profile is the non-personal order",
		setup: loaded,
		req:   Request{Op: OpRecommend, Count: 3},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			// The newest items lead; the sensitive one is recommended like any other.
			require.Equal(t, []string{"soup", "bread", "flu"}, ids(resp.Recs))
		},
	}, {
		name:  "recommend follows the reader and skips what they read",
		setup: reader,
		req:   Request{Op: OpRecommend, Count: 2},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.Equal(t, "go3", resp.Recs[0].ID)
			require.NotContains(t, ids(resp.Recs), "go1")
			require.NotContains(t, ids(resp.Recs), "go2")
			require.NotEmpty(t, resp.Recs[0].Reasons)
			require.Equal(t, "/p/go3", resp.Recs[0].URL)
		},
	}, {
		name:  "recommend related around the current page",
		setup: loaded,
		req:   Request{Op: OpRecommend, Count: 2, Related: true, Item: "http://localhost:8080/p/go1"},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.ElementsMatch(t, []string{"go2", "go3"}, ids(resp.Recs))
		},
	}, {
		name:  "recommend related to a page that is no item",
		setup: loaded,
		req:   Request{Op: OpRecommend, Related: true, Item: "/about"},
		code:  CodeUnknownItem,
	}, {
		name:  "recommend too many",
		setup: loaded,
		req:   Request{Op: OpRecommend, Count: rank.MaxCount + 1},
		code:  CodeBadArgument,
	}, {
		name:  "recommend before the catalogue",
		setup: func(testing.TB) *Bridge { return New() },
		req:   Request{Op: OpRecommend},
		code:  CodeNoCatalogue,
	}, {
		name:  "profile view",
		setup: reader,
		req:   Request{Op: OpProfile},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			v := resp.View
			require.Equal(t, "go", v.Interests[0].Topic)
			require.Equal(t, []ItemRef{{ID: "go1", Title: "Goroutines", URL: "/p/go1"}, {ID: "go2", Title: "Channels", URL: "/p/go2"}}, v.Read)
			require.Equal(t, EventView{Index: 1, Item: "go2", Title: "Channels", URL: "/p/go2", Kind: "read", Time: now.Unix(), Dwell: 60}, v.Events[1])
			require.Empty(t, resp.Profile)
		},
	}, {
		name:  "export",
		setup: reader,
		req:   Request{Op: OpExport},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			p, err := profile.Import(resp.Doc)
			require.NoError(t, err, "the export is the profile, as an import reads it")
			require.Equal(t, []string{"go1", "go2"}, p.ReadItems)
			require.Empty(t, resp.Profile)
		},
	}, {
		name:  "import takes no consent from the file",
		setup: loaded,
		req: Request{Op: OpImport, Doc: edited(t, ok(t, reader(t), Request{Op: OpExport}).Doc, func(p *profile.Profile) {
			p.Settings.Consent = profile.ConsentDenied
		})},
		check: func(t *testing.T, b *Bridge, resp Response) {
			p := decodeProfile(t, resp.Profile)
			require.Equal(t, []string{"go1", "go2"}, p.ReadItems)
			require.Equal(t, profile.ConsentUnset, p.Settings.Consent)
			require.True(t, ok(t, b, Request{Op: OpTrack, Item: "soup", Kind: "view"}).Learned)
		},
	}, {
		name:  "import something else",
		setup: reader,
		req:   Request{Op: OpImport, Doc: []byte("\x81\xa7cookies\xc3")}, // {"cookies": true}
		code:  CodeBadImport,
		check: func(t *testing.T, b *Bridge, _ Response) {
			require.Len(t, ok(t, b, Request{Op: OpProfile}).View.Read, 2)
		},
	}, {
		name:  "clear",
		setup: reader,
		req:   Request{Op: OpClear},
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.Empty(t, resp.Profile, "the Worker deletes the stored profile itself")
			v := ok(t, b, Request{Op: OpProfile}).View
			require.Empty(t, v.Events)
			require.Equal(t, profile.ConsentGranted, v.Consent, "the page's decision outlasts the profile")
		},
	}, {
		name:  "an argument the operation does not take",
		setup: loaded,
		req:   Request{Op: OpProfile, Item: "go1"},
		code:  CodeBadRequest,
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.Contains(t, resp.Message, "unexpected argument item")
		},
	}, {
		name:  "bytes beside an operation that takes none",
		setup: loaded,
		req:   Request{Op: OpRecommend, Bytes: []byte{0x80}},
		code:  CodeBadRequest,
	}, {
		name:  "forget item by URL",
		setup: reader,
		req:   Request{Op: OpForgetItem, Item: "/p/go1"},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			p := decodeProfile(t, resp.Profile)
			require.Equal(t, []string{"go2"}, p.ReadItems)
			require.Len(t, p.Events, 1)
		},
	}, {
		name:  "forget item that left the catalogue",
		setup: reader,
		req:   Request{Op: OpForgetItem, Item: "gone"},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.Len(t, decodeProfile(t, resp.Profile).Events, 2)
		},
	}, {
		name:  "forget event",
		setup: reader,
		req:   Request{Op: OpForgetEvent, Index: 0},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			p := decodeProfile(t, resp.Profile)
			require.Equal(t, []string{"go2"}, p.ReadItems)
		},
	}, {
		name:  "forget event out of range keeps everything",
		setup: reader,
		req:   Request{Op: OpForgetEvent, Index: 2},
		code:  CodeBadArgument,
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.Empty(t, resp.Profile)
			require.Len(t, ok(t, b, Request{Op: OpProfile}).View.Events, 2)
		},
	}, {
		name:  "forget topic",
		setup: reader,
		req:   Request{Op: OpForgetTopic, Topic: "go"},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.Empty(t, decodeProfile(t, resp.Profile).Interests)
		},
	}, {
		name:  "forget no topic",
		setup: reader,
		req:   Request{Op: OpForgetTopic},
		code:  CodeBadArgument,
	}, {
		name: "unmute",
		setup: func(t testing.TB) *Bridge {
			b := reader(t)
			ok(t, b, Request{Op: OpTrack, Kind: "mute", Topic: "cooking"})
			return b
		},
		req: Request{Op: OpUnmute, Topic: "cooking"},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			p := decodeProfile(t, resp.Profile)
			require.Empty(t, p.Muted)
			require.Len(t, p.Events, 2, "the mute event goes with the mute")
		},
	}, {
		name:  "unmute no topic",
		setup: reader,
		req:   Request{Op: OpUnmute},
		code:  CodeBadArgument,
	}, {
		name: "unhide by URL",
		setup: func(t testing.TB) *Bridge {
			b := reader(t)
			ok(t, b, Request{Op: OpTrack, Item: "soup", Kind: "hide"})
			return b
		},
		req: Request{Op: OpUnhide, Item: "/p/soup"},
		check: func(t *testing.T, b *Bridge, resp Response) {
			require.Empty(t, decodeProfile(t, resp.Profile).Hidden)
			require.Contains(t, ids(ok(t, b, Request{Op: OpRecommend, Count: 5}).Recs), "soup")
		},
	}, {
		name:  "unhide no item",
		setup: reader,
		req:   Request{Op: OpUnhide},
		code:  CodeBadArgument,
	}, {
		name:  "variety",
		setup: loaded,
		req:   Request{Op: OpVariety, Variety: 0.5},
		check: func(t *testing.T, _ *Bridge, resp Response) {
			require.Equal(t, float32(0.5), decodeProfile(t, resp.Profile).Settings.Variety)
		},
	}, {
		name:  "variety out of range",
		setup: loaded,
		req:   Request{Op: OpVariety, Variety: 1.5},
		code:  CodeBadArgument,
	}, {
		name:  "unknown op",
		setup: loaded,
		req:   Request{Op: "teleport"},
		code:  CodeUnknownOp,
	}, {
		name:  "missing clock",
		setup: loaded,
		req:   Request{Op: OpProfile, Now: -1},
		code:  CodeBadRequest,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.setup(t)
			resp := call(t, b, tt.req)
			require.Equal(t, tt.code, resp.Code, resp.Message)
			if tt.code != "" {
				require.NotEmpty(t, resp.Message)
				require.Empty(t, resp.Profile, "a failed operation must not carry a profile to store")
			}
			if tt.check != nil {
				tt.check(t, b, resp)
			}
		})
	}
}

func TestBridge_DispatchBadBytes(t *testing.T) {
	valid, err := (&Request{Op: OpProfile, Now: now.UnixMilli()}).MarshalMsg(nil)
	require.NoError(t, err)
	tests := []struct {
		name string
		req  []byte
	}{
		{"empty", nil},
		{"not a map", []byte{0x93, 1, 2, 3}},
		{"truncated", valid[:len(valid)-3]},
		{"trailing bytes", append(append([]byte{}, valid...), 0xc0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp Response
			_, err := resp.UnmarshalMsg(New().Dispatch(tt.req))
			require.NoError(t, err)
			require.Equal(t, CodeBadRequest, resp.Code)
		})
	}
}

// TestBridge_DispatchBytes checks that bytes passed beside a request do
// what the same bytes inside it do, for the two operations that take bytes,
// and that an error still names the operation's code.
func TestBridge_DispatchBytes(t *testing.T) {
	dispatch := func(t *testing.T, b *Bridge, r Request, data []byte) Response {
		t.Helper()
		r.Now = now.UnixMilli()
		req, err := r.MarshalMsg(nil)
		require.NoError(t, err)
		var resp Response
		rest, err := resp.UnmarshalMsg(b.DispatchBytes(req, data))
		require.NoError(t, err)
		require.Empty(t, rest)
		return resp
	}
	stored := ok(t, reader(t), Request{Op: OpTrack, Item: "soup", Kind: "view"}).Profile

	inside, beside := New(), New()
	want := ok(t, inside, Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: profile.ConsentGranted})
	got := dispatch(t, beside, Request{Op: OpLoadCatalogue, Consent: profile.ConsentGranted}, testCatalogue(t))
	require.Equal(t, want, got)
	ok(t, inside, Request{Op: OpLoadProfile, Bytes: stored})
	require.Empty(t, dispatch(t, beside, Request{Op: OpLoadProfile}, stored).Code)
	require.Equal(t, ok(t, inside, Request{Op: OpProfile}).View, ok(t, beside, Request{Op: OpProfile}).View)
	require.Equal(t, ok(t, inside, Request{Op: OpRecommend, Count: 3}).Recs, ok(t, beside, Request{Op: OpRecommend, Count: 3}).Recs)

	// Bytes beside the request replace any inside it.
	resp := dispatch(t, New(), Request{Op: OpLoadCatalogue, Bytes: []byte{0xc0}}, testCatalogue(t))
	require.Empty(t, resp.Code, resp.Message)
	resp = dispatch(t, New(), Request{Op: OpLoadCatalogue}, testCatalogue(t)[:40])
	require.Equal(t, CodeBadCatalogue, resp.Code)
}

func TestBridge_DispatchPanic(t *testing.T) {
	b := reader(t)
	before := ok(t, b, Request{Op: OpProfile}).View
	// A nil engine makes recommend panic inside the engine call.
	b.engine = nil
	resp := call(t, b, Request{Op: OpRecommend})
	require.Equal(t, CodeInternal, resp.Code)
	require.Contains(t, resp.Message, "engine panic")
	require.Equal(t, before, ok(t, b, Request{Op: OpProfile}).View)
}

// TestBridge_Consent: the page's decision is the engine's, and nothing of
// it is stored: the profile the engine replies carries no choice, and a
// choice stored by an older version gives way to the page's decision.
func TestBridge_Consent(t *testing.T) {
	stored := ok(t, loaded(t), Request{Op: OpTrack, Item: "soup", Kind: "view"}).Profile
	require.Equal(t, profile.ConsentUnset, decodeProfile(t, stored).Settings.Consent, "the decision is not stored")

	legacy := decodeProfile(t, stored)
	require.NoError(t, legacy.SetConsent(profile.ConsentGranted))
	legacyBytes, err := legacy.Encode()
	require.NoError(t, err)

	for _, tt := range []struct {
		decision, code string
		data           []byte
	}{
		{profile.ConsentGranted, "", stored},
		{profile.ConsentGranted, "", legacyBytes},
		{profile.ConsentDenied, CodeOff, stored},
		{profile.ConsentDenied, CodeOff, legacyBytes},
	} {
		b := New()
		ok(t, b, Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: tt.decision})
		ok(t, b, Request{Op: OpLoadProfile, Bytes: tt.data})
		require.Equal(t, tt.decision, ok(t, b, Request{Op: OpProfile}).View.Consent)
		resp := call(t, b, Request{Op: OpTrack, Item: "bread", Kind: "view"})
		require.Equal(t, tt.code, resp.Code, "decision %s", tt.decision)
		resp = call(t, b, Request{Op: OpTrack, Item: "bread", Kind: "view", Bytes: tt.data})
		require.Equal(t, tt.code, resp.Code, "decision %s, change on the stored bytes", tt.decision)
		if tt.code == "" {
			require.Equal(t, profile.ConsentUnset, decodeProfile(t, resp.Profile).Settings.Consent)
		}
	}
}

// firstParagraph returns the paragraph that starts with "JS and Go exchange"
// in a file of // comments, without comment markers.
func firstParagraph(t *testing.T, path string) string {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	var words []string
	in := false
	for _, line := range strings.Split(string(src), "\n") {
		text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "//"))
		if strings.HasPrefix(text, "JS and Go exchange") {
			in = true
		}
		if in && text == "" {
			break
		}
		if in {
			words = append(words, strings.Fields(text)...)
		}
	}
	require.NotEmpty(t, words, "%s has no protocol paragraph", path)
	return strings.Join(words, " ")
}

// TestUnixSeconds checks the bridge's conversion of the page clock against
// package time's, which the engine no longer links.
func TestUnixSeconds(t *testing.T) {
	for _, ms := range []int64{0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, now.UnixMilli(), now.UnixMilli() + 999, math.MaxInt64, math.MinInt64} {
		require.Equal(t, time.UnixMilli(ms).Unix(), unixSeconds(ms), "%d ms", ms)
	}
}

func TestProtocol_SameParagraph(t *testing.T) {
	require.Equal(t, firstParagraph(t, "bridge.go"), firstParagraph(t, "../../js/protocol.js"),
		"the Go and JS halves of the protocol must describe it alike")
}

// TestBridge_findURL checks that the first URL lookup after a catalogue
// loads, which scans the items, and later ones, which use the index, find
// the same items: the last item listing a URL, a page's absolute URL by its
// path, nothing for an unknown URL.
func TestBridge_findURL(t *testing.T) {
	c := &catalog.Catalogue{Version: catalog.FormatVersion, ID: "urls", Generated: now.Unix()}
	for i, u := range []string{"/a", "/b", "/a", "https://example.org/c?x=1"} {
		c.Items = append(c.Items, catalog.Item{ID: "i" + strconv.Itoa(i), URL: u, Title: "t"})
	}
	cat, err := c.Encode()
	require.NoError(t, err)
	queries := []string{"/a", "/b", "https://news.example/a?utm=1#top", "/c", "https://example.org/c?x=1", "", "i1"}
	want := []int{2, 1, 2, -1, 3, -1, 1}
	for first := range queries {
		b := New()
		ok(t, b, Request{Op: OpLoadCatalogue, Bytes: cat})
		// Query first by the scan, then every query by the map (a
		// repeat of the first by the last answer).
		for n, k := range append([]int{first, first}, 0, 1, 2, 3, 4, 5, 6) {
			if n == 2 && first != 6 { // "i1" is an id, found without a URL
				require.Nil(t, b.urls.byURL, "a page asking for its own URL twice needs no map")
			}
			i, found := b.find(queries[k])
			if want[k] < 0 {
				require.False(t, found, "%q", queries[k])
				continue
			}
			require.True(t, found, "%q", queries[k])
			require.Equal(t, want[k], i, "%q", queries[k])
		}
		require.NotNil(t, b.urls.byURL, "the map is built by the second URL asked for")
	}
}

// edited is an export changed by edit, as the Worker would make it of an
// edited file.
func edited(t testing.TB, export []byte, edit func(*profile.Profile)) []byte {
	t.Helper()
	p, err := profile.Import(export)
	require.NoError(t, err)
	edit(p)
	b, err := p.Plain()
	require.NoError(t, err)
	return b
}
