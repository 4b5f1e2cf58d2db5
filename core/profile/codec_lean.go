//go:build hearthlean

package profile

// The profile codec of builds tagged hearthlean (the wasm engine): the lean
// codec generated into profile_lean_gen.go and migrate_lean_gen.go, which
// produces and accepts the same bytes as the msgp-generated one without
// linking the msgp runtime. See codec_msgp.go.

// unmarshalChecked decodes a current profile within its limits in one walk
// (readChecked).
func unmarshalChecked(b []byte) (*Profile, error) { return readChecked(b) }

// unmarshalMsgV1 decodes a version-1 profile.
func unmarshalMsgV1(p *profileV1, b []byte) ([]byte, error) { return unmarshalLeanV1(p, b) }

// marshalMsg appends the encoding of p to b.
func marshalMsg(p *Profile, b []byte) ([]byte, error) { return marshalLean(p, b), nil }
