// Command gcchurn is the Go twin of golab's GC workload "live-heap churn": it measures what real Go's
// collector costs a program that keeps a fixed live heap of small pointerful objects and replaces them
// at a steady rate, so that golab's collector (on the JVM) can be set against the same numbers.
//
// The workload, exactly (the Java twin reproduces it field for field):
//
//   - Objects are `node` (below): 64 bytes, two pointer words at offsets 0 and 8 (left, right), then
//     six int64 scalars. 64 bytes is a Go size class, so each allocation is exactly 64 bytes.
//   - The live heap is a table `[]*node` of n slots plus the n nodes it points to, with
//     n = floor(L / (64 + 8)): the table's 8 bytes per slot count in L.
//   - Links: the table is cut into groups of 8 consecutive slots (the last group may be shorter). The
//     nodes of a group form a binary tree in heap order: the node in slot b+j (b = group base, a
//     multiple of 8) has left = node in slot b+2j+1 and right = node in slot b+2j+2 when those slots
//     exist in the group, else nil. So a node's only referents are its table slot and, for j > 0, its
//     parent's left (j odd) or right (j even) field: a replacement that rewrites both leaves the old
//     node unreachable at once and the live heap exactly n nodes + the table, while every
//     replacement stores a pointer into an old, randomly placed object (a write barrier during
//     marking), and marking meets two more pointers per object. A group's slots share one 64-byte
//     line of the table, so a replacement touches two random places in memory (that table line and
//     the parent node) besides the new node; a tree spanning the whole table would touch four, and
//     random memory accesses are what this workload's mutator time is made of (see README.md).
//   - Building: groups in slot order, each bottom-up (j = size-1 down to 0) so that children exist
//     when their parent is allocated.
//   - Mutators: M goroutines (M = GOMAXPROCS unless -mutators says otherwise). Mutator m owns groups
//     [G*m/M, G*(m+1)/M) of the G groups, i.e. slots [lo, hi), so mutators never write the same words
//     and need no locks. A replacement picks slot k uniformly in [lo, hi), allocates a fresh node with
//     key = k, val = the mutator's replacement count, left/right = the current children (as above),
//     stores it in the table, then into its parent's field. One 64-byte allocation per replacement.
//   - Random numbers: splitmix64. Mutator m starts from state splitmix64(seed + m) (one step of the
//     generator from seed+m) and picks k = lo + high 64 bits of next() * (hi - lo) (Lemire's
//     multiply-shift). Java can reproduce it with Math.unsignedMultiplyHigh.
//   - Pacing: each mutator allocates R/M bytes/s in batches of -batch (default 1 ms) worth of nodes.
//     Batch b is due at start + b*interval; the mutator sleeps until a batch is due and, when it is
//     behind (a batch already due), calls runtime.Gosched and starts the next batch with no sleep
//     (busy catch-up; the yield lets the probe and sampler run between batches as they would while
//     the mutator sleeps). Sleep overshoot does not accumulate because due times are absolute.
//     Mutators stop at start + D whether or not they kept up; the achieved rate is reported.
//
// Phases: build the live heap with the collector off (it would only mark live data repeatedly),
// allocate and drop as many nodes again (-prefault), set GOGC back, run one forced collection (so the
// window starts from a collected heap with goal ≈ 2L at GOGC=100, over pages already touched), read
// all metrics, run the mutators, the 1 ms hiccup probe and the 10 ms heap sampler for D, read all
// metrics again and report differences.
//
// The collector's own per-cycle CPU accounting is only printed by GODEBUG=gctrace=1, so by default the
// program re-executes itself with that setting and parses the child's stderr; -gctrace=false runs in
// process without the gctrace-derived fields.
//
// Usage:
//
//	gcchurn -live 256MiB -rate 200MiB -duration 10s -gomaxprocs 2 -out result.json
//	gcchurn table results/go-gc-table/*.json      # markdown table of result files
//
// -trials DIR also records the window into golab's trial folder layout (see ../README.md).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golab/internal/bytesize"
	"golab/internal/hdrhistogram"
	"golab/internal/splitmix"
	"golab/internal/trial"
)

// node is the churned object. Field order is the layout the Java twin copies: pointer words first
// (offsets 0 and 8), scalars after, 64 bytes in all.
type node struct {
	left, right *node    // offsets 0, 8: the only pointers, so the GC's bitmap marks two words
	key, val    int64    // offsets 16, 24: slot index and the mutator's replacement counter
	pad         [4]int64 // offsets 32..63: scalars that make the object 64 bytes
}

const nodeBytes = int64(unsafe.Sizeof(node{}))

// tableSlotBytes is the size of one table slot (a *node); it counts in the live heap.
const tableSlotBytes = int64(unsafe.Sizeof((*node)(nil)))

// childEnv marks the re-executed child, which runs the workload and prints its JSON on stdout.
const childEnv = "GCCHURN_CHILD"

// ---------------------------------------------------------------------------------------------
// Result: everything the JSON file holds. Times are in milliseconds unless a name says otherwise.

type Params struct {
	LiveBytes     int64   `json:"live_bytes"`       // L as asked
	RateBytesPerS float64 `json:"rate_bytes_per_s"` // R, total over all mutators
	DurationS     float64 `json:"duration_s"`       // D, the measurement window
	GOGC          int     `json:"gogc"`             // -1 means off
	MemLimit      int64   `json:"memlimit_bytes"`   // math.MaxInt64 means no limit
	GOMAXPROCS    int     `json:"gomaxprocs"`
	Mutators      int     `json:"mutators"`
	Seed          uint64  `json:"seed"`
	BatchMs       float64 `json:"batch_ms"`
	NodeBytes     int64   `json:"node_bytes"`
	Nodes         int64   `json:"nodes"`       // n = L / (node_bytes + 8)
	TableBytes    int64   `json:"table_bytes"` // n * 8
	GCTrace       bool    `json:"gctrace"`     // whether gctrace-derived fields were collected
	Prefault      bool    `json:"prefault"`
}

