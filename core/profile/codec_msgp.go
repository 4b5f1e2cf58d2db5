//go:build !hearthlean

package profile

// The profile codec of ordinary builds is the msgp-generated reference.
// Builds tagged hearthlean (the wasm engine) use the generated lean codec
// instead, see codec_lean.go; they leave out profile_gen.go and
// migrate_gen.go, whose import of the msgp runtime would cost every reader
// about 250 KB of brotli.

// unmarshalMsg decodes b into p and returns the bytes after the profile.
func unmarshalMsg(p *Profile, b []byte) ([]byte, error) { return p.UnmarshalMsg(b) }

// unmarshalMsgV1 decodes a version-1 profile.
func unmarshalMsgV1(p *profileV1, b []byte) ([]byte, error) { return p.UnmarshalMsg(b) }

// marshalMsg appends the encoding of p to b.
func marshalMsg(p *Profile, b []byte) ([]byte, error) { return p.MarshalMsg(b) }
