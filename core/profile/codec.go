package profile

import (
	"slices"
	"strconv"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/wire"
)

// MaxBytes bounds an encoded profile. A full profile (10,000 events) is
// well under 2 MiB.
const MaxBytes = 4 << 20

// ErrNewer means a stored profile was written by a newer release: its
// format version is above FormatVersion. It wraps ErrVersion. Such a
// profile is valid data this code cannot read, so a caller must neither
// learn on top of it nor write over it.
var ErrNewer error = newerError{}

type newerError struct{}

func (newerError) Error() string { return ErrVersion.Error() }
func (newerError) Unwrap() error { return ErrVersion }

// Decode decodes a stored profile, migrating older format versions to
// FormatVersion, and validates it. It checks the seal of the stored form
// (seal.go) and reads unsealed bytes, as releases before the seal stored
// them, too. Errors wrap ErrTooLarge, ErrCorrupt (a checksum that does not
// match included), ErrVersion (ErrNewer for a version above FormatVersion)
// or ErrInvalid; on error nothing of the bytes is kept, so the caller can
// keep the bytes and fall back to an empty profile.
func Decode(b []byte) (*Profile, error) {
	if len(b) > MaxBytes {
		return nil, errfmt.Wrap("decode profile: ", ErrTooLarge, ": "+errfmt.Itoa(len(b))+" bytes, limit "+errfmt.Itoa(MaxBytes))
	}
	if Sealed(b) {
		var err error
		if b, err = Open(b); err != nil {
			return nil, errfmt.Wrap("decode profile: ", err, "")
		}
	}
	p, err := decodeWith(b, unmarshalChecked)
	if err != nil {
		return nil, errfmt.Wrap("decode profile: ", err, "")
	}
	return p, nil
}

