//go:build !hearthlean

package profile

// The profile codec of ordinary builds is the msgp-generated reference.
// Builds tagged hearthlean (the wasm engine) use the generated lean codec
// instead, see codec_lean.go; they leave out profile_gen.go and
// migrate_gen.go, whose import of the msgp runtime would cost every reader
// about 250 KB of brotli.

// unmarshalChecked decodes a current profile within its limits: prescan
// first, since the generated decoder trusts array headers.
func unmarshalChecked(b []byte) (*Profile, error) {
	if err := prescan(b); err != nil {
		return nil, err
	}
	p := new(Profile)
	rest, err := p.UnmarshalMsg(b)
	if err := scanError(err, rest); err != nil {
		return nil, err
	}
	return p, nil
}

// unmarshalMsgV1 decodes a version-1 profile.
func unmarshalMsgV1(p *profileV1, b []byte) ([]byte, error) { return p.UnmarshalMsg(b) }

// marshalMsg appends the encoding of p to b.
func marshalMsg(p *Profile, b []byte) ([]byte, error) { return p.MarshalMsg(b) }
