//go:build hearthlean

package profile

// The profile codec of builds tagged hearthlean (the wasm engine): the lean
// codec generated into profile_lean_gen.go and migrate_lean_gen.go, which
// produces and accepts the same bytes as the msgp-generated one without
// linking the msgp runtime. See codec_msgp.go.

// unmarshalMsg decodes b into p and returns the bytes after the profile.
func unmarshalMsg(p *Profile, b []byte) ([]byte, error) { return unmarshalLean(p, b) }

// unmarshalMsgV1 decodes a version-1 profile.
func unmarshalMsgV1(p *profileV1, b []byte) ([]byte, error) { return unmarshalLeanV1(p, b) }

// marshalMsg appends the encoding of p to b.
func marshalMsg(p *Profile, b []byte) ([]byte, error) { return marshalLean(p, b), nil }
