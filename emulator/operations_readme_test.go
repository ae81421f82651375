package emulator

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADMEListsEveryOperation keeps the README's list of operations
// (its "### Operations" section) and the dispatch table the same, so the
// list cannot drift from what the emulator answers.
func TestREADMEListsEveryOperation(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(b), "\n### Operations\n")
	if !found {
		t.Fatal(`README.md has no "### Operations" section`)
	}
	if end := strings.Index(section, "\n#"); end >= 0 {
		section = section[:end]
	}
	var listed []string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "- ") && !strings.HasPrefix(line, "  ") {
			continue
		}
		for _, m := range regexp.MustCompile("`([A-Z][A-Za-z]+)`").FindAllStringSubmatch(line, -1) {
			listed = append(listed, m[1])
		}
	}
	var served []string
	for name := range operations() {
		served = append(served, name)
	}
	slices.Sort(listed)
	slices.Sort(served)
	if dup := slices.Compact(slices.Clone(listed)); len(dup) != len(listed) {
		t.Errorf("README lists an operation twice: %v", listed)
	}
	for _, name := range served {
		if !slices.Contains(listed, name) {
			t.Errorf("%s is served but not listed in README.md's Operations", name)
		}
	}
	for _, name := range listed {
		if !slices.Contains(served, name) {
			t.Errorf("README.md's Operations lists %s, which the emulator does not serve", name)
		}
	}
}