type Env struct {
	GoVersion string `json:"go_version"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	NumCPU    int    `json:"num_cpu"`
	CPUModel  string `json:"cpu_model,omitempty"`
	// The system's transparent huge page mode (always, madvise or never). In madvise mode Go 1.19 asks
	// for huge pages only on spans that cover a whole one (sysUsed), so this workload's nodes sit on 4 KiB
	// pages, and random node reads cost several times more than with "always".
	THP string `json:"thp_enabled,omitempty"`
	// Whether a kernel DAMON monitor runs ("on" if any kdamond is on, "off" if all are off, empty
	// without DAMON's sysfs). A pageout scheme tries to reclaim memory left untouched for seconds,
	// which is what a collector does to the heap between cycles: on one VM a forced collection of
	// 256 MiB took 1.4-12.0 s with it on and 0.45-0.65 s with it off (README, "This machine's DAMON").
	DAMON string `json:"damon,omitempty"`
	// Mean wall time of one random node read (a table slot, then the node it points to: two
	// dependent loads), measured on the live heap just before and just after the window. It is
	// the machine's state as this workload sees it: on this VM it ranges from ~0.1 to several µs
	// depending on what else runs.
	NodeReadNsBefore float64 `json:"node_read_ns_before"`
	NodeReadNsAfter  float64 `json:"node_read_ns_after"`
	GODEBUG          string  `json:"godebug,omitempty"`
	Start            string  `json:"start"`
}

type Build struct {
	Seconds          float64 `json:"seconds"`             // allocating and linking the live heap, GC off
	PrefaultSeconds  float64 `json:"prefault_seconds"`    // allocating the prefault garbage, GC off
	ForcedGCMs       float64 `json:"forced_gc_ms"`        // runtime.GC() after the build: a full mark of L
	HeapAllocAfterGC uint64  `json:"heap_alloc_after_gc"` // MemStats.HeapAlloc after that GC: the real live heap
}

// Warmup is the churn before the window (see warmUp); what it allocates is not in the window's figures.
type Warmup struct {
	Seconds  float64 `json:"seconds"`
	GCCycles uint64  `json:"gc_cycles"` // cycles that ended in it, the closing forced one included
}

type Window struct {
	Seconds           float64 `json:"seconds"`
	NumGCStart        uint32  `json:"numgc_start"` // MemStats.NumGC before and after the window
	NumGCEnd          uint32  `json:"numgc_end"`
	Cycles            uint64  `json:"gc_cycles"`        // /gc/cycles/total:gc-cycles difference
	ForcedCycles      uint64  `json:"gc_cycles_forced"` // should be 0
	BytesAllocated    uint64  `json:"bytes_allocated"`  // /gc/heap/allocs:bytes difference
	ObjectsAllocated  uint64  `json:"objects_allocated"`
	GiBAllocated      float64 `json:"gib_allocated"`
	CyclesPerGiB      float64 `json:"cycles_per_gib_allocated"`
	Replacements      int64   `json:"replacements"` // nodes allocated by the mutators
	AchievedRate      float64 `json:"achieved_rate_bytes_per_s"`
	Batches           int64   `json:"batches"`
	LateBatches       int64   `json:"late_batches"` // batches started more than one batch interval after due
	MaxLagMs          float64 `json:"max_lag_ms"`   // worst lateness of a batch start behind its due time
	ProcessCPUSeconds float64 `json:"process_cpu_seconds"`
	ProcessCPUShare   float64 `json:"process_cpu_share"` // process CPU / (window * GOMAXPROCS)
	PageFaults        int64   `json:"page_faults"`       // minor + major, getrusage; slow on this VM
	// Machine-wide CPU over the window from /proc/stat, as shares of all CPUs' time: busy is
	// everything but idle and iowait (this process included); other_busy subtracts this process's
	// CPU, so a large value means other programs competed for the cores during the window.
	HostBusyShare        float64 `json:"host_busy_share"`
	OtherBusyShare       float64 `json:"other_busy_share"`
	StealShare           float64 `json:"steal_share"`
	GCCPUFractionEnd     float64 `json:"memstats_gccpufraction_cumulative"`
	LimiterLastEnabled   uint64  `json:"gc_limiter_last_enabled_cycle"`
	LoadAvgStart         string  `json:"loadavg_start,omitempty"`
	LoadAvgEnd           string  `json:"loadavg_end,omitempty"`
	MemStatsPauseTotalMs float64 `json:"memstats_pause_total_ms"`
}

// Dist summarises a latency distribution in milliseconds.
type Dist struct {
	Count  uint64  `json:"count"`
	P50Ms  float64 `json:"p50_ms"`
	P99Ms  float64 `json:"p99_ms"`
	MaxMs  float64 `json:"max_ms"`
	MeanMs float64 `json:"mean_ms,omitempty"`
	Source string  `json:"source"`
}

type Pauses struct {
	Histogram Dist  `json:"histogram"`          // /gc/pauses:seconds, each STW pause, bucket upper bounds
	PerCycle  Dist  `json:"memstats_per_cycle"` // MemStats.PauseNs: exact, per cycle (its STW pauses summed)
	GCTrace   *Dist `json:"gctrace,omitempty"`  // each STW pause from the gctrace clock fields
}

type Heap struct {
	Samples           int     `json:"samples"`
	InuseAtStart      uint64  `json:"inuse_at_start"`
	PeakInuseBytes    uint64  `json:"peak_inuse_bytes"` // max of heap/objects + heap/unused (= HeapInuse)
	PeakInuseOverLive float64 `json:"peak_inuse_over_live"`
	PeakObjectsBytes  uint64  `json:"peak_objects_bytes"` // max of heap/objects: live + not yet swept garbage
	PeakGoalBytes     uint64  `json:"peak_goal_bytes"`
	PeakMappedBytes   uint64  `json:"peak_mapped_bytes"` // max of memory/classes/total - heap/released
	PeakRSSBytes      uint64  `json:"peak_rss_bytes"`    // max of /proc/self/statm resident
	PeakRSSOverLive   float64 `json:"peak_rss_over_live"`
}

// GCCPU is summed from the gctrace lines of the cycles that completed in the window.
type GCCPU struct {
	Cycles                int     `json:"cycles"`
	STWCPUMs              float64 `json:"stw_cpu_ms"`        // sweep termination + mark termination, pause * Ps
	AssistCPUMs           float64 `json:"assist_cpu_ms"`     // mark assists in allocating goroutines
	BackgroundCPUMs       float64 `json:"background_cpu_ms"` // dedicated + fractional mark workers
	IdleCPUMs             float64 `json:"idle_cpu_ms"`       // idle-priority mark workers (otherwise idle Ps)
	CapacityMs            float64 `json:"capacity_ms"`       // window * GOMAXPROCS
	GCShareOfCapacity     float64 `json:"gc_share_of_capacity"`
	AssistShareOfCapacity float64 `json:"assist_share_of_capacity"`
	IdleShareOfCapacity   float64 `json:"idle_share_of_capacity"`
	GCShareOfProcessCPU   float64 `json:"gc_share_of_process_cpu"`
	MarkClockMeanMs       float64 `json:"mark_clock_mean_ms"` // concurrent mark phase, wall clock
	MarkClockMaxMs        float64 `json:"mark_clock_max_ms"`
	Definition            string  `json:"definition"`
}

type Result struct {
	Workload     string            `json:"workload"`
	Params       Params            `json:"params"`
	Env          Env               `json:"env"`
	Build        Build             `json:"build"`
	Warmup       Warmup            `json:"warmup"`
	Window       Window            `json:"window"`
	Pauses       Pauses            `json:"pauses"`
	Heap         Heap              `json:"heap"`
	GCCPU        *GCCPU            `json:"gc_cpu,omitempty"`
	Hiccup       Dist              `json:"hiccup"`
	SchedLatency Dist              `json:"sched_latency"`
	GCTraceLines []string          `json:"gctrace_lines,omitempty"`
	Notes        map[string]string `json:"notes"`
}

// ---------------------------------------------------------------------------------------------
// Command line.

type options struct {
	live, rate, gogc, memlimit string
	duration, batch, warmup    time.Duration
	gomaxprocs, mutators       int
	seed                       uint64
	out                        string
	gctrace, verbose, prefault bool
	trials, benchmark          string
	iteration                  time.Duration
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "table" {
		if err := printTable(os.Stdout, os.Args[2:]); err != nil {
			fatalf("%v", err)
		}
		return
	}
	var o options
	flag.StringVar(&o.live, "live", "256MiB", "live heap L in bytes (suffixes B, KiB, MiB, GiB, TiB, KB, MB, GB)")
	flag.StringVar(&o.rate, "rate", "200MiB", "allocation rate R in bytes per second, all mutators together")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measurement window D")
	flag.StringVar(&o.gogc, "gogc", "", "GOGC percentage or \"off\" (default: the GOGC environment variable, else 100)")
	flag.StringVar(&o.memlimit, "memlimit", "", "soft memory limit in bytes (default: GOMEMLIMIT, else none)")
	flag.IntVar(&o.gomaxprocs, "gomaxprocs", 0, "GOMAXPROCS (default: the GOMAXPROCS environment variable, else NumCPU)")
	flag.IntVar(&o.mutators, "mutators", 0, "mutator goroutines (default: GOMAXPROCS)")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed")
	flag.DurationVar(&o.batch, "batch", time.Millisecond, "pacing batch: allocation worth this much time per batch")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "churn in rounds this long until two cycles have ended (at most -duration), then force a collection, before the window; 0: none")
	flag.StringVar(&o.out, "out", "", "JSON result file (default: stdout)")
	flag.BoolVar(&o.gctrace, "gctrace", true, "re-execute with GODEBUG=gctrace=1 to get per-cycle GC CPU and assist time")
	flag.BoolVar(&o.verbose, "v", false, "echo the child's gctrace lines to stderr")
	flag.BoolVar(&o.prefault, "prefault", true, "while building, also allocate and drop as much again in garbage, so the window reuses pages the process has touched")
	flag.StringVar(&o.trials, "trials", "", "also record the window into this trials root, in golab's trial folder layout (see README.md)")
	flag.StringVar(&o.benchmark, "benchmark", "go.gcchurn", "with -trials: the benchmark name, the first folder level")
	flag.DurationVar(&o.iteration, "iteration", time.Second, "with -trials: the length of one recorded interval of the window")
	flag.Parse()
	if flag.NArg() != 0 {
		fatalf("unexpected arguments: %v", flag.Args())
	}
	if o.iteration <= 0 {
		fatalf("-iteration must be positive")
	}
	if o.warmup < 0 {
		fatalf("-warmup %v: must be 0 (none) or positive", o.warmup)
	}

	var res *Result
	var err error
	if o.gctrace && os.Getenv(childEnv) != "1" {
		res, err = runParent(&o)
	} else {
		res, err = runWorkload(&o)
		if err == nil && os.Getenv(childEnv) == "1" {
			// The child's stdout belongs to the parent, which adds the gctrace analysis and writes -out.
			err = json.NewEncoder(os.Stdout).Encode(res)
			if err != nil {
				fatalf("%v", err)
			}
			return
		}
	}
	if err != nil {
		fatalf("%v", err)
	}
	// Printed here, not at the end of the window: a child's stderr write could split a gctrace line
	// of a cycle that ends just after the window.
	w := &res.Window
	fmt.Fprintf(os.Stderr, "gcchurn: window %.1fs: %d GC cycles, %.2f GiB allocated (%.0f MiB/s), max cycle pause %.3f ms\n",
		w.Seconds, w.Cycles, w.GiBAllocated, w.AchievedRate/(1<<20), res.Pauses.PerCycle.MaxMs)
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		fatalf("%v", err)
	}
	data = append(data, '\n')
	if o.out == "" {
		os.Stdout.Write(data)
		return
	}
	if err := writeFileAtomic(o.out, data); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gcchurn: "+format+"\n", args...)
	os.Exit(1)
}

// writeFileAtomic writes through a temporary file and a rename, so an interrupted run never leaves a
// half-written result behind.
func writeFileAtomic(path string, data []byte) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return trial.WriteFileAtomic(path, data)
}

// ---------------------------------------------------------------------------------------------
// Parent: re-execute with GODEBUG=gctrace=1 and read the collector's own per-cycle accounting.

func runParent(o *options) (*Result, error) {
	env := []string{childEnv + "=1"}
	// With -trials the parent claims the trial folder, so that it can write the child's whole
	// stderr into gctrace.txt and complete the trial once the child is done.
	var dir string
	var trace *trial.GCTrace
	if o.trials != "" {
		var err error
		if dir, err = trial.CreateFolder(o.trials, o.benchmark, trialParams(o)); err != nil {
			return nil, err
		}
		if trace, err = trial.NewGCTrace(dir); err != nil {
			return nil, err
		}
		env = append(env, trial.DirEnv+"="+dir)
	}
	// gctrace lines are kept for the analysis; anything else the child says is passed through.
	var lines []string
	var traceErr error
	var stdout bytes.Buffer
	err := trial.RunTraced(env, &stdout, func(line string) {
		if trace != nil {
			if err := trace.Add(line); err != nil && traceErr == nil {
				traceErr = err
			}
		}
		if strings.HasPrefix(line, "gc ") {
			lines = append(lines, line)
			if o.verbose {
				fmt.Fprintln(os.Stderr, line)
			}
			return
		}
		fmt.Fprintln(os.Stderr, line)
	})
	if err != nil {
		return nil, err
	}
	if trace != nil {
		if traceErr == nil {
			traceErr = trace.Flush()
		}
		if traceErr == nil {
			traceErr = trial.MarkComplete(dir)
		}
		if traceErr != nil {
			return nil, fmt.Errorf("trial folder %s: %w", dir, traceErr)
		}
	}
	var res Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("child output: %w", err)
	}
	res.Params.GCTrace = true // res.Env.GODEBUG is the child's: the parent's GODEBUG plus gctrace=1
	applyGCTrace(&res, lines)
	return &res, nil
}

// gctraceLine is one Go 1.19 gctrace line:
//
//	gc 12 @3.456s 5%: 0.021+120+0.035 ms clock, 0.042+8.1/60/1.2+0.070 ms cpu, 130->140->64 MB, 134 MB goal, 0 MB stacks, 0 MB globals, 2 P
//
// clock: sweep-termination STW, concurrent mark, mark-termination STW (wall ms).
// cpu: sweep-termination STW * Ps, assist / dedicated+fractional / idle mark, mark-termination STW * Ps.
var gctraceRE = regexp.MustCompile(`^gc (\d+) @([0-9.]+)s (\d+)%: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) ms clock, ([0-9.]+)\+([0-9.]+)/([0-9.]+)/([0-9.]+)\+([0-9.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, (\d+) MB globals, (\d+) P( \(forced\))?`)

type gctraceLine struct {
	N                                      uint32
	AtS                                    float64
	SweepTermMs, MarkMs, MarkTermMs        float64 // wall clock
	SweepTermCPU, Assist, BG, Idle, MarkTC float64 // CPU ms
	Forced                                 bool
}

func parseGCTrace(line string) (gctraceLine, bool) {
	m := gctraceRE.FindStringSubmatch(line)
	if m == nil {
		return gctraceLine{}, false
	}
	f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
	n, _ := strconv.ParseUint(m[1], 10, 32)
	return gctraceLine{
		N: uint32(n), AtS: f(2),
		SweepTermMs: f(4), MarkMs: f(5), MarkTermMs: f(6),
		SweepTermCPU: f(7), Assist: f(8), BG: f(9), Idle: f(10), MarkTC: f(11),
		Forced: m[19] != "",
	}, true
}

// applyGCTrace keeps the lines of the cycles that completed in the window (NumGC after the cycle in
// (numgc_start, numgc_end]) and sums their CPU fields.
func applyGCTrace(res *Result, lines []string) {
	var sel []gctraceLine
	var pauses []float64
	for _, l := range lines {
		g, ok := parseGCTrace(l)
		if !ok {
			if res.Notes == nil {
				res.Notes = map[string]string{}
			}
			res.Notes["gctrace_unparsed"] += l + "\n"
			continue
		}
		if g.N <= res.Window.NumGCStart || g.N > res.Window.NumGCEnd {
			continue
		}
		sel = append(sel, g)
		res.GCTraceLines = append(res.GCTraceLines, l)
		pauses = append(pauses, g.SweepTermMs, g.MarkTermMs)
	}
	c := &GCCPU{Cycles: len(sel)}
	for _, g := range sel {
		c.STWCPUMs += g.SweepTermCPU + g.MarkTC
		c.AssistCPUMs += g.Assist
		c.BackgroundCPUMs += g.BG
		c.IdleCPUMs += g.Idle
		c.MarkClockMeanMs += g.MarkMs
		c.MarkClockMaxMs = math.Max(c.MarkClockMaxMs, g.MarkMs)
	}
	if len(sel) > 0 {
		c.MarkClockMeanMs /= float64(len(sel))
	}
	c.CapacityMs = res.Window.Seconds * 1000 * float64(res.Params.GOMAXPROCS)
	gc := c.STWCPUMs + c.AssistCPUMs + c.BackgroundCPUMs
	if c.CapacityMs > 0 {
		c.GCShareOfCapacity = gc / c.CapacityMs
		c.AssistShareOfCapacity = c.AssistCPUMs / c.CapacityMs
		c.IdleShareOfCapacity = c.IdleCPUMs / c.CapacityMs
	}
	if res.Window.ProcessCPUSeconds > 0 {
		c.GCShareOfProcessCPU = gc / (res.Window.ProcessCPUSeconds * 1000)
	}
	c.Definition = "Sums over the gctrace lines of cycles that completed inside the window (a cycle " +
		"straddling a window edge counts wholly or not at all). GC CPU = STW CPU (pause * Ps, both STW " +
		"phases) + assist + dedicated/fractional mark workers; idle-priority marking is reported " +
		"separately and excluded, as the runtime's GCCPUFraction excludes it. Background sweeping and " +
		"scavenging are not in gctrace and are not included. Shares of capacity divide by " +
		"window seconds * GOMAXPROCS; gc_share_of_process_cpu divides by the process's user+sys CPU time " +
		"over the window (getrusage)."
	res.GCCPU = c
	d := distOfMs(pauses, "gctrace clock fields: sweep-termination and mark-termination STW of each "+
		"cycle in the window, printed with two significant digits")
	res.Pauses.GCTrace = &d
}

// ---------------------------------------------------------------------------------------------
// The workload.

// mutatorSeed is the starting state of mutator m: one splitmix64 step from seed+m.
func mutatorSeed(seed uint64, m int) uint64 {
	s := splitmix.Rand{State: seed + uint64(m)}
	return s.Next()
}

// groupSize is the number of consecutive table slots whose nodes link to each other (see above).
const groupSize = 8

// span is one mutator's share of the table: slots [lo, hi), whole groups.
type span struct{ lo, hi int }

func spans(n, m int) []span {
	groups := (n + groupSize - 1) / groupSize
	ss := make([]span, m)
	for i := range ss {
		ss[i] = span{lo: groups * i / m * groupSize, hi: groups * (i + 1) / m * groupSize}
		if ss[i].hi > n {
			ss[i].hi = n
		}
	}
	return ss
}

// build fills every slot, group by group, each bottom-up so that a node's children already exist.
func build(t []*node) {
	for b := 0; b < len(t); b += groupSize {
		end := b + groupSize
		if end > len(t) {
			end = len(t)
		}
		for k := end - 1; k >= b; k-- {
			nd := &node{key: int64(k)}
			linkChildren(t, nd, b, end, k)
			t[k] = nd
		}
	}
}

// linkChildren points nd (for slot k of the group [b, end)) at the nodes now in its children's slots.
func linkChildren(t []*node, nd *node, b, end, k int) {
	if l := b + 2*(k-b) + 1; l < end {
		nd.left = t[l]
		if l+1 < end {
			nd.right = t[l+1]
		}
	}
}

// replace swaps the node in slot k for a fresh one. Afterwards nothing references the old node: its
// table slot and its parent's field, its only referents, now point to the new node.
func replace(t []*node, k int, val int64) {
	b := k &^ (groupSize - 1)
	end := b + groupSize
	if end > len(t) {
		end = len(t)
	}
	nd := &node{key: int64(k), val: val}
	linkChildren(t, nd, b, end, k)
	t[k] = nd
	if j := k - b; j > 0 {
		p := t[b+(j-1)/2]
		if j&1 == 1 {
			p.left = nd
		} else {
			p.right = nd
		}
	}
}

// warmUp churns as the window will, in rounds of -warmup with the mutators alone, until two cycles
// have ended (at most -duration, which bounds it when no cycle comes), then forces a collection: the
// window then starts, as golab's LiveHeapChurn does after its warm-up, from a collected heap that
// replacements have already scattered. Go has no JIT to warm; what this matches is the heap. With one
// or two cycles per window at 4 GiB and more, a heap still in build order marks faster (its nodes
// lie in the order the table points to them), which would credit the twin with the build's layout.
func warmUp(table []*node, ss []span, o *options, rate float64) Warmup {
	const cycles = 2 // LiveHeapChurn.WARMUP_CYCLES
	start := time.Now()
	first := gcCycles()
	for round := uint64(0); gcCycles()-first < cycles && time.Since(start) < o.duration; round++ {
		roundStart := time.Now()
		end := roundStart.Add(o.warmup)
		var wg sync.WaitGroup
		stats := make([]mutatorStats, len(ss))
		for i, s := range ss {
			wg.Add(1)
			go func(i int, s span) {
				defer wg.Done()
				seed := mutatorSeed(o.seed+1_000_000+round, i) // LiveHeapChurn's warm-up seeds
				mutate(table, s, seed, rate/float64(len(ss)), o.batch, roundStart, end, &stats[i])
			}(i, s)
		}
		wg.Wait()
	}
	runtime.GC()
	return Warmup{Seconds: time.Since(start).Seconds(), GCCycles: gcCycles() - first}
}

// gcCycles is /gc/cycles/total:gc-cycles, the cycles completed so far.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

type mutatorStats struct {
	replacements, batches, late int64
	maxLag                      time.Duration
}

// mutate replaces random nodes of its span at rate bytes/s until end, paced in batches against the
// wall clock (see the package comment).
func mutate(t []*node, s span, seed uint64, rate float64, batch time.Duration, start, end time.Time, st *mutatorStats) {
	size := s.hi - s.lo
	if size == 0 {
		return
	}
	rng := splitmix.Rand{State: seed}
	perBatch := int(math.Max(1, math.Round(rate*batch.Seconds()/float64(nodeBytes))))
	interval := time.Duration(float64(perBatch) * float64(nodeBytes) / rate * 1e9)
	var val int64
	for b := int64(0); ; b++ {
		due := start.Add(time.Duration(b) * interval)
		if !due.Before(end) {
			break
		}
		now := time.Now()
		if !now.Before(end) {
			break // behind schedule at the end of the window: the remaining batches are dropped
		}
		if now.Before(due) {
			time.Sleep(due.Sub(now))
		} else {
			if lag := now.Sub(due); lag > st.maxLag {
				st.maxLag = lag
			}
			// Behind: no sleep, but let other goroutines of this P (the probe, the sampler) run
			// between batches, as they would while the mutator sleeps. Without this a mutator that
			// cannot keep up holds its P until the scheduler preempts it (10 ms), and the probe
			// would report that time slice rather than the collector's effects.
			runtime.Gosched()
		}
		if now.Sub(due) > interval {
			st.late++
		}
		for j := 0; j < perBatch; j++ {
			val++
			replace(t, s.lo+rng.Below(size), val)
		}
		st.batches++
	}
	st.replacements = val
}

// probe sleeps 1 ms in a loop and records how late each wake-up is: what a latency-sensitive
// goroutine sees of STW pauses, assists stealing its P, and scheduling delay.
// With -trials it also records each lateness into rec, the hiccup-goroutine stream.
func probe(end time.Time, out *[]time.Duration, rec *hdrhistogram.Recorder) {
	const nap = time.Millisecond
	lat := make([]time.Duration, 0, 16384)
	for {
		t0 := time.Now()
		if !t0.Before(end) {
			break
		}
		time.Sleep(nap)
		late := time.Since(t0) - nap
		lat = append(lat, late)
		if rec != nil {
			rec.Record(int64(late))
		}
	}
	*out = lat
}

// trialParams are the parameters of a -trials recording, named as golab's Java workloads name
// their JMH parameters. The parent (which claims the folder) and the child must agree, so only
// flags and the inherited environment go in.
func trialParams(o *options) map[string]string {
	procs := o.gomaxprocs
	if procs <= 0 {
		procs = runtime.GOMAXPROCS(0)
	}
	gogc, limit := o.gogc, o.memlimit
	if gogc == "" {
		if gogc = os.Getenv("GOGC"); gogc == "" {
			gogc = "100"
		}
	}
	if limit == "" {
		if limit = os.Getenv("GOMEMLIMIT"); limit == "" {
			limit = "off"
		}
	}
	return map[string]string{
		"gomaxprocs": strconv.Itoa(procs), "gogc": gogc, "gomemlimit": limit, "liveHeap": o.live, "rate": o.rate,
	}
}

// recordIntervals ends a recorded interval every -iteration from start until end (the last,
// possibly shorter, interval is ended by runWorkload once the window is over). Every interval is a
// measurement: the build and the forced collection before the window are not recorded.
func recordIntervals(rec *trial.Recording, start, end time.Time, every time.Duration, failed *error) {
	for next := start.Add(every); next.Before(end); next = next.Add(every) {
		time.Sleep(time.Until(next))
		if err := rec.EndIteration(false); err != nil && *failed == nil {
			*failed = err
		}
	}
}

// sampler reads the heap's size every 10 ms. runtime/metrics.Read does not stop the world (unlike
// ReadMemStats), so sampling does not add pauses of its own.
func sampler(end time.Time, h *Heap) {
	names := []string{
		"/memory/classes/heap/objects:bytes",
		"/memory/classes/heap/unused:bytes",
		"/gc/heap/goal:bytes",
		"/memory/classes/total:bytes",
		"/memory/classes/heap/released:bytes",
	}
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(s)
		objects, unused, goal := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()
		mapped := s[3].Value.Uint64() - s[4].Value.Uint64()
		h.Samples++
		h.PeakInuseBytes = max64(h.PeakInuseBytes, objects+unused)
		h.PeakObjectsBytes = max64(h.PeakObjectsBytes, objects)
		h.PeakGoalBytes = max64(h.PeakGoalBytes, goal)
		h.PeakMappedBytes = max64(h.PeakMappedBytes, mapped)
		h.PeakRSSBytes = max64(h.PeakRSSBytes, rss())
		if !time.Now().Before(end) {
			return
		}
		<-tick.C
	}
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

var pageSize = uint64(os.Getpagesize())

// rss is the resident set size from /proc/self/statm (0 where that file does not exist).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	v, _ := strconv.ParseUint(f[1], 10, 64)
	return v * pageSize
}

// snapshot is everything read at a window edge.
type snapshot struct {
	m       []metrics.Sample
	ms      runtime.MemStats
	cpu     time.Duration
	faults  int64
	host    hostCPU
	loadavg string
}

var snapshotMetrics = []string{
	"/gc/cycles/total:gc-cycles",
	"/gc/cycles/forced:gc-cycles",
	"/gc/heap/allocs:bytes",
	"/gc/heap/allocs:objects",
	"/gc/pauses:seconds",
	"/sched/latencies:seconds",
	"/gc/limiter/last-enabled:gc-cycle",
}

func takeSnapshot() *snapshot {
	s := &snapshot{m: make([]metrics.Sample, len(snapshotMetrics))}
	for i, n := range snapshotMetrics {
		s.m[i].Name = n
	}
	metrics.Read(s.m)
	runtime.ReadMemStats(&s.ms)
	s.cpu, s.faults = processUsage()
	s.host = readHostCPU()
	s.loadavg = loadavg()
	return s
}

// processUsage returns the process's user+sys CPU time and its page faults (minor + major).
func processUsage() (time.Duration, int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Minflt + ru.Majflt
}

// hostCPU is the machine-wide CPU time from the first line of /proc/stat, in clock ticks.
type hostCPU struct{ total, idle, steal uint64 }

func readHostCPU() hostCPU {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return hostCPU{}
	}
	line := strings.SplitN(string(b), "\n", 2)[0]
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return hostCPU{}
	}
	var h hostCPU
	for i, x := range f[1:] {
		v, _ := strconv.ParseUint(x, 10, 64)
		if i >= 8 { // guest and guest_nice are already counted in user and nice
			break
		}
		h.total += v
		switch i {
		case 3, 4: // idle, iowait
			h.idle += v
		case 7:
			h.steal += v
		}
	}
	return h
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// thpMode is the bracketed word of /sys/kernel/mm/transparent_hugepage/enabled, or "" where unknown.
func thpMode() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return ""
	}
	s := string(b)
	i, j := strings.IndexByte(s, '['), strings.IndexByte(s, ']')
	if i < 0 || j < i {
		return ""
	}
	return s[i+1 : j]
}

// damonState is "on" if any kdamond under /sys/kernel/mm/damon/admin is on, "off" if every one is
// off, or "" where DAMON's sysfs is absent or unreadable.
func damonState() string {
	states, _ := filepath.Glob("/sys/kernel/mm/damon/admin/kdamonds/*/state")
	result := ""
	for _, f := range states {
		b, err := os.ReadFile(f)
		if err != nil {
			return ""
		}
		if strings.TrimSpace(string(b)) == "on" {
			return "on"
		}
		result = "off"
	}
	return result
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return ""
}

func runWorkload(o *options) (*Result, error) {
	if o.gomaxprocs > 0 {
		runtime.GOMAXPROCS(o.gomaxprocs)
	}
	procs := runtime.GOMAXPROCS(0)
	live, err := bytesize.Parse(o.live)
	if err != nil {
		return nil, err
	}
	rate, err := bytesize.Parse(o.rate)
	if err != nil {
		return nil, err
	}
	if rate <= 0 || o.duration <= 0 || o.batch <= 0 {
		return nil, errors.New("-rate, -duration and -batch must be positive")
	}

	// The collector stays off while the live heap is built; remember the GOGC to restore.
	gogc := debug.SetGCPercent(-1)
	switch o.gogc {
	case "":
	case "off":
		gogc = -1
	default:
		v, err := strconv.Atoi(o.gogc)
		if err != nil {
			return nil, fmt.Errorf("bad -gogc %q", o.gogc)
		}
		gogc = v
	}
	if o.memlimit != "" {
		v, err := bytesize.Parse(o.memlimit)
		if err != nil {
			return nil, err
		}
		debug.SetMemoryLimit(int64(v))
	}
	memlimit := debug.SetMemoryLimit(-1) // a negative argument reads the limit without changing it

	mutators := o.mutators
	if mutators <= 0 {
		mutators = procs
	}
	n := int(int64(live) / (nodeBytes + tableSlotBytes))
	if n < mutators*groupSize {
		return nil, fmt.Errorf("-live %s is too small for %d mutators", o.live, mutators)
	}
	res := &Result{
		Workload: "gcchurn",
		Params: Params{
			LiveBytes: int64(live), RateBytesPerS: rate, DurationS: o.duration.Seconds(),
			GOGC: gogc, MemLimit: memlimit, GOMAXPROCS: procs, Mutators: mutators, Seed: o.seed,
			BatchMs: float64(o.batch) / 1e6, NodeBytes: nodeBytes, Nodes: int64(n), Prefault: o.prefault,
			TableBytes: int64(n) * tableSlotBytes,
		},
		Env: Env{
			GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
			NumCPU: runtime.NumCPU(), CPUModel: cpuModel(), THP: thpMode(), DAMON: damonState(), GODEBUG: os.Getenv("GODEBUG"),
			Start: time.Now().UTC().Format(time.RFC3339),
		},
		Notes: map[string]string{},
	}

	// With -trials: the streams of golab's lab workloads, one interval per -iteration of the window.
	var rec *trial.Recording
	var hiccups *hdrhistogram.Recorder
	if o.trials != "" {
		if rec, err = trial.Start(o.trials, o.benchmark, trialParams(o)); err != nil {
			return nil, err
		}
		rec.RuntimeHistogram("gc-pauses", "/gc/pauses:seconds")
		rec.RuntimeHistogram("sched-latencies", "/sched/latencies:seconds")
		hiccups = rec.Recorder("hiccup-goroutine")
	}

	fmt.Fprintf(os.Stderr, "gcchurn: building %d nodes (%.0f MiB live) for %d mutators, GOMAXPROCS=%d\n",
		n, live/(1<<20), mutators, procs)
	t0 := time.Now()
	table := make([]*node, n)
	build(table)
	ss := spans(n, mutators)
	res.Build.Seconds = time.Since(t0).Seconds()
	if o.prefault {
		// With the collector off, n more nodes go straight to garbage. The forced collection below
		// frees them, and the window's first ~L of allocation reuses those pages instead of faulting
		// in fresh ones (a first touch costs ~25 µs a page on this VM, which would otherwise be a
		// large part of a short window: a start-up cost, not the collector's).
		t := time.Now()
		for i := 0; i < n; i++ {
			// The store matters: memory fresh from the OS is known to be zero, so an all-zero
			// &node{} would not touch its page at all.
			sinkNode = &node{key: int64(i)}
		}
		sinkNode = nil
		res.Build.PrefaultSeconds = time.Since(t).Seconds()
	}
	debug.SetGCPercent(gogc)
	t1 := time.Now()
	runtime.GC()
	res.Build.ForcedGCMs = float64(time.Since(t1)) / 1e6
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.Build.HeapAllocAfterGC = ms.HeapAlloc
	fmt.Fprintf(os.Stderr, "gcchurn: built in %.1fs, forced GC %.0f ms, heap %.0f MiB; churning %.0f MiB/s for %v\n",
		res.Build.Seconds, res.Build.ForcedGCMs, float64(ms.HeapAlloc)/(1<<20), rate/(1<<20), o.duration)
	if o.warmup > 0 {
		res.Warmup = warmUp(table, ss, o, rate)
		fmt.Fprintf(os.Stderr, "gcchurn: warmed up in %.1fs (%d cycles)\n", res.Warmup.Seconds, res.Warmup.GCCycles)
	}
	runtime.ReadMemStats(&ms)
	res.Heap.InuseAtStart = ms.HeapInuse

	res.Env.NodeReadNsBefore = nodeReadNs(table, o.seed)
	// Nothing may write to stderr from here to the end of the window: the runtime writes a gctrace
	// line in pieces, and a write of ours could land in the middle of one.
	before := takeSnapshot()
	start := time.Now()
	end := start.Add(o.duration)
	var wg sync.WaitGroup
	stats := make([]mutatorStats, mutators)
	for i, s := range ss {
		wg.Add(1)
		go func(i int, s span) {
			defer wg.Done()
			mutate(table, s, mutatorSeed(o.seed, i), rate/float64(mutators), o.batch, start, end, &stats[i])
		}(i, s)
	}
	var lat []time.Duration
	wg.Add(2)
	go func() { defer wg.Done(); probe(end, &lat, hiccups) }()
	go func() { defer wg.Done(); sampler(end, &res.Heap) }()
	var recErr error
	if rec != nil {
		rec.Begin()
		wg.Add(1)
		go func() { defer wg.Done(); recordIntervals(rec, start, end, o.iteration, &recErr) }()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if rec != nil {
		if recErr == nil {
			recErr = rec.EndIteration(false)
		}
		if recErr == nil {
			recErr = rec.Close()
		}
		if recErr != nil {
			return nil, fmt.Errorf("trial folder %s: %w", rec.Dir(), recErr)
		}
	}
	after := takeSnapshot()
	res.Env.NodeReadNsAfter = nodeReadNs(table, o.seed+1)
	runtime.KeepAlive(table)

	w := &res.Window
	w.Seconds = elapsed.Seconds()
	w.NumGCStart, w.NumGCEnd = before.ms.NumGC, after.ms.NumGC
	w.Cycles = after.m[0].Value.Uint64() - before.m[0].Value.Uint64()
	w.ForcedCycles = after.m[1].Value.Uint64() - before.m[1].Value.Uint64()
	w.BytesAllocated = after.m[2].Value.Uint64() - before.m[2].Value.Uint64()
	w.ObjectsAllocated = after.m[3].Value.Uint64() - before.m[3].Value.Uint64()
	w.GiBAllocated = float64(w.BytesAllocated) / (1 << 30)
	if w.GiBAllocated > 0 {
		w.CyclesPerGiB = float64(w.Cycles) / w.GiBAllocated
	}
	for _, s := range stats {
		w.Replacements += s.replacements
		w.Batches += s.batches
		w.LateBatches += s.late
		if ms := float64(s.maxLag) / 1e6; ms > w.MaxLagMs {
			w.MaxLagMs = ms
		}
	}
	w.AchievedRate = float64(w.Replacements*nodeBytes) / w.Seconds
	w.ProcessCPUSeconds = (after.cpu - before.cpu).Seconds()
	w.ProcessCPUShare = w.ProcessCPUSeconds / (w.Seconds * float64(procs))
	w.PageFaults = after.faults - before.faults
	if dt := after.host.total - before.host.total; dt > 0 {
		busy := float64(dt-(after.host.idle-before.host.idle)) / float64(dt)
		w.HostBusyShare = busy
		// Ticks are 1/100 s (USER_HZ on Linux); the host has NumCPU CPUs.
		hostSeconds := float64(dt) / 100
		w.OtherBusyShare = math.Max(0, busy-w.ProcessCPUSeconds/hostSeconds)
		w.StealShare = float64(after.host.steal-before.host.steal) / float64(dt)
	}
	w.GCCPUFractionEnd = after.ms.GCCPUFraction
	w.LimiterLastEnabled = after.m[6].Value.Uint64()
	w.LoadAvgStart, w.LoadAvgEnd = before.loadavg, after.loadavg
	w.MemStatsPauseTotalMs = float64(after.ms.PauseTotalNs-before.ms.PauseTotalNs) / 1e6

	res.Pauses.Histogram = histDist(before.m[4].Value.Float64Histogram(), after.m[4].Value.Float64Histogram(),
		"/gc/pauses:seconds difference over the window: every STW pause (two per cycle); p50/p99/max "+
			"are upper bounds of the histogram buckets (about 6% wide)")
	res.Pauses.PerCycle = distOfMs(perCyclePauses(&before.ms, &after.ms),
		"MemStats.PauseNs for the cycles completed in the window: exact, one value per cycle, the sum of "+
			"that cycle's STW pauses (the ring holds the last 256 cycles)")
	res.SchedLatency = histDist(before.m[5].Value.Float64Histogram(), after.m[5].Value.Float64Histogram(),
		"/sched/latencies:seconds difference over the window: time goroutines spent runnable before "+
			"running; bucket upper bounds")
	latMs := make([]float64, len(lat))
	for i, d := range lat {
		latMs[i] = float64(d) / 1e6
	}
	res.Hiccup = distOfMs(latMs, "1 ms sleep loop: wake-up time minus 1 ms, exact")

	h := &res.Heap
	h.PeakInuseOverLive = float64(h.PeakInuseBytes) / live
	h.PeakRSSOverLive = float64(h.PeakRSSBytes) / live
	if w.ForcedCycles != 0 {
		res.Notes["forced"] = "forced GC cycles ran inside the window"
	}
	if w.AchievedRate < 0.95*rate {
		res.Notes["rate"] = fmt.Sprintf("the mutators fell behind: achieved %.0f MiB/s of %.0f MiB/s",
			w.AchievedRate/(1<<20), rate/(1<<20))
	}
	return res, nil
}

// sinkNode makes the prefault allocations escape to the heap.
var sinkNode *node

// nodeSink keeps nodeReadNs's reads from being optimised away.
var nodeSink int64

// nodeReadNs is the mean time of a random node read: load a random table slot, then the node's key.
func nodeReadNs(t []*node, seed uint64) float64 {
	const reads = 200000
	rng := splitmix.Rand{State: mutatorSeed(seed, 1<<20)}
	var sum int64
	start := time.Now()
	for i := 0; i < reads; i++ {
		sum += t[rng.Below(len(t))].key
	}
	d := time.Since(start)
	nodeSink = sum
	return float64(d) / reads
}

// perCyclePauses returns MemStats.PauseNs (ms) of the cycles completed between two readings. The
// cycle that brought NumGC to k stored its pause at index (k-1) % 256.
func perCyclePauses(a, b *runtime.MemStats) []float64 {
	first := a.NumGC + 1
	if b.NumGC >= 256 && first < b.NumGC-255 {
		first = b.NumGC - 255
	}
	var out []float64
	for k := first; k <= b.NumGC; k++ {
		out = append(out, float64(b.PauseNs[(k-1)%256])/1e6)
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// Distributions.

// distOfMs summarises exact samples (nearest-rank percentiles).
func distOfMs(v []float64, source string) Dist {
	d := Dist{Count: uint64(len(v)), Source: source}
	if len(v) == 0 {
		return d
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	rank := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(s)))) - 1
		if i < 0 {
			i = 0
		}
		return s[i]
	}
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	d.P50Ms, d.P99Ms, d.MaxMs, d.MeanMs = rank(0.5), rank(0.99), s[len(s)-1], sum/float64(len(s))
	return d
}

// histDist summarises the difference of two readings of a cumulative runtime/metrics time histogram.
// A quantile is reported as the upper bound of the bucket holding it (the lower bound for the
// open-ended last bucket), so it is never an underestimate by more than the overflow case.
func histDist(a, b *metrics.Float64Histogram, source string) Dist {
	counts := make([]uint64, len(b.Counts))
	var total uint64
	for i := range counts {
		counts[i] = b.Counts[i]
		if a != nil && i < len(a.Counts) {
			counts[i] -= a.Counts[i]
		}
		total += counts[i]
	}
	d := Dist{Count: total, Source: source}
	if total == 0 {
		return d
	}
	upper := func(i int) float64 {
		u := b.Buckets[i+1]
		if math.IsInf(u, 1) {
			u = b.Buckets[i]
		}
		return u * 1e3
	}
	quantile := func(q float64) float64 {
		need := uint64(math.Ceil(q * float64(total)))
		if need == 0 {
			need = 1
		}
		var cum uint64
		for i, c := range counts {
			cum += c
			if cum >= need {
				return upper(i)
			}
		}
		return upper(len(counts) - 1)
	}
	d.P50Ms, d.P99Ms = quantile(0.5), quantile(0.99)
	for i := len(counts) - 1; i >= 0; i-- {
		if counts[i] != 0 {
			d.MaxMs = upper(i)
			break
		}
	}
	return d
}

// ---------------------------------------------------------------------------------------------
// `gcchurn table FILE...`: a markdown table of result files, ordered by live heap then GOMAXPROCS.

func printTable(w io.Writer, files []string) error {
	var rs []*Result
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Result
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		rs = append(rs, &r)
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Params.LiveBytes != rs[j].Params.LiveBytes {
			return rs[i].Params.LiveBytes < rs[j].Params.LiveBytes
		}
		return rs[i].Params.GOMAXPROCS < rs[j].Params.GOMAXPROCS
	})
	fmt.Fprintln(w, "| live L | P | window s | alloc GiB (MiB/s) | GC cycles | cycles/GiB | STW pauses | pause p50 / p99 / max µs (hist) | max cycle pause µs (exact) | peak in-use / L | peak RSS / L | GC CPU % | assist % | idle mark % | hiccup p50 / p99 / max ms | other load % | node read ns before / after |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	pct := func(c *GCCPU, f func(*GCCPU) float64) string {
		if c == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f", 100*f(c))
	}
	for _, r := range rs {
		p, wd, h := r.Params, r.Window, r.Pauses.Histogram
		fmt.Fprintf(w, "| %s | %d | %.1f | %.2f (%.0f) | %d | %.2f | %d | %.0f / %.0f / %.0f | %.0f | %.2f | %.2f | %s | %s | %s | %.2f / %.2f / %.2f | %.0f | %.0f / %.0f |\n",
			humanBytes(p.LiveBytes), p.GOMAXPROCS, wd.Seconds, wd.GiBAllocated, wd.AchievedRate/(1<<20),
			wd.Cycles, wd.CyclesPerGiB, h.Count, 1e3*h.P50Ms, 1e3*h.P99Ms, 1e3*h.MaxMs,
			1e3*r.Pauses.PerCycle.MaxMs, r.Heap.PeakInuseOverLive, r.Heap.PeakRSSOverLive,
			pct(r.GCCPU, func(c *GCCPU) float64 { return c.GCShareOfCapacity }),
			pct(r.GCCPU, func(c *GCCPU) float64 { return c.AssistShareOfCapacity }),
			pct(r.GCCPU, func(c *GCCPU) float64 { return c.IdleShareOfCapacity }),
			r.Hiccup.P50Ms, r.Hiccup.P99Ms, r.Hiccup.MaxMs, 100*wd.OtherBusyShare,
			r.Env.NodeReadNsBefore, r.Env.NodeReadNsAfter)
	}
	return nil
}

func humanBytes(b int64) string {
	switch {
	case b >= 1<<30 && b%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", b>>30)
	case b >= 1<<20 && b%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", b>>20)
	default:
		return fmt.Sprintf("%d B", b)
	}
}
