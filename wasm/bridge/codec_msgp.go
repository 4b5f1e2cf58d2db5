//go:build !hearthlean

package bridge

// The message codec of ordinary builds is the msgp-generated reference.
// Builds tagged hearthlean (the wasm engine) use the generated lean codec
// instead, see codec_lean.go; they leave out message_gen.go, whose import of
// the msgp runtime would cost every reader about 250 KB of brotli.

func decodeRequest(r *Request, b []byte) ([]byte, error) { return r.UnmarshalMsg(b) }

func encodeResponse(resp *Response) ([]byte, error) { return resp.MarshalMsg(nil) }
