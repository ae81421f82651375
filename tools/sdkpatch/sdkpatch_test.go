package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// root is the main module's directory (the test runs in tools/sdkpatch).
const root = "../.."

// TestPatchesApplyToPinnedVersions is the guard against a go.mod upgrade:
// every patch must be for the version go.mod selects and every file it
// changes must be byte for byte the one it was written against.
func TestPatchesApplyToPinnedVersions(t *testing.T) {
	ps, err := LoadPatches()
	if err != nil {
		t.Fatal(err)
	}
	patched, err := ApplyAll(root, ps)
	if err != nil {
		t.Fatalf("the SDK patches no longer apply (an upgrade in go.mod?):\n%v", err)
	}
	for _, pm := range patched {
		for path, content := range pm.Files {
			if len(content) == 0 || !bytes.Contains(content, []byte("cognito-wasm")) {
				t.Errorf("%s %s: patched %s does not mention cognito-wasm", pm.Module.Path, pm.Module.Version, path)
			}
		}
	}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

const original = "package x\n\nfunc A() int {\n\treturn 1\n}\n\nfunc B() int {\n\treturn 2\n}\n"

func testPatch(t *testing.T, sha string) *Patch {
	t.Helper()
	text := "Why: a test.\nModule: example.com/m\nVersion: v1.2.3\nSha256: x.go " + sha + "\n\n" +
		"--- a/x.go\n+++ b/x.go\n@@ -3,3 +3,3 @@\n func A() int {\n-\treturn 1\n+\treturn 10\n }\n" +
		"@@ -8,2 +8,3 @@\n \treturn 2\n+\t// two\n }\n" +
		"--- /dev/null\n+++ b/y.go\n@@ -0,0 +1,2 @@\n+package x\n+// new\n"
	p, err := ParsePatch("test.patch", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApply(t *testing.T) {
	p := testPatch(t, sum(original))
	got, err := p.Apply(p.Files[0], []byte(original))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(strings.Replace(original, "return 1", "return 10", 1), "return 2\n", "return 2\n\t// two\n", 1)
	if string(got) != want {
		t.Errorf("Apply = %q; want %q", got, want)
	}
	got, err = p.Apply(p.Files[1], nil)
	if err != nil || string(got) != "package x\n// new\n" {
		t.Errorf("Apply(new file) = %q, %v; want the added lines", got, err)
	}
}

func TestApplyRefusesStale(t *testing.T) {
	changed := strings.Replace(original, "return 2", "return 3", 1)
	for _, tc := range []struct {
		name     string
		sha      string
		file     int
		content  []byte
		wantErrs []string
	}{
		{"checksum differs", sum(original), 0, []byte(changed), []string{"stale", "example.com/m v1.2.3", "x.go", sum(changed)}},
		{"hunk does not match", sum(changed), 0, []byte(changed), []string{"hunk 2", "x.go", `"\treturn 3"`}},
		{"added file exists", sum(original), 1, []byte("package x\n"), []string{"stale", "y.go", "already exists"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPatch(t, tc.sha)
			_, err := p.Apply(p.Files[tc.file], tc.content)
			if err == nil {
				t.Fatalf("Apply = nil error; want one containing %q", tc.wantErrs)
			}
			for _, w := range tc.wantErrs {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Apply error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParsePatchRejects(t *testing.T) {
	head := "Module: example.com/m\nVersion: v1.2.3\n"
	diff := "--- a/x.go\n+++ b/x.go\n@@ -1,1 +1,1 @@\n-a\n+b\n"
	for _, tc := range []struct{ name, text, want string }{
		{"no module", "Version: v1\n" + diff, "Module"},
		{"changed file without checksum", head + diff, "no \"Sha256: x.go"},
		{"checksum of an unchanged file", head + "Sha256: z.go " + sum("") + "\nSha256: x.go " + sum("") + "\n" + diff, "z.go"},
		{"short hunk", head + "Sha256: x.go " + sum("") + "\n--- a/x.go\n+++ b/x.go\n@@ -1,2 +1,1 @@\n-a\n+b\n", "old"},
		{"path outside the module", head + "--- /dev/null\n+++ b/../x.go\n@@ -0,0 +1,1 @@\n+a\n", "leaves the module"},
		{"no diffs", head, "no diffs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePatch("t.patch", []byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParsePatch = %v; want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestResolveRefusesOtherVersion: a patch made for another release than
// the one go.mod selects is reported as stale, naming both versions.
func TestResolveRefusesOtherVersion(t *testing.T) {
	ps, err := LoadPatches()
	if err != nil {
		t.Fatal(err)
	}
	p := *ps[0]
	p.Version = "v0.0.1"
	_, err = Resolve(root, &p)
	if err == nil || !strings.Contains(err.Error(), "stale") || !strings.Contains(err.Error(), "v0.0.1") {
		t.Fatalf("Resolve(%s at v0.0.1) = %v; want a stale-patch error naming v0.0.1", p.Module, err)
	}
}

// removedByPatches are what the patches keep out of the wasm module: the
// SDK's default HTTP client and httputil.DumpRequestOut, net/http's
// Transport and the TLS client and x509 behind them, and regexp (compiled
// at start-up for the partition table).
var removedByPatches = []string{
	"net/http/httputil.DumpRequestOut",
	"github.com/aws/aws-sdk-go-v2/aws/transport/http.(*BuildableClient).Do",
	"net/http.(*Transport).RoundTrip",
	"crypto/tls.(*Conn).clientHandshake",
	"crypto/x509.(*Certificate).Verify",
	"regexp.compile",
}

// linkedSymbols builds ./wasm for GOOS=js (with modfile when not empty) and
// returns the symbols the linker kept, from -dumpdep.
func linkedSymbols(t *testing.T, modfile string) map[string]bool {
	t.Helper()
	args := []string{"build"}
	if modfile != "" {
		args = append(args, "-modfile="+modfile)
	}
	args = append(args, "-trimpath", "-ldflags=-dumpdep", "-o", os.DevNull, "./wasm")
	build := exec.Command("go", args...)
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	build.Stderr = &stderr
	if err := build.Run(); err != nil {
		t.Fatalf("wasm build (modfile %q): %v\n%s", modfile, err, tail(stderr.String()))
	}
	linked := map[string]bool{}
	sc := bufio.NewScanner(&stderr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if _, to, ok := strings.Cut(sc.Text(), " -> "); ok {
			linked[to] = true
		}
	}
	return linked
}

// TestPatchedWasm builds the wasm module as it ships (patched) and checks
// that none of removedByPatches is linked; then builds it unpatched and
// checks that some are, so the patches still earn their place. (Since the
// module sends every Cognito call through internal/cognitorpc, the SDK's
// operation code is not linked; what the patches still remove comes in
// through the SDK packages' start-up code, which the types alone pull in.)
// Then it runs probe/ under GOOS=js against the patched modules to check
// their behaviour.
func TestPatchedWasm(t *testing.T) {
	ps, err := LoadPatches()
	if err != nil {
		t.Fatal(err)
	}
	modfile, err := Prepare(root, t.TempDir(), ps)
	if err != nil {
		t.Fatal(err)
	}
	patched := linkedSymbols(t, modfile)
	for _, sym := range removedByPatches {
		if patched[sym] {
			t.Errorf("%s is linked into the wasm module (find why with go build -ldflags=-dumpdep)", sym)
		}
	}
	unpatched := linkedSymbols(t, "")
	var still []string
	for _, sym := range removedByPatches {
		if unpatched[sym] {
			still = append(still, sym)
		}
	}
	if len(still) == 0 {
		t.Errorf("without the patches the wasm module links none of %v: the patches are no longer needed; remove them", removedByPatches)
	} else {
		t.Logf("without the patches the module would link %v", still)
	}

	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	probe := exec.Command("go", "run", "-modfile="+modfile, "-trimpath",
		"-exec="+filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "go_js_wasm_exec"), "./tools/sdkpatch/probe")
	probe.Dir = root
	probe.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := probe.CombinedOutput(); err != nil {
		t.Errorf("the patched SDK misbehaves (probe/): %v\n%s", err, out)
	}
}

func tail(s string) string {
	if len(s) > 4000 {
		return "..." + s[len(s)-4000:]
	}
	return s
}

// TestRegionMatcherAgreesWithRegexp runs the region matcher that the
// aws-sdk-go-v2 patch adds (in place of regexp) beside regexp itself, on
// every regionRegex of the pinned partition table and on made-up patterns,
// over many regions: it must give the same answer, or panic on syntax it
// does not know. It builds the patch's new file alone in a scratch module.
func TestRegionMatcherAgreesWithRegexp(t *testing.T) {
	ps, err := LoadPatches()
	if err != nil {
		t.Fatal(err)
	}
	const file = "internal/endpoints/awsrulesfn/cognitowasm_regionmatch.go"
	var matcher []byte
	var table []byte
	for _, p := range ps {
		for _, f := range p.Files {
			if f.New && f.Path == file {
				if matcher, err = p.Apply(f, nil); err != nil {
					t.Fatal(err)
				}
				m, err := Resolve(root, p)
				if err != nil {
					t.Fatal(err)
				}
				if table, err = os.ReadFile(filepath.Join(m.Dir, "internal", "endpoints", "awsrulesfn", "partitions.go")); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if matcher == nil {
		t.Fatalf("no patch adds %s", file)
	}
	var patterns []string
	for _, line := range strings.Split(string(table), "\n") {
		if _, q, ok := strings.Cut(line, "RegionRegex: "); ok {
			patterns = append(patterns, strings.TrimSuffix(strings.TrimSpace(q), ","))
		}
	}
	if len(patterns) < 5 {
		t.Fatalf("found %d regionRegex patterns in the pinned partitions.go; want the whole table", len(patterns))
	}
	dir := t.TempDir()
	harness := `package awsrulesfn

import (
	"regexp"
	"testing"
)

var patterns = []string{` + strings.Join(patterns, ", ") + `, "^a\\-\\d+$", "^(x|xy)\\w+$", "^\\w+\\-(b|bc)\\-\\d+$"}

func TestAgree(t *testing.T) {
	var regions []string
	for _, head := range []string{"us", "eu", "ap", "mx", "cn", "eusc", "eusc-de", "eusc-fr", "us-iso", "us-isob", "eu-isoe", "us-isof", "us-gov", "zz", "a", "xy", "x", "US", "u_s", ""} {
		for _, mid := range []string{"-east", "-northeast", "-gov-west", "-iso-east", "-de-east", "-b", "-bc", "", "-", "--"} {
			for _, tail := range []string{"-1", "-12", "-x", "-", "", "1", " "} {
				regions = append(regions, head+mid+tail)
			}
		}
	}
	n := 0
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		for _, r := range regions {
			if got, want := matchRegionRegex(p, r), re.MatchString(r); got != want {
				t.Errorf("matchRegionRegex(%q, %q) = %v; regexp says %v", p, r, got, want)
			}
			if re.MatchString(r) {
				n++
			}
		}
	}
	if n < len(patterns) {
		t.Errorf("only %d matching pairs: the regions do not exercise every pattern", n)
	}
	for _, p := range []string{"us-east-1", "^us.*$", "^[a-z]+$", "^(us|e.)$"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("matchRegionRegex(%q) did not panic on syntax it does not know", p)
				}
			}()
			matchRegionRegex(p, "us-east-1")
		}()
	}
}
`
	for name, content := range map[string][]byte{
		"go.mod":        []byte("module matchertest\n\ngo 1.22\n"),
		"matcher.go":    matcher,
		"agree_test.go": []byte(harness),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "test", "-count=1", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the region matcher disagrees with regexp: %v\n%s", err, out)
	}
}
