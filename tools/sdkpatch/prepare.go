package main

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

//go:embed patches/*.patch
var patchFiles embed.FS

// LoadPatches parses every file in patches/, in name order.
func LoadPatches() ([]*Patch, error) {
	names, err := fs.Glob(patchFiles, "patches/*.patch")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var ps []*Patch
	for _, name := range names {
		data, err := patchFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p, err := ParsePatch(name, data)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return nil, errors.New("sdkpatch: no patches in patches/")
	}
	return ps, nil
}

// Module is a dependency as the main module's go.mod selects it.
type Module struct {
	Path, Version, Dir string
	Replace            *struct{ Path, Version string }
}

// Resolve finds the module a patch is for in the main module at root
// (`go list -m`), downloading it when the module cache lacks it, and fails
// when go.mod selects another version than the one the patch was made for.
func Resolve(root string, p *Patch) (*Module, error) {
	var m Module
	if err := goJSON(root, &m, "list", "-m", "-json", p.Module); err != nil {
		return nil, fmt.Errorf("sdkpatch: patch %s: %w", p.Name, err)
	}
	if m.Replace != nil {
		return nil, fmt.Errorf("sdkpatch: patch %s: go.mod replaces %s (=> %s %s); the patch applies only to the pinned release", p.Name, m.Path, m.Replace.Path, m.Replace.Version)
	}
	if m.Version != p.Version {
		return nil, fmt.Errorf("sdkpatch: patch %s is stale: it was made for %s %s, but go.mod selects %s %s; "+
			"remake it against %s (see tools/sdkpatch/doc.go), or drop it if that release no longer needs it",
			p.Name, p.Module, p.Version, m.Path, m.Version, m.Version)
	}
	if m.Dir == "" {
		if err := goJSON(root, &m, "mod", "download", "-json", m.Path+"@"+m.Version); err != nil {
			return nil, fmt.Errorf("sdkpatch: patch %s: %w", p.Name, err)
		}
	}
	if m.Dir == "" {
		return nil, fmt.Errorf("sdkpatch: patch %s: no directory for %s %s", p.Name, m.Path, m.Version)
	}
	return &m, nil
}

func goJSON(dir string, v any, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return json.Unmarshal(out, v)
}

// Patched is the content of each file a patch changes or adds.
type Patched struct {
	Module *Module
	Files  map[string][]byte // module-relative path -> new content
}

// ApplyAll resolves every patch's module, checks each file against its
// pinned checksum and applies the diffs in memory.
func ApplyAll(root string, ps []*Patch) ([]*Patched, error) {
	byModule := map[string]*Patched{}
	var out []*Patched
	for _, p := range ps {
		pm := byModule[p.Module]
		if pm == nil {
			m, err := Resolve(root, p)
			if err != nil {
				return nil, err
			}
			pm = &Patched{Module: m, Files: map[string][]byte{}}
			byModule[p.Module] = pm
			out = append(out, pm)
		} else if pm.Module.Version != p.Version {
			return nil, fmt.Errorf("sdkpatch: patch %s is for %s %s, another for %s", p.Name, p.Module, p.Version, pm.Module.Version)
		}
		for _, f := range p.Files {
			if _, twice := pm.Files[f.Path]; twice {
				return nil, fmt.Errorf("sdkpatch: patch %s changes %s %s, which another patch changes too", p.Name, p.Module, f.Path)
			}
			original, err := os.ReadFile(filepath.Join(pm.Module.Dir, filepath.FromSlash(f.Path)))
			if errors.Is(err, fs.ErrNotExist) {
				if !f.New {
					return nil, fmt.Errorf("sdkpatch: patch %s is stale: %s %s has no %s", p.Name, p.Module, p.Version, f.Path)
				}
				original, err = nil, nil
			}
			if err != nil {
				return nil, err
			}
			content, err := p.Apply(f, original)
			if err != nil {
				return nil, err
			}
			pm.Files[f.Path] = content
		}
	}
	return out, nil
}

// Prepare writes, under out, a copy of each patched module with its patches
// applied, and a go.mod (with go.sum) that is the main module's plus a
// replace directive to each copy. `go build -modfile=<that go.mod>` then
// builds against the patched modules; the main go.mod is untouched, so
// native builds and tests use the SDK as released. The directory is named
// by a hash of go.mod, go.sum and the patches, so an unchanged setup is
// reused and concurrent builds never see a half-written copy.
func Prepare(root, out string, ps []*Patch) (string, error) {
	patched, err := ApplyAll(root, ps)
	if err != nil {
		return "", err
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	h := sha256.New()
	for _, b := range [][]byte{gomod, gosum} {
		fmt.Fprintf(h, "%d\n", len(b))
		h.Write(b)
	}
	for _, pm := range patched {
		fmt.Fprintf(h, "%s %s\n", pm.Module.Path, pm.Module.Version)
		paths := make([]string, 0, len(pm.Files))
		for p := range pm.Files {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			fmt.Fprintf(h, "%s %d\n", p, len(pm.Files[p]))
			h.Write(pm.Files[p])
		}
	}
	out, err = filepath.Abs(out)
	if err != nil {
		return "", err
	}
	final := filepath.Join(out, hex.EncodeToString(h.Sum(nil))[:16])
	modfile := filepath.Join(final, "go.mod")
	if _, err := os.Stat(modfile); err == nil {
		now := time.Now()
		os.Chtimes(final, now, now) // in use: see prune
		return modfile, nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(out, "tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	var replace strings.Builder
	replace.WriteString("\n// Added by tools/sdkpatch: the patched copies of these modules.\n")
	for _, pm := range patched {
		dir := filepath.Join("mod", strings.ReplaceAll(pm.Module.Path, "/", "+")+"@"+pm.Module.Version)
		if err := copyTree(pm.Module.Dir, filepath.Join(tmp, dir)); err != nil {
			return "", err
		}
		for p, content := range pm.Files {
			if err := os.WriteFile(filepath.Join(tmp, dir, filepath.FromSlash(p)), content, 0o644); err != nil {
				return "", err
			}
		}
		fmt.Fprintf(&replace, "replace %s %s => %s\n", pm.Module.Path, pm.Module.Version, filepath.Join(final, dir))
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), append(gomod, replace.String()...), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), gosum, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		if _, statErr := os.Stat(modfile); statErr == nil {
			return modfile, nil // a concurrent run finished first
		}
		return "", err
	}
	prune(out, final)
	return modfile, nil
}

// copyTree copies a module directory (read-only in the module cache) into
// a writable tree.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// prune removes leftovers of interrupted runs after an hour and setups
// (other hashes: an older go.mod or patch) unused for a week; each use
// touches its setup, so one that a build in another checkout uses stays.
func prune(out, keep string) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(out, e.Name())
		info, err := e.Info()
		if p == keep || err != nil {
			continue
		}
		age := time.Since(info.ModTime())
		if strings.HasPrefix(e.Name(), "tmp-") && age > time.Hour || age > 7*24*time.Hour {
			os.RemoveAll(p)
		}
	}
}
