package profile

import (
	"slices"

	"github.com/hearth-dev/hearth/core/wire"
)

// The lean codec: the profile's MessagePack encoding written by hand on
// core/wire, for the wasm build (see codec_lean.go), where linking the msgp
// runtime would cost every reader about 250 KB of brotli. It mirrors
// profile_gen.go and, for decoding old profiles, migrate_gen.go: same keys in
// the same order, same encodings and omitted fields, fields decoded in place
// with the same reuse of slices, unknown keys skipped. The fuzz tests in
// wire_test.go hold it to the generated codec byte for byte; when a field
// changes in profile.go or migrate.go, change it here too.

// unmarshalLean decodes b into p with the lean codec and returns the bytes
// after the profile.
func unmarshalLean(p *Profile, b []byte) ([]byte, error) {
	r := wire.NewReader(b)
	p.readMsg(r)
	return r.Rest(), r.Err()
}

// unmarshalLeanV1 decodes a version-1 profile as unmarshalLean does.
func unmarshalLeanV1(p *profileV1, b []byte) ([]byte, error) {
	r := wire.NewReader(b)
	p.readMsg(r)
	return r.Rest(), r.Err()
}

// readMsg decodes p from r as Profile.UnmarshalMsg does.
func (p *Profile) readMsg(r *wire.Reader) {
	for n := r.MapHeader(); n > 0; n-- {
		switch string(r.Key()) {
		case "v":
			p.Version = r.Int()
		case "settings":
			p.Settings.readMsg(r)
		case "interests":
			p.Interests = readInterests(r, p.Interests)
		case "events":
			p.Events = wire.Resize(p.Events, r.ArrayHeader())
			for i := range p.Events {
				p.Events[i].readMsg(r)
			}
		case "read":
			p.ReadItems = r.Strings(p.ReadItems)
		case "hidden":
			p.Hidden = r.Strings(p.Hidden)
		case "muted":
			p.Muted = r.Strings(p.Muted)
		case "updated":
			p.Updated = r.Int64()
		default:
			r.Skip()
		}
	}
}

// appendMsg appends p as Profile.MarshalMsg does.
func (p *Profile) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 8)
	b = wire.AppendInt(wire.AppendString(b, "v"), p.Version)
	b = p.Settings.appendMsg(wire.AppendString(b, "settings"))
	b = appendInterests(wire.AppendString(b, "interests"), p.Interests)
	b = wire.AppendArrayHeader(wire.AppendString(b, "events"), uint32(len(p.Events)))
	for i := range p.Events {
		b = p.Events[i].appendMsg(b)
	}
	b = wire.AppendStrings(wire.AppendString(b, "read"), p.ReadItems)
	b = wire.AppendStrings(wire.AppendString(b, "hidden"), p.Hidden)
	b = wire.AppendStrings(wire.AppendString(b, "muted"), p.Muted)
	return wire.AppendInt64(wire.AppendString(b, "updated"), p.Updated)
}

func (s *Settings) readMsg(r *wire.Reader) {
	for n := r.MapHeader(); n > 0; n-- {
		switch string(r.Key()) {
		case "consent":
			s.Consent = r.String()
		case "variety":
			s.Variety = r.Float32()
		default:
			r.Skip()
		}
	}
}

func (s *Settings) appendMsg(b []byte) []byte {
	b = wire.AppendMapHeader(b, 2)
	b = wire.AppendString(wire.AppendString(b, "consent"), s.Consent)
	return wire.AppendFloat32(wire.AppendString(b, "variety"), s.Variety)
}

// readInterests decodes an array of Interest tuples ([topic, weight]) into s.
func readInterests(r *wire.Reader, s []Interest) []Interest {
	s = wire.Resize(s, r.ArrayHeader())
	for i := range s {
		r.Tuple(2)
		s[i].Topic = r.String()
		s[i].Weight = r.Float32()
	}
	return s
}

func appendInterests(b []byte, s []Interest) []byte {
	b = wire.AppendArrayHeader(b, uint32(len(s)))
	for _, in := range s {
		b = append(b, 0x92) // a tuple of two
		b = wire.AppendFloat32(wire.AppendString(b, in.Topic), in.Weight)
	}
	return b
}

