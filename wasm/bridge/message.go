package bridge

//go:generate go tool msgp -io=false -file message.go -o message_gen.go
//go:generate go run ../../core/internal/gentag -tag !hearthlean message_gen.go message_gen_test.go
//go:generate go run ../../core/internal/leangen -o message_lean_gen.go message.go

// Operations of the protocol. Each is declared once, in the table of
// ops.go (its arguments, results and error codes); js/ops.gen.js and
// js/protocol.gen.d.ts are generated from there and from the comments here
// (go generate ./wasm/bridge), which the generated JSDoc repeats.
const (
	// OpLoadCatalogue installs a catalogue (bytes, in the request or beside
	// it); consent is the page's decision, "granted" or "denied" (empty: the
	// catalogue's default and the profile's own choice decide).
	OpLoadCatalogue = "load-catalogue"
	// OpLoadProfile replaces the engine's profile with a stored one (bytes;
	// none: a fresh profile), and replies the profile to store when
	// retention, bounds or a clock ahead changed it.
	OpLoadProfile = "load-profile"
	// OpTrack records one event: kind, item (an id or URL), dwell, topic.
	OpTrack = "track"
	// OpRecommend ranks the catalogue: count (0: the default), item (the
	// current page), related, seed.
	OpRecommend = "recommend"
	// OpProfile replies the whole profile in plain terms.
	OpProfile = "profile"
	// OpExport replies the profile for the file the reader keeps (doc: its
	// MessagePack bytes in the stored layout, unsealed, which the Worker
	// writes as the export's JSON).
	OpExport = "export"
	// OpImport replaces the profile with an exported one (doc: the
	// profile's MessagePack bytes in the stored layout, which the Worker
	// made of the file).
	OpImport = "import"
	// OpClear forgets everything the engine holds; the Worker deletes what
	// is stored.
	OpClear = "clear"
	// OpForgetItem forgets one item (an id or URL) and what it taught.
	OpForgetItem = "forget-item"
	// OpForgetEvent forgets one logged event (index into the view's events).
	OpForgetEvent = "forget-event"
	// OpForgetTopic forgets one topic.
	OpForgetTopic = "forget-topic"
	// OpUnmute lets a muted topic be learned and recommended again.
	OpUnmute = "unmute"
	// OpUnhide lets a hidden item (an id or URL) be recommended again.
	OpUnhide = "unhide"
	// OpVariety sets the reader's variety, in [-1, 1].
	OpVariety = "variety"
)

// Error codes: Response.Code for the engine's, and the same strings for the
// loader's and the Worker's own failures. They are part of the public JS API
// (err.code, the hearth:error event), so they never change meaning; this
// block is their one list (the comments become the ErrorCode type's docs).
const (
	CodeConfig       = "config"        // a data-* attribute of the script tag is missing or invalid (loader)
	CodeOff          = "off"           // the call needs personalization on
	CodeWorker       = "worker"        // the Worker could not start: blocked, missing, CSP (loader)
	CodeWasm         = "wasm"          // the engine could not be downloaded or started (Worker)
	CodeCatalogue    = "catalogue"     // the catalogue could not be downloaded (Worker)
	CodeStorage      = "storage"       // IndexedDB is unavailable or refused a read or write (full); the stored profile is unchanged
	CodeNotReady     = "not-ready"     // the engine was called before it loaded (Worker)
	CodeBadRequest   = "bad-request"   // the request is not a valid message, or carries an argument its operation does not take
	CodeUnknownOp    = "unknown-op"    // op names no operation
	CodeNoCatalogue  = "no-catalogue"  // the operation needs a loaded catalogue
	CodeBadCatalogue = "bad-catalogue" // the catalogue does not decode or validate, or is larger than 64 MiB
	CodeBadProfile   = "bad-profile"   // the stored profile does not decode; Hearth sets it aside (IndexedDB key profile-corrupt) and starts afresh
	CodeProfileNewer = "profile-newer" // the stored profile was written by a newer release; it is left as it is, nothing is learned and the site's usual order is shown
	CodeBadImport    = "bad-import"    // the imported JSON is not a Hearth profile
	CodeUnknownItem  = "unknown-item"  // no catalogue item has that id or URL
	CodeBadArgument  = "bad-argument"  // an argument is out of range or unknown
	CodeInternal     = "internal"      // the engine panicked; the state is unchanged
)

