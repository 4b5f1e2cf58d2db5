package bridge

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// asTarget is an error with an As method that yields an *opError.
type asTarget struct{ oe *opError }

func (e asTarget) Error() string { return "as target" }

func (e asTarget) As(target any) bool {
	if p, ok := target.(**opError); ok && e.oe != nil {
		*p = e.oe
		return true
	}
	return false
}

// TestAsOpError: asOpError finds the same *opError as errors.As in every
// shape of error tree: bare, wrapped, joined, behind an As method, absent.
func TestAsOpError(t *testing.T) {
	a, b := &opError{code: "a", msg: "first"}, &opError{code: "b", msg: "second"}
	for name, err := range map[string]error{
		"bare":        a,
		"wrapped":     fmt.Errorf("context: %w", a),
		"twice":       fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", b)),
		"joined":      errors.Join(errors.New("plain"), fmt.Errorf("x: %w", b), a),
		"multi %w":    fmt.Errorf("%w and %w", errors.New("plain"), a),
		"As method":   fmt.Errorf("x: %w", asTarget{oe: b}),
		"As refuses":  asTarget{},
		"absent":      fmt.Errorf("x: %w", errors.New("plain")),
		"joined none": errors.Join(errors.New("p"), errors.New("q")),
		"nil":         nil,
	} {
		var want *opError
		errors.As(err, &want)
		require.Same(t, want, asOpError(err), name)
	}
}
