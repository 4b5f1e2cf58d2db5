package bridge

//go:generate go tool msgp -io=false -file message.go -o message_gen.go
//go:generate go run ../../core/internal/gentag -tag !hearthlean message_gen.go message_gen_test.go
//go:generate go run ../../core/internal/leangen -o message_lean_gen.go message.go

// Operations of the protocol. The JS half (js/protocol.js) names the same
// strings; change both in one commit.
const (
	OpLoadCatalogue = "load-catalogue" // Bytes: the catalogue, Consent: the page's default mode; replies Catalogue
	OpLoadProfile   = "load-profile"   // Bytes: a stored profile; replies Profile when retention or bounds dropped something
	OpTrack         = "track"          // Item, Kind, Dwell, Topic
	OpRecommend     = "recommend"      // Count, Item (current page), Related, Seed
	OpProfile       = "profile"        // replies View
	OpExport        = "export"         // replies JSON
	OpImport        = "import"         // JSON
	OpClear         = "clear"          // forget everything
	OpConsent       = "consent"        // Consent
	OpForgetItem    = "forget-item"    // Item
	OpForgetEvent   = "forget-event"   // Index into View.Events
	OpForgetTopic   = "forget-topic"   // Topic
	OpUnmute        = "unmute"         // Topic: learn and recommend it again
	OpUnhide        = "unhide"         // Item: recommend it again
	OpVariety       = "variety"        // Variety in [-1, 1]
)

// Error codes carried by Response.Code. They are part of the public JS API
// (err.code, the hearth:error event), so they never change meaning.
const (
	CodeBadRequest   = "bad-request"   // the request is not a valid message
	CodeUnknownOp    = "unknown-op"    // Op names no operation
	CodeNoCatalogue  = "no-catalogue"  // the operation needs a loaded catalogue
	CodeBadCatalogue = "bad-catalogue" // the catalogue bytes do not decode or validate
	CodeBadProfile   = "bad-profile"   // the stored profile does not decode
	CodeBadImport    = "bad-import"    // the imported JSON is not a Hearth profile
	CodeUnknownItem  = "unknown-item"  // Item is neither an item id nor an item URL
	CodeBadArgument  = "bad-argument"  // an argument is out of range or unknown
	CodeOff          = "off"           // personalization is off for this profile
	CodeInternal     = "internal"      // the engine panicked; the state is unchanged
)

// Request is one message from JS to the engine.
type Request struct {
	Op string `msg:"op"`
	// Now is the page's clock in Unix milliseconds: the engine never reads
	// the clock itself.
	Now     int64   `msg:"now"`
	Seed    uint64  `msg:"seed,omitempty"`
	Bytes   []byte  `msg:"bytes,omitempty"`
	JSON    string  `msg:"json,omitempty"`
	Item    string  `msg:"item,omitempty"` // an item id or URL
	Kind    string  `msg:"kind,omitempty"` // view, read, click, like, dislike, hide, mute
	Dwell   float32 `msg:"dwell,omitempty"`
	Topic   string  `msg:"topic,omitempty"`
	Index   int     `msg:"index,omitempty"`
	Count   int     `msg:"count,omitempty"`
	Related bool    `msg:"related,omitempty"`
	Consent string  `msg:"consent,omitempty"` // a consent state, or a default mode for OpLoadCatalogue
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
	Learned   bool           `msg:"learned,omitempty"`
	Recs      []Rec          `msg:"recs,omitempty"`
	View      *View          `msg:"view,omitempty"`
	JSON      string         `msg:"json,omitempty"`
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
	Code string `msg:"code"`
	Text string `msg:"text"`
	Ref  string `msg:"ref,omitempty"`
}

// CatalogueInfo describes the loaded catalogue.
type CatalogueInfo struct {
	ID    string `msg:"id"`
	Items int    `msg:"items"`
	// Consent is the publisher's default consent mode from the policy.
	Consent string `msg:"consent"`
}

// View is the whole profile in plain terms, for the reader to inspect.
type View struct {
	Consent   string      `msg:"consent"`
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
	Topic  string  `msg:"topic"`
	Weight float32 `msg:"weight"`
}

// EventView is one logged event; Index is what OpForgetEvent takes.
type EventView struct {
	Index int     `msg:"index"`
	Item  string  `msg:"item"`
	Title string  `msg:"title"`
	URL   string  `msg:"url"`
	Kind  string  `msg:"kind"`
	Time  int64   `msg:"time"` // Unix seconds
	Dwell float32 `msg:"dwell,omitempty"`
	Topic string  `msg:"topic,omitempty"`
}

// ItemRef names an item the profile refers to. Title and URL are empty when
// the item has left the catalogue.
type ItemRef struct {
	ID    string `msg:"id"`
	Title string `msg:"title"`
	URL   string `msg:"url"`
}
