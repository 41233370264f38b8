package trial

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/metrics"
	"time"

	"golab/internal/hdrhistogram"
)

// Recording is everything one trial records (TrialRecording.java's Go counterpart). The streams
// are recorded into from any goroutine; Begin, EndIteration and Close are called by one goroutine.
type Recording struct {
	dir        string
	supervised bool // a parent process writes gctrace.txt and completes the trial
	manifest   Manifest
	baseMs     int64
	streams    []*stream
	metrics    []iterationMetrics
	startMs    int64 // start of the iteration under way
}

type stream struct {
	name string
	log  *hdrhistogram.Log
	next func() *hdrhistogram.Histogram // what was recorded since the previous call
}

type iterationMetrics struct {
	Iteration int            `json:"iteration"`
	Type      string         `json:"type"`
	Runtime   map[string]any `json:"runtime"`
	JVMGC     map[string]any `json:"jvm_gc"` // always empty: kept so that both twins' files have one shape
}

// Start opens this process's recording. In a child that Supervise (or RunTraced with DirEnv)
// started, it records into the folder the parent claimed and leaves completing the trial to the
// parent; otherwise it claims a new folder under root and completes the trial itself in Close.
func Start(root, benchmark string, params map[string]string) (*Recording, error) {
	if dir := os.Getenv(DirEnv); dir != "" {
		return open(dir, benchmark, params, true)
	}
	dir, err := CreateFolder(root, benchmark, params)
	if err != nil {
		return nil, err
	}
	return open(dir, benchmark, params, false)
}

func open(dir, benchmark string, params map[string]string, supervised bool) (*Recording, error) {
	now := time.Now()
	r := &Recording{
		dir:        dir,
		supervised: supervised,
		baseMs:     now.UnixMilli(),
		manifest: Manifest{
			Benchmark: benchmark, Params: params, Pid: os.Getpid(), Status: Incomplete,
			Streams: []string{}, Iterations: []Iteration{}, StartedAt: isoMillis(now),
		},
	}
	if !supervised {
		// Nothing can capture this process's own runtime's stderr (see README.md): the file says so
		// by being empty, and exists like every trial's.
		if err := WriteFileAtomic(filepath.Join(dir, GCTraceFile), nil); err != nil {
			return nil, err
		}
	}
	return r, r.writeManifest()
}

// Dir is the trial's folder.
func (r *Recording) Dir() string { return r.dir }

// Recorder adds the stream <name>.hlog, fed by what is recorded into the returned recorder (ns).
func (r *Recording) Recorder(name string) *hdrhistogram.Recorder {
	rec := hdrhistogram.NewRecorder()
	r.add(name, rec.Interval)
	return rec
}

// RuntimeHistogram adds the stream <name>.hlog of the growth, interval by interval, of a cumulative
// runtime/metrics histogram of seconds such as /gc/pauses:seconds.
//
// The runtime keeps only bucket counts, so the interval histogram is an approximation: the count of
// each bucket [lo, hi) is recorded at its midpoint (at lo for the open-ended last bucket, at hi for
// an open-ended first one), in nanoseconds. Go 1.19's time buckets are a few percent wide below a
// millisecond and wider above (3 mantissa bits per power of two), so percentiles read from these
// streams are good to about that width, coarser than the 0.1 % of a directly recorded stream.
func (r *Recording) RuntimeHistogram(name, metric string) {
	sample := []metrics.Sample{{Name: metric}}
	var previous []uint64
	r.add(name, func() *hdrhistogram.Histogram {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindFloat64Histogram {
			panic(fmt.Sprintf("trial: %s is not a histogram metric in this Go version", metric))
		}
		current := sample[0].Value.Float64Histogram()
		h := hdrhistogram.NewNanos()
		for i, c := range current.Counts {
			if previous != nil {
				c -= previous[i]
			}
			if c > 0 {
				h.RecordN(bucketNanos(current.Buckets[i], current.Buckets[i+1]), int64(c))
			}
		}
		// Read reuses the sample's histogram (runtime's float64HistOrInit), so the counts are copied.
		previous = append(previous[:0], current.Counts...)
		return h
	})
}

