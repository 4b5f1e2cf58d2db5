package profile

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hearth-dev/hearth/core/internal/scan"
)

// MaxBytes bounds an encoded profile. A full profile (10,000 events) is
// well under 2 MiB.
const MaxBytes = 4 << 20

// maxMemory bounds the estimated decoded size of a stored profile.
const maxMemory = 64 << 20

// Decode decodes a stored profile, migrating older format versions to
// FormatVersion, and validates it. Errors wrap ErrTooLarge, ErrCorrupt,
// ErrVersion or ErrInvalid; on error nothing of the bytes is kept, so the
// caller can keep the bytes and fall back to an empty profile.
func Decode(b []byte) (*Profile, error) {
	if len(b) > MaxBytes {
		return nil, fmt.Errorf("decode profile: %w: %d bytes, limit %d", ErrTooLarge, len(b), MaxBytes)
	}
	if err := prescan(b); err != nil {
		return nil, fmt.Errorf("decode profile: %w", err)
	}
	v, ok, err := scan.MapInt(b, "v")
	if err != nil || !ok {
		return nil, fmt.Errorf("decode profile: %w: no version", ErrCorrupt)
	}
	var p *Profile
	switch v {
	case FormatVersion:
		p = new(Profile)
		err = unmarshal(p, b)
	case 1:
		p, err = decodeV1(b)
	default:
		return nil, fmt.Errorf("decode profile: %w %d (this code reads 1 to %d)", ErrVersion, v, FormatVersion)
	}
	if err != nil {
		return nil, fmt.Errorf("decode profile: %w: %v", ErrCorrupt, err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("decode profile: %w", err)
	}
	return p, nil
}

// unmarshal is the one place the profile codec is called, so another codec
// can replace it.
func unmarshal(p *Profile, b []byte) error {
	rest, err := unmarshalMsg(p, b)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d trailing bytes", len(rest))
	}
	return nil
}

// Encode returns the stored form of p.
func (p *Profile) Encode() ([]byte, error) {
	b, err := marshalMsg(p, nil)
	if err != nil {
		return nil, fmt.Errorf("encode profile: %w", err)
	}
	return b, nil
}

// prescan refuses headers that would make the generated decoder allocate
// more than a profile can hold.
func prescan(b []byte) error {
	budget := maxMemory
	visit := func(depth int, key []byte, n int, isMap bool) error {
		if isMap {
			return nil
		}
		limit := MaxList
		if depth == 3 && string(key) == "c" {
			limit = MaxCredit
		}
		if n > limit {
			return fmt.Errorf("%w: %s has %d entries, limit %d", ErrTooLarge, clip(string(key)), n, limit)
		}
		// An event, the largest element, is under 100 bytes decoded.
		if budget -= n * 100; budget < 0 {
			return fmt.Errorf("%w: decoded size over the %d-byte budget", ErrTooLarge, maxMemory)
		}
		return nil
	}
	rest, err := scan.Walk(b, 8, visit)
	switch {
	case errors.Is(err, ErrTooLarge):
		return err
	case err != nil:
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	case len(rest) != 0:
		return fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(rest))
	}
	return nil
}

// Validate checks a decoded or imported profile: the version, settings in
// range, interests sorted by topic without repeats, known event kinds,
// finite numbers, bounded lists and strings. Errors wrap ErrInvalid or
// ErrTooLarge and name the field.
func (p *Profile) Validate() error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalid, field, fmt.Sprintf(format, args...))
	}
	if p.Version != FormatVersion {
		return fmt.Errorf("%w %d", ErrVersion, p.Version)
	}
	switch p.Settings.Consent {
	case ConsentUnset, ConsentGranted, ConsentDenied:
	default:
		return bad("settings.consent", "%q", clip(p.Settings.Consent))
	}
	if v := p.Settings.Variety; !finite(v) || v < -1 || v > 1 {
		return bad("settings.variety", "%v out of [-1, 1]", v)
	}
	if p.Updated < 0 {
		return bad("updated", "%d", p.Updated)
	}
	for _, l := range []struct {
		name string
		n    int
	}{{"interests", len(p.Interests)}, {"events", len(p.Events)}, {"read", len(p.ReadItems)}, {"hidden", len(p.Hidden)}, {"muted", len(p.Muted)}} {
		if l.n > MaxList {
			return fmt.Errorf("%w: %s has %d entries, limit %d", ErrTooLarge, l.name, l.n, MaxList)
		}
	}
	if err := checkInterests("interests", p.Interests, true); err != nil {
		return err
	}
	for i := range p.Events {
		ev := &p.Events[i]
		field := fmt.Sprintf("events[%d]", i)
		switch {
		case !ev.Kind.Valid():
			return bad(field+".kind", "unknown kind %d", uint8(ev.Kind))
		case ev.Item == "" && ev.Kind != Mute:
			return bad(field+".item", "empty")
		case ev.Kind == Mute && ev.Topic == "":
			return bad(field+".topic", "empty for a mute")
		case len(ev.Item) > MaxString || len(ev.Topic) > MaxString:
			return fmt.Errorf("%w: %s: item or topic longer than %d bytes", ErrTooLarge, field, MaxString)
		case ev.Time < 0:
			return bad(field+".time", "%d", ev.Time)
		case !finite(ev.Dwell) || ev.Dwell < 0 || ev.Dwell > MaxDwell:
			return bad(field+".dwell", "%v out of [0, %d]", ev.Dwell, MaxDwell)
		case len(ev.Credit) > MaxCredit:
			return fmt.Errorf("%w: %s.credit has %d entries, limit %d", ErrTooLarge, field, len(ev.Credit), MaxCredit)
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
				return bad(fmt.Sprintf("%s[%d]", l.name, i), "empty or longer than %d bytes", MaxString)
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
			return fmt.Errorf("%w: %s[%d].topic: empty or longer than %d bytes", ErrInvalid, field, i, MaxString)
		case !finite(in.Weight) || abs(in.Weight) > maxWeight:
			return fmt.Errorf("%w: %s[%d].weight: %v", ErrInvalid, field, i, in.Weight)
		case sorted && i > 0 && strings.Compare(list[i-1].Topic, in.Topic) >= 0:
			return fmt.Errorf("%w: %s[%d].topic: %q not in order or repeated", ErrInvalid, field, i, clip(in.Topic))
		}
	}
	if !sorted {
		for i, in := range list {
			if slices.ContainsFunc(list[:i], func(o Interest) bool { return o.Topic == in.Topic }) {
				return fmt.Errorf("%w: %s[%d].topic: %q repeated", ErrInvalid, field, i, clip(in.Topic))
			}
		}
	}
	return nil
}
