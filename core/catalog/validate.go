package catalog

import (
	"fmt"
	"math"
	"strings"
)

// Validate checks the rules of the format that decoding alone does not:
// unique non-empty ids, safe URLs, vector lengths equal to Dim, topic
// indices inside the vocabulary, weights and priors in range, finite
// numbers, and a valid policy. Errors wrap ErrInvalid (or ErrPolicy) and
// name the item index, id and field. On success it builds the id index
// [Catalogue.Find] uses, so call it after building a catalogue in memory.
func (c *Catalogue) Validate() error {
	if c.Dim < 0 || c.Dim > DefaultMaxDim {
		return fmt.Errorf("%w: dim %d out of [0, %d]", ErrInvalid, c.Dim, DefaultMaxDim)
	}
	if len(c.Topics) > DefaultMaxTopics {
		return fmt.Errorf("%w: %d topics, more than uint16 indices address", ErrInvalid, len(c.Topics))
	}
	if len(c.Gram) != 0 && len(c.Gram) != c.Dim*c.Dim {
		return fmt.Errorf("%w: gram has %d values, want dim² = %d", ErrInvalid, len(c.Gram), c.Dim*c.Dim)
	}
	for k, g := range c.Gram {
		if !finite(g) {
			return fmt.Errorf("%w: gram[%d] is %v", ErrInvalid, k, g)
		}
	}
	if !finite(c.Lambda) || c.Lambda < 0 {
		return fmt.Errorf("%w: lambda %v, want a finite value >= 0", ErrInvalid, c.Lambda)
	}
	if len(c.Gram) != 0 && c.Lambda == 0 {
		return fmt.Errorf("%w: lambda must be > 0 when gram is set", ErrInvalid)
	}
	seenTopic := make(map[string]struct{}, len(c.Topics))
	for i, t := range c.Topics {
		if t == "" {
			return fmt.Errorf("%w: topic %d is empty", ErrInvalid, i)
		}
		if _, dup := seenTopic[t]; dup {
			return fmt.Errorf("%w: topic %d %q appears twice in the vocabulary", ErrInvalid, i, clip(t))
		}
		seenTopic[t] = struct{}{}
	}
	if err := c.Policy.Validate(); err != nil {
		return err
	}
	index := make(map[string]int, len(c.Items))
	for i := range c.Items {
		if err := c.validateItem(i); err != nil {
			return err
		}
		id := c.Items[i].ID
		if j, dup := index[id]; dup {
			return fmt.Errorf("%w: item %d %q: id: duplicate of item %d", ErrInvalid, i, clip(id), j)
		}
		index[id] = i
	}
	c.index = index
	return nil
}

func (c *Catalogue) validateItem(i int) error {
	it := &c.Items[i]
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: item %d %q: %s: %s", ErrInvalid, i, clip(it.ID), field, fmt.Sprintf(format, args...))
	}
	if it.ID == "" {
		return bad("id", "empty")
	}
	if hasControl(it.ID) {
		return bad("id", "contains control characters")
	}
	if reason := checkURL(it.URL); reason != "" {
		return bad("url", "%s", reason)
	}
	if strings.TrimSpace(it.Title) == "" {
		return bad("title", "empty")
	}
	if n := len(it.Vector); n != 0 && n != c.Dim {
		return bad("vec", "%d values, want dim %d", n, c.Dim)
	}
	if !finite(it.Scale) || it.Scale < 0 {
		return bad("scale", "%v, want a finite value >= 0", it.Scale)
	}
	if len(it.Vector) != 0 && it.Scale == 0 {
		return bad("scale", "0 with a vector")
	}
	if !finite(it.Popularity) || it.Popularity < 0 || it.Popularity > 1 {
		return bad("pop", "%v out of [0, 1]", it.Popularity)
	}
	for k, tw := range it.Topics {
		if int(tw.Topic) >= len(c.Topics) {
			return bad("topics", "entry %d: topic index %d, vocabulary has %d", k, tw.Topic, len(c.Topics))
		}
		if !finite(tw.Weight) || tw.Weight <= 0 || tw.Weight > 1 {
			return bad("topics", "entry %d: weight %v out of (0, 1]", k, tw.Weight)
		}
		for _, prev := range it.Topics[:k] {
			if prev.Topic == tw.Topic {
				return bad("topics", "entry %d: topic %d repeated", k, tw.Topic)
			}
		}
	}
	return nil
}

// checkURL accepts absolute http(s) URLs and root-relative paths only: a
// recommendation becomes a link in the publisher's page, and a javascript:
// or data: URL there would run in it.
func checkURL(u string) string {
	switch {
	case u == "":
		return "empty"
	case hasControl(u) || strings.ContainsAny(u, " \\<>\"'`"):
		return "contains spaces, quotes, backslashes or control characters"
	case strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "http://"):
		host := u[strings.Index(u, "//")+2:]
		if host == "" || host[0] == '/' || host[0] == '?' || host[0] == '#' {
			return "no host"
		}
		return ""
	case strings.HasPrefix(u, "//"):
		return "scheme-relative URLs are not allowed"
	case strings.HasPrefix(u, "/"):
		return ""
	}
	return "want an http(s) URL or a path starting with /"
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func finite(f float32) bool {
	return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0)
}

// Find returns the index of the item with the given id. It uses the index
// built by Validate and falls back to a scan when the items changed since.
func (c *Catalogue) Find(id string) (int, bool) {
	if i, ok := c.index[id]; ok && i < len(c.Items) && c.Items[i].ID == id {
		return i, true
	}
	if len(c.index) == len(c.Items) && c.index != nil {
		return 0, false
	}
	for i := range c.Items {
		if c.Items[i].ID == id {
			return i, true
		}
	}
	return 0, false
}

// TopicIndex returns the vocabulary index of a topic name.
func (c *Catalogue) TopicIndex(name string) (int, bool) {
	for i, t := range c.Topics {
		if t == name {
			return i, true
		}
	}
	return 0, false
}

// Sensitive reports whether reading item i must never enter a profile: its
// section or one of its topics is in the policy's Sensitive list.
func (c *Catalogue) Sensitive(i int) bool {
	if len(c.Policy.Sensitive) == 0 {
		return false
	}
	it := &c.Items[i]
	for _, s := range c.Policy.Sensitive {
		if strings.EqualFold(s, it.Section) && it.Section != "" {
			return true
		}
		for _, tw := range it.Topics {
			if int(tw.Topic) < len(c.Topics) && strings.EqualFold(s, c.Topics[tw.Topic]) {
				return true
			}
		}
	}
	return false
}
