// Package trial records a Go twin's run into golab's trial folder layout, the one the Java lab
// workloads write (golab.workloads.record.TrialFolder, TrialRecording, TrialManifest), so that the
// harness reads a Go trial and a golab trial with the same code:
//
//	<trials>/<benchmark>/<params>/fork-<n>/
//	    trial.json         the manifest, "incomplete" until the run ends
//	    <stream>.hlog      HdrHistogram interval logs (format 1.3), nanoseconds, one interval per
//	                       iteration tagged warmup or measurement
//	    gctrace.txt        what the runtime wrote to stderr under GODEBUG=gctrace=1
//	    metrics.json       a runtime/metrics snapshot per iteration
//
// Every file is rewritten whole through a temporary file and a rename, so a reader, or a run killed
// at any moment, sees complete files only.
package trial

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// File names and tags, as in TrialFolder.java.
const (
	TrialFile   = "trial.json"
	GCTraceFile = "gctrace.txt"
	MetricsFile = "metrics.json"
	HlogSuffix  = ".hlog"
	Warmup      = "warmup"
	Measurement = "measurement"
	Incomplete  = "incomplete"
	Complete    = "complete"
)

// Manifest is trial.json (TrialManifest.java); the JSON names are the Java record's components.
type Manifest struct {
	Benchmark  string            `json:"benchmark"`
	Params     map[string]string `json:"params"`
	Pid        int               `json:"pid"`
	Status     string            `json:"status"`
	Streams    []string          `json:"streams"`
	Iterations []Iteration       `json:"iterations"`
	StartedAt  string            `json:"startedAt"` // ISO-8601 UTC
	EndedAt    *string           `json:"endedAt"`   // null while incomplete
}

// Iteration is one finished iteration; Index counts from 1 over warmup and measurement together.
type Iteration struct {
	Index   int    `json:"index"`
	Type    string `json:"type"`
	StartMs int64  `json:"startMs"`
	EndMs   int64  `json:"endMs"`
}

// CreateFolder claims the next free fork-<n> folder for benchmark and params under root. The
// claim is an exclusive mkdir, so concurrent runs of the same parameters never share a folder.
func CreateFolder(root, benchmark string, params map[string]string) (string, error) {
	parent := filepath.Join(root, safe(benchmark), ParametersName(params))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	for fork := 1; ; fork++ {
		dir := filepath.Join(parent, "fork-"+strconv.Itoa(fork))
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
}

// ParametersName is name=value pairs sorted by name and joined with commas, "default" for none.
func ParametersName(params map[string]string) string {
	if len(params) == 0 {
		return "default"
	}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs := make([]string, len(names))
	for i, k := range names {
		pairs[i] = safe(k) + "=" + safe(params[k])
	}
	return strings.Join(pairs, ",")
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// safe keeps names portable: anything but letters, digits and . _ - becomes _ (as in Java).
func safe(name string) string { return unsafeChars.ReplaceAllString(name, "_") }

// WriteFileAtomic writes data to a fresh hidden file beside path, syncs it and renames it over
// path: readers see the old content or the new, never a part.
func WriteFileAtomic(path string, data []byte) error {
	var suffix [8]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"."+hex.EncodeToString(suffix[:])+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
