package trial

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golab/internal/hdrhistogram"
)

func TestParametersName(t *testing.T) {
	got := ParametersName(map[string]string{"rate": "1000", "gogc": "off", "liveHeap": "64 MiB"})
	if got != "gogc=off,liveHeap=64_MiB,rate=1000" || ParametersName(nil) != "default" {
		t.Fatalf("got %q", got)
	}
}

// A trial in process: forks are numbered, streams get one tagged interval per iteration, and the
// manifest ends complete.
func TestRecording(t *testing.T) {
	root := t.TempDir()
	params := map[string]string{"gogc": "100"}
	if _, err := CreateFolder(root, "go.test", params); err != nil {
		t.Fatal(err)
	}
	rec, err := Start(root, "go.test", params)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(rec.Dir()) != "fork-2" {
		t.Fatalf("second trial of the same parameters went to %s", rec.Dir())
	}
	latency := rec.Recorder("latency")
	rec.RuntimeHistogram("gc-pauses", "/gc/pauses:seconds")
	latency.Record(5) // before Begin: dropped
	rec.Begin()
	latency.Record(1000)
	if err := rec.EndIteration(true); err != nil {
		t.Fatal(err)
	}
	latency.Record(2000)
	latency.Record(3000)
	runtime.GC()
	runtime.GC()
	if err := rec.EndIteration(false); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}

	var m Manifest
	data, _ := os.ReadFile(filepath.Join(rec.Dir(), TrialFile))
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Status != Complete || m.EndedAt == nil || len(m.Iterations) != 2 || m.Iterations[1].Type != Measurement ||
		strings.Join(m.Streams, ",") != "latency,gc-pauses" {
		t.Fatalf("manifest %s", data)
	}
	if counts := intervalCounts(t, filepath.Join(rec.Dir(), "latency"+HlogSuffix)); len(counts) != 2 ||
		counts[0] != 1 || counts[1] != 2 {
		t.Fatalf("latency interval counts %v", counts)
	}
	// Two forced cycles, two stop-the-world pauses each, in the second interval: the runtime's cumulative
	// histogram is read as its growth per interval.
	if counts := intervalCounts(t, filepath.Join(rec.Dir(), "gc-pauses"+HlogSuffix)); len(counts) != 2 ||
		counts[1] < 4 {
		t.Fatalf("gc-pauses interval counts %v", counts)
	}
	for _, f := range []string{GCTraceFile, MetricsFile, "gc-pauses" + HlogSuffix} {
		if _, err := os.Stat(filepath.Join(rec.Dir(), f)); err != nil {
			t.Error(err)
		}
	}
}

// intervalCounts decodes an interval log and returns each interval's total count.
func intervalCounts(t *testing.T, path string) []int64 {
	t.Helper()
	log, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var counts []int64
	for _, line := range strings.Split(string(log), "\n") {
		if strings.HasPrefix(line, "Tag=") {
			fields := strings.Split(line, ",")
			h, err := hdrhistogram.DecodeBase64(fields[len(fields)-1])
			if err != nil {
				t.Fatal(err)
			}
			counts = append(counts, h.TotalCount())
		}
	}
	return counts
}

func TestBucketNanos(t *testing.T) {
	if bucketNanos(0.001, 0.002) != 1_500_000 || bucketNanos(2, math.Inf(1)) != 2e9 {
		t.Fatal("a bucket is recorded at its midpoint, the open-ended last one at its lower bound")
	}
}