// Request is one message from JS to the engine. Which fields besides Op
// and Now each operation takes is declared in ops.go. A ts tag narrows a
// field's type in the generated TypeScript (js/protocol.gen.d.ts), naming a
// type of js/hearth.d.ts.
type Request struct {
	Op string `msg:"op"`
	// Now is the page's clock in Unix milliseconds: the engine never reads
	// the clock itself.
	Now  int64  `msg:"now"`
	Seed uint64 `msg:"seed,omitempty"`
	// Bytes is the catalogue (OpLoadCatalogue), a stored profile
	// (OpLoadProfile), or for a change of the profile the stored profile
	// it applies to. It may travel beside the request (DispatchBytes).
	Bytes []byte `msg:"bytes,omitempty"`
	// Doc is the imported profile for OpImport: its MessagePack bytes in
	// the stored layout, which the Worker made of the file (js/export.js).
	Doc     []byte  `msg:"doc,omitempty"`
	Item    string  `msg:"item,omitempty"`                // an item id or URL
	Kind    string  `msg:"kind,omitempty" ts:"EventKind"` // view, read, click, like, dislike, hide, mute
	Dwell   float32 `msg:"dwell,omitempty"`
	Topic   string  `msg:"topic,omitempty"`
	Index   int     `msg:"index,omitempty"`
	Count   int     `msg:"count,omitempty"`
	Related bool    `msg:"related,omitempty"`
	Consent string  `msg:"consent,omitempty" ts:"Consent"` // the page's decision, for OpLoadCatalogue
	Variety float32 `msg:"variety,omitempty"`
}

// Response is the engine's answer to one Request. Code is empty on success.
type Response struct {
	Code    string `msg:"code,omitempty"`
	Message string `msg:"msg,omitempty"`
	// Profile is the new profile after a mutation, for the Worker to store.
	// It is absent when nothing changed or the operation failed, so a
	// failed operation can never overwrite a valid stored profile.
	Profile []byte `msg:"profile,omitempty"`
	// Learned reports whether a tracked event entered the profile (reads
	// of sensitive items do not).
	Learned bool  `msg:"learned,omitempty"`
	Recs    []Rec `msg:"recs,omitempty"`
	View    *View `msg:"view,omitempty"`
	// Doc is OpExport's profile: its MessagePack bytes in the stored
	// layout, unsealed, which the Worker maps to the file (js/export.js).
	Doc       []byte         `msg:"doc,omitempty"`
	Catalogue *CatalogueInfo `msg:"cat,omitempty"`
}

// Rec is one recommendation as JS renders it.
type Rec struct {
	ID      string   `msg:"id"`
	URL     string   `msg:"url"`
	Title   string   `msg:"title"`
	Reasons []Reason `msg:"reasons"`
}

// Reason explains a recommendation: Code is stable, Text is for the reader,
// Ref is the item id or topic it refers to.
type Reason struct {
	_    [0]func() // not comparable: no equality function linked (docs/size.md)
	Code string    `msg:"code"`
	Text string    `msg:"text"`
	Ref  string    `msg:"ref,omitempty"`
}

// CatalogueInfo describes the loaded catalogue.
type CatalogueInfo struct {
	_     [0]func() // not comparable: no equality function linked (docs/size.md)
	ID    string    `msg:"id"`
	Items int       `msg:"items"`
	// Consent is the publisher's default consent mode from the catalogue's
	// policy (the page's decision, if any, is not reflected here).
	Consent string `msg:"consent" ts:"'opt-in' | 'opt-out'"`
}

// View is the whole profile in plain terms, for the reader to inspect.
type View struct {
	// Consent is the page's decision the engine was told (load-catalogue),
	// or else the profile's own choice.
	Consent   string      `msg:"consent" ts:"'' | Consent"`
	Variety   float32     `msg:"variety"`
	Updated   int64       `msg:"updated"` // Unix seconds
	Interests []Interest  `msg:"interests"`
	Events    []EventView `msg:"events"`
	Read      []ItemRef   `msg:"read"`
	Hidden    []ItemRef   `msg:"hidden"`
	Muted     []string    `msg:"muted"`
}

// Interest is one topic the profile follows, strongest first.
type Interest struct {
	_      [0]func() // not comparable: no equality function linked (docs/size.md)
	Topic  string    `msg:"topic"`
	Weight float32   `msg:"weight"`
}

// EventView is one logged event; Index is what OpForgetEvent takes.
type EventView struct {
	_     [0]func() // not comparable: no equality function linked (docs/size.md)
	Index int       `msg:"index"`
	Item  string    `msg:"item"`
	Title string    `msg:"title"`
	URL   string    `msg:"url"`
	Kind  string    `msg:"kind" ts:"EventKind"`
	Time  int64     `msg:"time"` // Unix seconds
	Dwell float32   `msg:"dwell,omitempty"`
	Topic string    `msg:"topic,omitempty"`
}

// ItemRef names an item the profile refers to. Title and URL are empty when
// the item has left the catalogue.
type ItemRef struct {
	_     [0]func() // not comparable: no equality function linked (docs/size.md)
	ID    string    `msg:"id"`
	Title string    `msg:"title"`
	URL   string    `msg:"url"`
}