// decodeWith is Decode of unsealed bytes with the codec's checked decoding
// of a current profile given, so that the tests of ordinary builds run the
// lean codec's too. A current profile is decoded by unmarshalChecked,
// which holds it to the limits; any other is walked by prescan first, so
// that a profile too large or corrupt is refused as such whatever version
// it declares.
func decodeWith(b []byte, unmarshalChecked func([]byte) (*Profile, error)) (*Profile, error) {
	v, ok := version(b)
	var p *Profile
	var err error
	if ok && v == FormatVersion {
		p, err = unmarshalChecked(b)
	} else {
		if err := prescan(b); err != nil {
			return nil, err
		}
		switch {
		case !ok:
			return nil, errfmt.Wrap("", ErrCorrupt, ": no version")
		case v == 1:
			p, err = decodeV1(b)
		default:
			err := ErrVersion
			if v > FormatVersion {
				err = ErrNewer
			}
			return nil, errfmt.Wrap("", err, " "+strconv.FormatInt(v, 10)+" (this code reads 1 to "+errfmt.Itoa(FormatVersion)+")")
		}
	}
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// version returns the integer under the first str key "v" of the top-level
// map of b, reading only what comes before it, so that Decode can choose
// the layout before decoding. ok is false when there is none, also when a
// key before it is not a str.
func version(b []byte) (v int64, ok bool) {
	r := wire.NewReader(b)
	for n := r.MapHeader(); n > 0 && r.Err() == nil; n-- {
		if rest := r.Rest(); len(rest) > 0 && rest[0] >= 0xc4 && rest[0] <= 0xc6 {
			return 0, false // a bin key
		}
		if string(r.Key()) == "v" {
			v = r.Int64()
			return v, r.Err() == nil
		}
		r.Skip()
	}
	return 0, false
}

// unmarshalLean decodes b into p with the lean codec (profile_lean_gen.go),
// without limits, and returns the bytes after the profile.
func unmarshalLean(p *Profile, b []byte) ([]byte, error) {
	r := wire.NewReader(b)
	p.readMsg(r, nil)
	return r.Rest(), r.Err()
}

// unmarshalLeanV1 decodes a version-1 profile as unmarshalLean does
// (migrate_lean_gen.go).
func unmarshalLeanV1(p *profileV1, b []byte) ([]byte, error) {
	r := wire.NewReader(b)
	p.readMsg(r)
	return r.Rest(), r.Err()
}

// marshalLean appends p to b with the lean codec, growing b once up front
// (with room for the seal's checksum): a profile is encoded after every
// change, and growing by doubling costs about as much again.
func marshalLean(p *Profile, b []byte) []byte {
	return p.appendMsg(slices.Grow(b, p.sizeHint()+sealSize))
}

// Encode returns the stored form of p: its MessagePack bytes, sealed with a
// checksum (seal.go).
func (p *Profile) Encode() ([]byte, error) {
	b, err := marshalMsg(p, []byte{sealMagic, sealVersion})
	if err != nil {
		return nil, errfmt.Wrap("encode profile: ", err, "")
	}
	return appendChecksum(b), nil
}

// Validate checks a decoded or imported profile: the version, settings in
// range, interests sorted by topic without repeats, known event kinds,
// finite numbers, bounded lists and strings. Errors wrap ErrInvalid or
// ErrTooLarge and name the field.
func (p *Profile) Validate() error {
	if p.Version != FormatVersion {
		return errfmt.Wrap("", ErrVersion, " "+errfmt.Itoa(p.Version))
	}
	switch p.Settings.Consent {
	case ConsentUnset, ConsentGranted, ConsentDenied:
	default:
		return invalidField("settings.consent", errfmt.Quote(clip(p.Settings.Consent)))
	}
	if v := p.Settings.Variety; !finite(v) || v < -1 || v > 1 {
		return invalidField("settings.variety", errfmt.Float(v)+" out of [-1, 1]")
	}
	if p.Updated < 0 {
		return invalidField("updated", strconv.FormatInt(p.Updated, 10))
	}
	for _, l := range []struct {
		name string
		n    int
	}{{"interests", len(p.Interests)}, {"events", len(p.Events)}, {"read", len(p.ReadItems)}, {"hidden", len(p.Hidden)}, {"muted", len(p.Muted)}} {
		if l.n > MaxList {
			return errfmt.Wrap("", ErrTooLarge, ": "+l.name+" has "+errfmt.Itoa(l.n)+" entries, limit "+errfmt.Itoa(MaxList))
		}
	}
	if err := checkInterests("interests", p.Interests, true); err != nil {
		return err
	}
	for i := range p.Events {
		ev := &p.Events[i]
		field := "events[" + errfmt.Itoa(i) + "]"
		switch {
		case !ev.Kind.Valid():
			return invalidField(field+".kind", "unknown kind "+errfmt.Itoa(int(ev.Kind)))
		case ev.Item == "" && ev.Kind != Mute:
			return invalidField(field+".item", "empty")
		case ev.Kind == Mute && ev.Topic == "":
			return invalidField(field+".topic", "empty for a mute")
		case len(ev.Item) > MaxString || len(ev.Topic) > MaxString:
			return errfmt.Wrap("", ErrTooLarge, ": "+field+": item or topic longer than "+errfmt.Itoa(MaxString)+" bytes")
		case ev.Time < 0:
			return invalidField(field+".time", strconv.FormatInt(ev.Time, 10))
		case !finite(ev.Dwell) || ev.Dwell < 0 || ev.Dwell > MaxDwell:
			return invalidField(field+".dwell", errfmt.Float(ev.Dwell)+" out of [0, "+errfmt.Itoa(MaxDwell)+"]")
		case len(ev.Credit) > MaxCredit:
			return errfmt.Wrap("", ErrTooLarge, ": "+field+".credit has "+errfmt.Itoa(len(ev.Credit))+" entries, limit "+errfmt.Itoa(MaxCredit))
		}
		if err := checkInterests(field+".credit", ev.Credit, false); err != nil {
			return err
		}
	}
	for _, l := range []struct {
		name string
		v    []string
	}{{"read", p.ReadItems}, {"hidden", p.Hidden}, {"muted", p.Muted}} {
		for i, s := range l.v {
			if s == "" || len(s) > MaxString {
				return invalidField(l.name+"["+errfmt.Itoa(i)+"]", "empty or longer than "+errfmt.Itoa(MaxString)+" bytes")
			}
		}
	}
	return nil
}

// maxWeight bounds any stored weight; real ones stay far below (a like
// adds 2 and weights decay).
const maxWeight = 1e6

func checkInterests(field string, list []Interest, sorted bool) error {
	for i, in := range list {
		switch {
		case in.Topic == "" || len(in.Topic) > MaxString:
			return errfmt.Wrap("", ErrInvalid, ": "+field+"["+errfmt.Itoa(i)+"].topic: empty or longer than "+errfmt.Itoa(MaxString)+" bytes")
		case !finite(in.Weight) || abs(in.Weight) > maxWeight:
			return errfmt.Wrap("", ErrInvalid, ": "+field+"["+errfmt.Itoa(i)+"].weight: "+errfmt.Float(in.Weight))
		case sorted && i > 0 && list[i-1].Topic >= in.Topic:
			return errfmt.Wrap("", ErrInvalid, ": "+field+"["+errfmt.Itoa(i)+"].topic: "+errfmt.Quote(clip(in.Topic))+" not in order or repeated")
		}
	}
	if !sorted {
		for i, in := range list {
			if slices.ContainsFunc(list[:i], func(o Interest) bool { return o.Topic == in.Topic }) {
				return errfmt.Wrap("", ErrInvalid, ": "+field+"["+errfmt.Itoa(i)+"].topic: "+errfmt.Quote(clip(in.Topic))+" repeated")
			}
		}
	}
	return nil
}

// invalidField is Validate's error for field: a function, not an inlined
// closure, so that its ~10 calls share one concatenation (docs/size.md).
//
//go:noinline
func invalidField(field, msg string) error {
	return errfmt.Wrap("", ErrInvalid, ": "+field+": "+msg)
}
