package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/rank"
)

// subcommand is the flag set of `hearth-catalog name`, whose usage line
// shows args after the name and then the flags.
func subcommand(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hearth-catalog "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hearth-catalog", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// inspect is `hearth-catalog inspect [-json] [-site URL] FILE`: what a
// catalogue holds and what a server sends for it.
func inspect(args []string, stdout, stderr io.Writer) error {
	fs := subcommand("inspect", "[-json] [-site URL] FILE", stderr)
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	site := fs.String("site", "", "also report item URLs that are not on this `site` (https://example.com)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("inspect: give one catalogue file")
	}
	path := fs.Arg(0)
	var parts []pack.Part
	var whole *catalog.Catalogue
	if strings.HasSuffix(path, ".json") {
		// A manifest: the base file, then the catalogue of base and
		// segments as a browser decodes it.
		c, m, err := pack.ReadManifest(path)
		if err != nil {
			return fmt.Errorf("inspect: %w", err)
		}
		path, parts, whole = filepath.Join(filepath.Dir(path), m.Name), m.Segments, c
	}
	in, err := pack.Inspect(path)
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	if whole != nil {
		in.Catalogue = whole
	}
	var off []pack.OffSite
	if *site != "" {
		if off, err = pack.CheckSite(in.Catalogue.Items, *site); err != nil {
			return fmt.Errorf("inspect: -site: %w", err)
		}
	}
	if *asJSON {
		return printJSON(stdout, in, off, parts)
	}
	printText(stdout, in)
	if len(parts) > 0 {
		fmt.Fprintf(stdout, "\nsegments (%d, appended to %s in this order):\n", len(parts), filepath.Base(path))
		for _, p := range parts {
			fmt.Fprintf(stdout, "  %s  %d items, %d removed, %d bytes, generated %s\n", p.Name, p.Items, p.Removed, p.Bytes, p.Generated)
		}
	}
	warnOffSite(stdout, in.Catalogue, *site, off)
	return nil
}

// inspectItem is an item as inspect prints it.
type inspectItem struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Section   string   `json:"section,omitempty"`
	Topics    []string `json:"topics"`
	Published string   `json:"published,omitempty"` // RFC 3339, UTC
}

func inspectItems(c *catalog.Catalogue) []inspectItem {
	out := make([]inspectItem, 0, len(c.Items))
	for _, it := range c.Items {
		v := inspectItem{ID: it.ID, URL: it.URL, Title: it.Title, Section: it.Section, Topics: []string{}}
		for _, tw := range it.Topics {
			if int(tw.Topic) < len(c.Topics) {
				v.Topics = append(v.Topics, c.Topics[tw.Topic])
			}
		}
		if it.Published != 0 {
			v.Published = time.Unix(it.Published, 0).UTC().Format(time.RFC3339)
		}
		out = append(out, v)
	}
	return out
}