func (e *Event) readMsg(r *wire.Reader) {
	for n := r.MapHeader(); n > 0; n-- {
		switch string(r.Key()) {
		case "i":
			e.Item = r.String()
		case "k":
			e.Kind = Kind(r.Uint8())
		case "at":
			e.Time = r.Int64()
		case "d":
			e.Dwell = r.Float32()
		case "t":
			e.Topic = r.String()
		case "c":
			e.Credit = readInterests(r, e.Credit)
		default:
			r.Skip()
		}
	}
}

// appendMsg appends e, leaving out the omitempty fields as msgp does: Dwell
// when zero, Topic when empty, Credit when nil (an empty non-nil Credit is
// written).
func (e *Event) appendMsg(b []byte) []byte {
	n := uint32(6)
	if e.Dwell == 0 {
		n--
	}
	if e.Topic == "" {
		n--
	}
	if e.Credit == nil {
		n--
	}
	// The keys are appended pre-encoded (a fixstr header, then the key),
	// as msgp does: a profile is encoded after every change and holds up
	// to 10,000 events, and calls are dear in the wasm.
	b = append(b, 0x80|byte(n), 0xa1, 'i')
	b = wire.AppendString(b, e.Item)
	b = wire.AppendUint64(append(b, 0xa1, 'k'), uint64(e.Kind))
	b = wire.AppendInt64(append(b, 0xa2, 'a', 't'), e.Time)
	if e.Dwell != 0 {
		b = wire.AppendFloat32(append(b, 0xa1, 'd'), e.Dwell)
	}
	if e.Topic != "" {
		b = wire.AppendString(append(b, 0xa1, 't'), e.Topic)
	}
	if e.Credit != nil {
		b = appendInterests(append(b, 0xa1, 'c'), e.Credit)
	}
	return b
}

// readMsg decodes a version-1 profile as profileV1.UnmarshalMsg does.
func (p *profileV1) readMsg(r *wire.Reader) {
	for n := r.MapHeader(); n > 0; n-- {
		switch string(r.Key()) {
		case "v":
			p.Version = r.Int()
		case "consent":
			p.Consent = r.Bool()
		case "interests":
			m := r.MapHeader()
			if p.Interests == nil {
				p.Interests = make(map[string]float32, m)
			} else {
				clear(p.Interests)
			}
			for ; m > 0; m-- {
				k := r.String()
				p.Interests[k] = r.Float32()
			}
		case "events":
			p.Events = wire.Resize(p.Events, r.ArrayHeader())
			for i := range p.Events {
				p.Events[i].readMsg(r)
			}
		case "read":
			p.ReadItems = r.Strings(p.ReadItems)
		case "hidden":
			p.Hidden = r.Strings(p.Hidden)
		case "updated":
			p.Updated = r.Int64()
		default:
			r.Skip()
		}
	}
}

func (e *eventV1) readMsg(r *wire.Reader) {
	for n := r.MapHeader(); n > 0; n-- {
		switch string(r.Key()) {
		case "i":
			e.Item = r.String()
		case "k":
			e.Kind = r.Uint8()
		case "at":
			e.Time = r.Int64()
		default:
			r.Skip()
		}
	}
}

// marshalLean appends p to b, growing b once up front: a profile is encoded
// after every change, and growing by doubling costs about as much again.
func marshalLean(p *Profile, b []byte) []byte {
	return p.appendMsg(slices.Grow(b, p.sizeHint()))
}

// sizeHint is an upper bound of the encoded size of p.
func (p *Profile) sizeHint() int {
	n := 128 + len(p.Settings.Consent) + interestsSize(p.Interests)
	for i := range p.Events {
		e := &p.Events[i]
		n += 48 + len(e.Item) + len(e.Topic) + interestsSize(e.Credit)
	}
	for _, list := range [][]string{p.ReadItems, p.Hidden, p.Muted} {
		for _, s := range list {
			n += 5 + len(s)
		}
	}
	return n
}

func interestsSize(s []Interest) int {
	n := 5
	for _, in := range s {
		n += 11 + len(in.Topic) // tuple header, str header, float32
	}
	return n
}
