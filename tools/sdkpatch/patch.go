package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// Patch is one file of patches/: a header naming the module, its pinned
// version and the SHA-256 of each file it changes, then unified diffs
// (as `diff -u` writes them) that change those files or add new ones.
type Patch struct {
	Name    string // file name under patches/, for messages
	Module  string
	Version string
	Sha256  map[string]string // module-relative path -> hex SHA-256 of the pinned file
	Files   []FileDiff
}

// FileDiff is the diff of one file: Path relative to the module root;
// New when the file does not exist in the module (--- /dev/null).
type FileDiff struct {
	Path  string
	New   bool
	Hunks []Hunk
}

// Hunk is one @@ block: Old lines (context and removed) expected from
// OldStart (1-based), replaced by New lines (context and added).
type Hunk struct {
	OldStart int
	Old, New []string
}

// ParsePatch reads a patch file. It is strict: every header field must be
// there, every changed file must have a checksum, and hunk line counts must
// match their headers.
func ParsePatch(name string, data []byte) (*Patch, error) {
	p := &Patch{Name: name, Sha256: map[string]string{}}
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("sdkpatch: %s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	i := 0
	for ; i < len(lines) && !strings.HasPrefix(lines[i], "--- "); i++ {
		key, value, _ := strings.Cut(lines[i], ": ")
		switch key {
		case "Module":
			p.Module = value
		case "Version":
			p.Version = value
		case "Sha256":
			file, sum, ok := strings.Cut(value, " ")
			if !ok || len(sum) != 64 {
				return nil, fail(i+1, "want \"Sha256: <path> <64 hex digits>\"")
			}
			p.Sha256[file] = sum
		}
	}
	if p.Module == "" || p.Version == "" {
		return nil, fail(1, "the header needs Module: and Version: lines")
	}
	for i < len(lines) {
		if !strings.HasPrefix(lines[i], "--- ") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "+++ ") {
			return nil, fail(i+1, "want a \"--- a/<path>\" and \"+++ b/<path>\" pair")
		}
		from, to := diffPath(lines[i]), diffPath(lines[i+1])
		var f FileDiff
		switch {
		case from == "/dev/null" && strings.HasPrefix(to, "b/"):
			f = FileDiff{Path: to[2:], New: true}
		case strings.HasPrefix(from, "a/") && to == "b/"+from[2:]:
			f = FileDiff{Path: from[2:]}
			if p.Sha256[f.Path] == "" {
				return nil, fail(i+1, "%s is changed but the header has no \"Sha256: %s ...\" line", f.Path, f.Path)
			}
		default:
			return nil, fail(i+1, "cannot read the file names %q and %q", from, to)
		}
		if f.Path != path.Clean(f.Path) || strings.HasPrefix(f.Path, "../") || path.IsAbs(f.Path) {
			return nil, fail(i+1, "path %q leaves the module", f.Path)
		}
		i += 2
		for i < len(lines) && strings.HasPrefix(lines[i], "@@ ") {
			h, next, err := parseHunk(lines, i)
			if err != nil {
				return nil, fail(i+1, "%v", err)
			}
			f.Hunks = append(f.Hunks, h)
			i = next
		}
		if len(f.Hunks) == 0 {
			return nil, fail(i+1, "%s has no hunks", f.Path)
		}
		p.Files = append(p.Files, f)
	}
	if len(p.Files) == 0 {
		return nil, fail(len(lines), "no diffs")
	}
	for file := range p.Sha256 {
		if !p.changes(file) {
			return nil, fail(1, "Sha256 names %s, which no diff changes", file)
		}
	}
	return p, nil
}

func (p *Patch) changes(file string) bool {
	for _, f := range p.Files {
		if f.Path == file && !f.New {
			return true
		}
	}
	return false
}

// diffPath takes the path from a ---/+++ line, dropping diff's timestamp.
func diffPath(line string) string {
	s := line[4:]
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	return s
}

// parseHunk reads "@@ -a,b +c,d @@" and its lines.
func parseHunk(lines []string, i int) (Hunk, int, error) {
	var h Hunk
	fields := strings.Fields(lines[i])
	if len(fields) < 4 || fields[3] != "@@" || !strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return h, 0, fmt.Errorf("bad hunk header %q", lines[i])
	}
	oldStart, oldCount, err1 := rangeOf(fields[1][1:])
	_, newCount, err2 := rangeOf(fields[2][1:])
	if err1 != nil || err2 != nil {
		return h, 0, fmt.Errorf("bad hunk header %q", lines[i])
	}
	h.OldStart = oldStart
	i++
	for ; i < len(lines) && (len(h.Old) < oldCount || len(h.New) < newCount); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "\\"): // "\ No newline at end of file"
		case l == "" || l[0] == ' ':
			if l != "" {
				l = l[1:]
			}
			h.Old = append(h.Old, l)
			h.New = append(h.New, l)
		case l[0] == '-':
			h.Old = append(h.Old, l[1:])
		case l[0] == '+':
			h.New = append(h.New, l[1:])
		default:
			return h, 0, fmt.Errorf("line %d of the hunk starts with %q", len(h.Old)+1, l[:1])
		}
	}
	if len(h.Old) != oldCount || len(h.New) != newCount {
		return h, 0, fmt.Errorf("hunk %q has %d old and %d new lines", lines[i-1], len(h.Old), len(h.New))
	}
	return h, i, nil
}

func rangeOf(s string) (start, count int, err error) {
	a, b, ok := strings.Cut(s, ",")
	if start, err = strconv.Atoi(a); err != nil {
		return
	}
	count = 1
	if ok {
		count, err = strconv.Atoi(b)
	}
	return
}

// Apply checks that original is the file the patch was written against
// (its SHA-256) and returns the patched content. For a new file original
// must be nil. Hunks must match exactly where they say: no fuzz.
func (p *Patch) Apply(f FileDiff, original []byte) ([]byte, error) {
	where := fmt.Sprintf("%s %s, %s", p.Module, p.Version, f.Path)
	if f.New {
		if original != nil {
			return nil, fmt.Errorf("sdkpatch: patch %s adds %s, but it already exists: the patch is stale", p.Name, where)
		}
	} else {
		sum := sha256.Sum256(original)
		if got := hex.EncodeToString(sum[:]); got != p.Sha256[f.Path] {
			return nil, fmt.Errorf("sdkpatch: patch %s is stale: %s has SHA-256 %s, the patch was written for %s", p.Name, where, got, p.Sha256[f.Path])
		}
	}
	var src []string
	if len(original) > 0 {
		src = strings.Split(strings.TrimSuffix(string(original), "\n"), "\n")
	}
	var out []string
	at := 0 // next unconsumed line of src, 0-based
	for n, h := range f.Hunks {
		start := h.OldStart - 1
		if len(h.Old) == 0 {
			start = h.OldStart // "-0,0" inserts after line OldStart
		}
		if start < at || start+len(h.Old) > len(src) {
			return nil, fmt.Errorf("sdkpatch: patch %s, hunk %d does not fit %s", p.Name, n+1, where)
		}
		for k, want := range h.Old {
			if src[start+k] != want {
				return nil, fmt.Errorf("sdkpatch: patch %s, hunk %d: line %d of %s is %q, want %q", p.Name, n+1, start+k+1, where, src[start+k], want)
			}
		}
		out = append(out, src[at:start]...)
		out = append(out, h.New...)
		at = start + len(h.Old)
	}
	out = append(out, src[at:]...)
	var b bytes.Buffer
	for _, l := range out {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
