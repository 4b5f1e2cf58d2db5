//go:build hearthlean

package bridge

import "github.com/hearth-dev/hearth/core/wire"

// The message codec of builds tagged hearthlean (the wasm engine): the lean
// codec generated into message_lean_gen.go, which accepts and produces the
// same bytes as the msgp-generated one without linking the msgp runtime.
// See codec_msgp.go.

func decodeRequest(req *Request, b []byte) ([]byte, error) {
	r := wire.NewReader(b)
	req.readMsg(r)
	return r.Rest(), r.Err()
}

func encodeResponse(resp *Response) ([]byte, error) { return resp.appendMsg(nil), nil }