func printJSON(w io.Writer, in *pack.Inspection, off []pack.OffSite, parts []pack.Part) error {
	c := in.Catalogue
	vectors := 0
	for _, it := range c.Items {
		if it.Scale != 0 {
			vectors++
		}
	}
	type offSite struct {
		Count   int    `json:"count"`
		Prefix  string `json:"prefix"`
		Fix     string `json:"url_prefix"` // the -url-prefix value suggested
		Example string `json:"example"`
	}
	v := struct {
		File      string              `json:"file"`
		ID        string              `json:"id"`
		Generated string              `json:"generated"`
		Bytes     int                 `json:"bytes"`
		SHA256    string              `json:"sha256"`
		Siblings  []pack.SiblingState `json:"siblings"`
		Topics    []string            `json:"topics"`
		Dim       int                 `json:"dim"`
		Vectors   int                 `json:"vectors"`
		// Learned says the vectors carry YᵀY and λ for the reader's
		// fold-in (collaborative vectors); Lambda is that λ.
		Learned   bool            `json:"learned"`
		Lambda    float32         `json:"lambda,omitempty"`
		ReasonMin float32         `json:"topic_reason_min"`
		Hosts     map[string]int  `json:"hosts"`
		OffSite   []offSite       `json:"off_site,omitempty"`
		Policy    pack.PolicyFile `json:"policy"`
		Items     []inspectItem   `json:"items"`
		Segments  []pack.Part     `json:"segments,omitempty"`
	}{
		File: in.Path, ID: c.ID, Generated: time.Unix(c.Generated, 0).UTC().Format(time.RFC3339),
		Bytes: in.Bytes, SHA256: in.SHA256, Siblings: in.Siblings, Topics: c.Topics, Dim: c.Dim, Vectors: vectors,
		Learned: len(c.Gram) > 0, Lambda: c.Lambda, ReasonMin: c.Policy.WithDefaults().TopicReasonMin,
		Hosts: pack.Hosts(c.Items), Policy: pack.PolicyFileOf(c.Policy), Items: inspectItems(c), Segments: parts,
	}
	if v.Siblings == nil {
		v.Siblings = []pack.SiblingState{}
	}
	for _, o := range off {
		v.OffSite = append(v.OffSite, offSite{o.Count, o.Prefix, o.Prefix + "=" + o.Replace, o.Example})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printText(w io.Writer, in *pack.Inspection) {
	c := in.Catalogue
	vectors := 0
	for _, it := range c.Items {
		if it.Scale != 0 {
			vectors++
		}
	}
	fmt.Fprintf(w, "%s: catalogue %s, generated %s\n", in.Path, c.ID, time.Unix(c.Generated, 0).UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "  %d items, %d topics, vectors of %d dimensions on %d items\n", len(c.Items), len(c.Topics), c.Dim, vectors)
	// What decides a reader's vector and the "You follow" reasons is public
	// in the file; saying it here lets a publisher or an auditor check it.
	if len(c.Gram) > 0 {
		fmt.Fprintf(w, "  fold-in   learned vectors with YᵀY and λ %g: a reader's vector is fitted to their items (implicit ALS), each event's weight halving with every %d later moments of theirs\n", c.Lambda, rank.RecentMoments)
	} else if vectors > 0 {
		fmt.Fprintln(w, "  fold-in   none: a reader's vector is the weighted mean of their items' vectors")
	}
	fmt.Fprintf(w, "  reasons   \"You follow\" a topic when the item weighs it at least %g (a publisher's tag weighs 1)\n", c.Policy.WithDefaults().TopicReasonMin)
	fmt.Fprintf(w, "  size      %d bytes, sha256 %s\n", in.Bytes, in.SHA256)
	if len(in.Siblings) == 0 {
		fmt.Fprintln(w, "  siblings  none: a server sends it uncompressed unless it compresses by itself")
	}
	for _, s := range in.Siblings {
		state := "decodes to it"
		if !s.Matches {
			state = "STALE: decodes to other bytes"
		}
		if s.Sent {
			state += "; sent by web/serve"
		} else {
			state += "; not sent by web/serve (its sibling index says it was compressed from other bytes)"
		}
		fmt.Fprintf(w, "  %-9s %d bytes (%.1f%%), %s: %s\n", s.Encoding, s.Bytes, 100*float64(s.Bytes)/float64(max(in.Bytes, 1)), s.Name, state)
	}
	hosts := pack.Hosts(c.Items)
	names := slices.SortedFunc(maps.Keys(hosts), func(a, b string) int {
		return cmp.Or(cmp.Compare(hosts[b], hosts[a]), strings.Compare(a, b))
	})
	var parts []string
	for _, h := range names {
		label := h
		if h == "" {
			label = "site-relative paths"
		}
		parts = append(parts, fmt.Sprintf("%s %d", label, hosts[h]))
	}
	fmt.Fprintf(w, "  URLs      %s\n", strings.Join(parts, ", "))

	fmt.Fprintln(w, "\npolicy (the form of a -policy file):")
	b, _ := json.MarshalIndent(pack.PolicyFileOf(c.Policy), "  ", "  ")
	fmt.Fprintf(w, "  %s\n", b)

	fmt.Fprintf(w, "\nitems (%d):\n", len(c.Items))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	// The URL last: it is often long, and the last column is not padded.
	fmt.Fprintln(tw, "  ID\tPUBLISHED\tTITLE\tTOPICS\tURL")
	for _, it := range inspectItems(c) {
		date := "-"
		if it.Published != "" {
			date = it.Published[:len("2006-01-02")]
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", it.ID, date, clip(it.Title, 50), clip(strings.Join(it.Topics, ", "), 40), it.URL)
	}
	tw.Flush()
}

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// warnOffSite prints one line per group of item URLs that are not on site,
// with the -url-prefix rewrite that would put them there.
func warnOffSite(w io.Writer, c *catalog.Catalogue, site string, off []pack.OffSite) {
	for _, o := range off {
		fmt.Fprintf(w, "warning: %d of %d item URLs are not on %s: they start with %s (for example %s). Add -url-prefix %s=%s if that is where the pages are\n",
			o.Count, len(c.Items), site, o.Prefix, o.Example, o.Prefix, o.Replace)
	}
}

// siblingSizes describes the siblings written, " (br 123, gzip 456)".
func siblingSizes(m pack.Manifest) string {
	var parts []string
	for _, s := range m.Siblings {
		parts = append(parts, fmt.Sprintf("%s %d", s.Encoding, s.Bytes))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
