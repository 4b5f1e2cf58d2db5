package profile

import (
	"cmp"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/sortx"
)

// ExportFormat names the JSON export, so an import can refuse other files.
const ExportFormat = "hearth-profile"

// MaxJSONBytes bounds an imported file.
const MaxJSONBytes = 4 << 20

// maxJSONObjects bounds the objects an import may contain. Counting '{' is
// an upper bound (braces inside strings count too), checked before decoding
// because decoding would otherwise allocate ~100 bytes per 2-byte "{}".
const maxJSONObjects = 4 * MaxList

type exportJSON struct {
	Format    string         `json:"format"`
	Version   int            `json:"version"`
	Exported  string         `json:"exported"`
	Updated   string         `json:"updated"`
	Settings  settingsJSON   `json:"settings"`
	Interests []interestJSON `json:"interests"`
	Events    []eventJSON    `json:"events"`
	Read      []string       `json:"read"`
	Hidden    []string       `json:"hidden"`
	Muted     []string       `json:"muted"`
}

type settingsJSON struct {
	Consent string  `json:"consent"`
	Variety float32 `json:"variety"`
}

type interestJSON struct {
	_      [0]func() // as Interest, which converts to it
	Topic  string    `json:"topic"`
	Weight float32   `json:"weight"`
}

type eventJSON struct {
	Item         string         `json:"item,omitempty"`
	Kind         string         `json:"kind"`
	Time         string         `json:"time"`
	DwellSeconds float32        `json:"dwell_seconds,omitempty"`
	Topic        string         `json:"topic,omitempty"`
	Taught       []interestJSON `json:"taught,omitempty"`
}

// ExportJSON returns a readable copy of everything stored: plain field
// names, RFC 3339 times, kind names as words, and for each event what it
// taught ("taught": the topic weights it adds to the interests). Weights
// are as stored (as of "updated"); now is recorded as the export time.
//
// The JSON is written by hand (jsonwire.go), byte for byte as
// encoding/json's MarshalIndent(x, "", "  ") writes it (tested against it):
// encoding/json would add about 144 KB of brotli to the engine, and keep
// reflect and fmt linked (docs/size.md).
func (p *Profile) ExportJSON(now int64) ([]byte, error) {
	x := exportJSON{
		Format:    ExportFormat,
		Version:   FormatVersion,
		Exported:  rfc3339(now),
		Updated:   rfc3339(p.Updated),
		Settings:  settingsJSON{Consent: p.Settings.Consent, Variety: p.Settings.Variety},
		Interests: interestsJSON(p.Interests),
		Events:    make([]eventJSON, len(p.Events)),
		Read:      nonNil(p.ReadItems),
		Hidden:    nonNil(p.Hidden),
		Muted:     nonNil(p.Muted),
	}
	for i, ev := range p.Events {
		x.Events[i] = eventJSON{
			Item: ev.Item, Kind: ev.Kind.String(), Time: rfc3339(ev.Time),
			DwellSeconds: ev.Dwell, Topic: ev.Topic, Taught: interestsJSON(ev.Credit),
		}
	}
	b, err := x.appendJSON(nil)
	if err != nil {
		return nil, errfmt.Wrap("export profile: ", err, "")
	}
	return b, nil
}

// ImportJSON reads a file written by [Profile.ExportJSON]. It is strict:
// unknown fields, another format or version, unknown kinds, bad times and
// oversized files or lists are refused with an error naming the problem.
// Interests may come in any order; they are sorted. Times are kept as
// written: ones more than [MaxClockSkew] after the importer's clock are
// brought back to it by the first [Profile.Prune] (the bridge's import
// commits through it).
//
// The reader is hand-written (jsonwire.go) and accepts exactly what
// encoding/json's Decoder with DisallowUnknownFields accepts into these
// types, with the same result (tested against it).
func ImportJSON(b []byte) (*Profile, error) {
	if len(b) > MaxJSONBytes {
		return nil, errfmt.Wrap("import profile: ", ErrTooLarge, ": "+errfmt.Itoa(len(b))+" bytes, limit "+errfmt.Itoa(MaxJSONBytes))
	}
	n := 0
	for _, c := range b { // not bytes.Count, which links bytes.Index (4 KB of code)
		if c == '{' {
			n++
		}
	}
	if n > maxJSONObjects {
		return nil, errfmt.Wrap("import profile: ", ErrTooLarge, ": "+errfmt.Itoa(n)+" objects, limit "+errfmt.Itoa(maxJSONObjects))
	}
	var x exportJSON
	if err := x.readJSON(b); err != nil {
		return nil, errfmt.Wrap("import profile: ", err, "")
	}
	if x.Format != ExportFormat {
		return nil, errfmt.Wrap("import profile: ", ErrInvalid, ": format "+errfmt.Quote(clip(x.Format))+", want "+errfmt.Quote(ExportFormat))
	}
	if x.Version != FormatVersion {
		return nil, errfmt.Wrap("import profile: ", ErrVersion, " "+errfmt.Itoa(x.Version)+" (this code imports "+errfmt.Itoa(FormatVersion)+")")
	}
	p := New()
	var err error
	if p.Updated, err = parseTime("updated", x.Updated); err != nil {
		return nil, errfmt.Wrap("import profile: ", err, "")
	}
	p.Settings = Settings{Consent: x.Settings.Consent, Variety: x.Settings.Variety}
	p.Interests = fromInterestsJSON(x.Interests)
	sortx.Func(p.Interests, func(a, b Interest) int { return cmp.Compare(a.Topic, b.Topic) })
	if len(x.Events) > MaxList {
		return nil, errfmt.Wrap("import profile: ", ErrTooLarge, ": "+errfmt.Itoa(len(x.Events))+" events, limit "+errfmt.Itoa(MaxList))
	}
	for i, e := range x.Events {
		k, err := ParseKind(e.Kind)
		if err != nil {
			return nil, errfmt.Wrap("import profile: events["+errfmt.Itoa(i)+"]: ", err, "")
		}
		t, err := parseTime("events["+errfmt.Itoa(i)+"].time", e.Time)
		if err != nil {
			return nil, errfmt.Wrap("import profile: ", err, "")
		}
		p.Events = append(p.Events, Event{
			Item: e.Item, Kind: k, Time: t, Dwell: e.DwellSeconds, Topic: e.Topic,
			Credit: fromInterestsJSON(e.Taught),
		})
	}
	p.ReadItems, p.Hidden, p.Muted = nilIfEmpty(x.Read), nilIfEmpty(x.Hidden), nilIfEmpty(x.Muted)
	if err := p.Validate(); err != nil {
		return nil, errfmt.Wrap("import profile: ", err, "")
	}
	return p, nil
}

func rfc3339(sec int64) string { return string(appendRFC3339(nil, sec)) }

func parseTime(field, s string) (int64, error) {
	t, ok := parseRFC3339(s)
	if !ok {
		return 0, errfmt.Wrap("", ErrInvalid, ": "+field+": "+errfmt.Quote(clip(s))+" is not an RFC 3339 time")
	}
	if t < 0 {
		return 0, errfmt.Wrap("", ErrInvalid, ": "+field+": "+clip(s)+" is before 1970")
	}
	return t, nil
}

func interestsJSON(in []Interest) []interestJSON {
	out := make([]interestJSON, len(in))
	for i, v := range in {
		out[i] = interestJSON(v)
	}
	return out
}

func fromInterestsJSON(in []interestJSON) []Interest {
	if len(in) == 0 {
		return nil
	}
	out := make([]Interest, len(in))
	for i, v := range in {
		out[i] = Interest(v)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