// bucketNanos is the value a bucket's counts are recorded at (see RuntimeHistogram).
func bucketNanos(lo, hi float64) int64 {
	var s float64
	switch {
	case math.IsInf(hi, 1):
		s = lo
	case math.IsInf(lo, -1):
		s = hi
	default:
		s = (lo + hi) / 2
	}
	return int64(math.Round(math.Max(0, s) * 1e9))
}

func (r *Recording) add(name string, next func() *hdrhistogram.Histogram) {
	for _, s := range r.streams {
		if s.name == name {
			panic("trial: stream " + name + " is already recorded")
		}
	}
	r.streams = append(r.streams, &stream{name: name, log: hdrhistogram.NewLog(r.baseMs), next: next})
	r.manifest.Streams = append(r.manifest.Streams, name)
}

// Begin starts the first iteration: what the streams gathered so far (set-up) is dropped.
func (r *Recording) Begin() {
	for _, s := range r.streams {
		s.next()
	}
	r.startMs = time.Now().UnixMilli()
}

// EndIteration ends the iteration under way and starts the next at once (iterations are back to
// back, so nothing recorded between them is lost): it writes one tagged interval per stream, the
// runtime/metrics snapshot, and the manifest.
func (r *Recording) EndIteration(warmup bool) error {
	tag := Measurement
	if warmup {
		tag = Warmup
	}
	end := time.Now().UnixMilli()
	index := len(r.manifest.Iterations) + 1
	for _, s := range r.streams {
		h := s.next()
		h.StartMs, h.EndMs, h.Tag = r.startMs, end, tag
		s.log.Append(h)
		if err := WriteFileAtomic(filepath.Join(r.dir, s.name+HlogSuffix), s.log.Bytes()); err != nil {
			return err
		}
	}
	r.metrics = append(r.metrics, iterationMetrics{Iteration: index, Type: tag, Runtime: Snapshot(), JVMGC: map[string]any{}})
	data, err := json.MarshalIndent(map[string]any{"iterations": r.metrics}, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(r.dir, MetricsFile), append(data, '\n')); err != nil {
		return err
	}
	r.manifest.Iterations = append(r.manifest.Iterations, Iteration{Index: index, Type: tag, StartMs: r.startMs, EndMs: end})
	r.startMs = end
	return r.writeManifest()
}

// Close ends the recording: the trial is marked complete, unless a supervising parent will do it
// once it has the child's whole stderr.
func (r *Recording) Close() error {
	if r.supervised {
		return nil
	}
	ended := isoMillis(time.Now())
	r.manifest.Status, r.manifest.EndedAt = Complete, &ended
	return r.writeManifest()
}

func (r *Recording) writeManifest() error {
	return writeManifest(r.dir, &r.manifest)
}

func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, TrialFile), append(data, '\n'))
}

// isoMillis is Java's Instant.toString for a millisecond instant: 2026-11-27T14:52:00.123Z.
func isoMillis(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.999Z07:00")
}

// Snapshot reads every runtime/metrics metric (cumulative values, as the runtime keeps them):
// scalars as numbers, histograms as their total count and non-empty buckets [lo, hi, count] with
// bounds in the metric's unit and infinite bounds as "+Inf"/"-Inf" (JSON has no infinities).
func Snapshot() map[string]any {
	descs := metrics.All()
	samples := make([]metrics.Sample, len(descs))
	for i, d := range descs {
		samples[i].Name = d.Name
	}
	metrics.Read(samples)
	out := make(map[string]any, len(samples))
	for _, s := range samples {
		switch s.Value.Kind() {
		case metrics.KindUint64:
			out[s.Name] = s.Value.Uint64()
		case metrics.KindFloat64:
			out[s.Name] = bound(s.Value.Float64())
		case metrics.KindFloat64Histogram:
			h := s.Value.Float64Histogram()
			var total uint64
			buckets := [][]any{}
			for i, c := range h.Counts {
				total += c
				if c != 0 {
					buckets = append(buckets, []any{bound(h.Buckets[i]), bound(h.Buckets[i+1]), c})
				}
			}
			out[s.Name] = map[string]any{"count": total, "buckets": buckets}
		}
	}
	return out
}

func bound(v float64) any {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return v
}
