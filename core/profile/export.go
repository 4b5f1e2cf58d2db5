package profile

import (
	"cmp"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/sortx"
)

// The export is the profile as a JSON file the reader keeps. Its document
// (plain field names, RFC 3339 times, kind names as words, the shortest
// decimals of the stored float32s) is mapped to and from the profile's own
// MessagePack layout by the Worker (js/export.js), once, where the
// platform parses and writes JSON, dates and decimals: the engine hands
// over the profile's bytes ([Profile.Plain]) and reads an imported file's
// back ([Import]), and carries none of that code (docs/size.md).

// MaxJSONBytes bounds an imported file's text; the Worker checks it before
// parsing.
const MaxJSONBytes = 4 << 20

// Plain returns p's MessagePack bytes in the stored layout, without the
// seal of the stored form: what the Worker maps to an export's document.
func (p *Profile) Plain() ([]byte, error) {
	b, err := marshalMsg(p, nil)
	if err != nil {
		return nil, errfmt.Wrap("export profile: ", err, "")
	}
	return b, nil
}

// Import reads a profile's MessagePack bytes, unsealed, as the Worker makes
// them of an export file: the current format version, within the limits a
// stored profile is held to, interests in any order (they are sorted), then
// validated. Errors wrap ErrTooLarge, ErrVersion or ErrInvalid and name the
// field. Times are kept as written: ones more than [MaxClockSkew] after the
// importer's clock are brought back to it by the first [Profile.Prune] (the
// bridge's import commits through it).
func Import(b []byte) (*Profile, error) {
	p, err := importPlain(b)
	if err != nil {
		return nil, errfmt.Wrap("import profile: ", err, "")
	}
	return p, nil
}

func importPlain(b []byte) (*Profile, error) {
	if len(b) > MaxBytes {
		return nil, errfmt.Wrap("", ErrTooLarge, ": "+errfmt.Itoa(len(b))+" bytes, limit "+errfmt.Itoa(MaxBytes))
	}
	if v, ok := version(b); !ok || v != FormatVersion {
		if !ok {
			return nil, errfmt.Wrap("", ErrInvalid, ": no version")
		}
		return nil, errfmt.Wrap("", ErrVersion, " "+errfmt.Itoa(int(v))+" (this code imports "+errfmt.Itoa(FormatVersion)+")")
	}
	p, err := unmarshalChecked(b)
	if err != nil {
		return nil, err
	}
	sortx.Func(p.Interests, func(a, b Interest) int { return cmp.Compare(a.Topic, b.Topic) })
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}
