// Package shareddata finds the development data that lives beside the
// repository, in ../shared/data (real feeds, The Go Blog, MovieLens), for
// tests that read real input. The data is not part of the project: some of it
// may not be redistributed.
//
// A fresh clone has no such folder, so a test skips with a message saying
// what is missing; under CI (CI=true) the data must be there, and a missing
// folder fails the test instead of letting it pass unseen.
//
//	dir := shareddata.Dir(t, "feeds/rss-parser")
package shareddata

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// ErrNoModule means no go.mod was found at or above a directory.
var ErrNoModule = errors.New("shareddata: no go.mod above the directory")

// Root returns the module root: the nearest folder at or above the working
// directory that holds go.mod.
func Root() (string, error) { return ModuleRoot(".") }

// ModuleRoot returns the nearest directory at or above dir that holds go.mod.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoModule
		}
		dir = parent
	}
}

// Path returns ../shared/data/sub relative to the module root, whether or
// not it exists.
func Path(sub string) (string, error) {
	root, err := Root()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "..", "shared", "data", filepath.FromSlash(sub)), nil
}

// Dir returns ../shared/data/sub, skipping the test when it is absent
// (failing it under CI).
func Dir(t testing.TB, sub string) string {
	t.Helper()
	p, err := Path(sub)
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared test data %s is required in CI: %v", sub, err)
		}
		t.Skipf("shared test data %s not present (it lives in ../shared/data beside the repository): %v", sub, err)
	}
	return p
}
