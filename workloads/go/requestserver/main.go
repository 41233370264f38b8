// Command requestserver is the Go twin of golab's request server (golab.workloads.lab.RequestServer):
// an open-loop load generator and a server that does a little work per request over a shared live
// heap, recording each request's latency from its intended start, together with the collector's
// pauses, scheduling latencies and a 1 ms hiccup probe, into golab's trial folder layout.
//
// The workload:
//
//   - Cache: a table of n = L/72 entries (L = -live), each a 64-byte node with two pointers, built
//     once and only read afterwards: the live heap the collector marks on every cycle. Entry i links
//     to entries i-1 and i/2, so marking meets two pointers per object.
//   - Generator: requests are due at intended start times, -rate per second, spaced evenly
//     (-arrival constant) or exponentially (poisson). The generator sleeps until the next due time,
//     then starts every request whose time has passed, one goroutine each. It never waits for
//     responses (open loop), so a stalled server shows as latency, not as fewer requests
//     (no coordinated omission).
//   - Request: reads -reads random cache entries, allocates a response graph of -nodes 64-byte
//     nodes linked in a list, the first pointing at a cache entry, and a -buffer byte buffer it
//     fills, checksums all of it, records its latency from the intended start (stream latency) and
//     from the moment the generator started it (latency-from-issue, what a closed-loop client would
//     see), and sends the response to the collector goroutine, which keeps the checksums.
//
// Iterations: -warmup then -iterations iterations of -iteration each, back to back; each is one
// interval of every stream. By default the program re-executes itself with GODEBUG=gctrace=1 to
// capture the runtime's gctrace lines (see internal/trial); -gctrace=false runs in process.
//
// Usage:
//
//	requestserver -trials /tmp/trials -rate 2000 -arrival poisson -live 64MiB -gomaxprocs 2
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"golab/internal/bytesize"
	"golab/internal/hdrhistogram"
	"golab/internal/splitmix"
	"golab/internal/trial"
)

// node is a cache entry and a response graph node: 64 bytes (a size class), two pointer words
// first, as in gcchurn and the Java twins.
type node struct {
	left, right *node
	key, val    int64
	pad         [4]int64
}

const nodeBytes = int64(unsafe.Sizeof(node{}))

// slotBytes is one table slot; the table counts in the live heap, as in gcchurn.
const slotBytes = int64(unsafe.Sizeof((*node)(nil)))

type options struct {
	rate                   float64
	arrival                string
	live, gogc, gomemlimit string
	reads, nodes, buffer   int
	warmup, iterations     int
	iteration              time.Duration
	gomaxprocs             int
	trials, benchmark      string
	seed                   int64
	gctrace                bool
}

func main() {
	var o options
	flag.Float64Var(&o.rate, "rate", 5000, "requests per second")
	flag.StringVar(&o.arrival, "arrival", "poisson", "arrival process: constant or poisson")
	flag.StringVar(&o.live, "live", "64MiB", "live heap L, the shared cache (suffixes KiB, MiB, GiB)")
	flag.IntVar(&o.reads, "reads", 16, "cache entries a request reads")
	flag.IntVar(&o.nodes, "nodes", 32, "64-byte nodes in a response graph")
	flag.IntVar(&o.buffer, "buffer", 4096, "bytes of a response buffer")
	flag.IntVar(&o.warmup, "warmup", 2, "warmup iterations")
	flag.IntVar(&o.iterations, "iterations", 3, "measurement iterations")
	flag.DurationVar(&o.iteration, "iteration", time.Second, "length of an iteration")
	flag.IntVar(&o.gomaxprocs, "gomaxprocs", 0, "GOMAXPROCS (default: the runtime's)")
	flag.StringVar(&o.gogc, "gogc", "100", "GOGC: a percentage or off")
	flag.StringVar(&o.gomemlimit, "gomemlimit", "off", "soft memory limit in bytes (suffixes KiB, MiB, GiB) or off")
	flag.StringVar(&o.trials, "trials", filepath.Join(os.TempDir(), "golab-trials"), "the trials root folder")
	flag.StringVar(&o.benchmark, "benchmark", "go.requestserver", "benchmark name: the first folder level under -trials")
	flag.Int64Var(&o.seed, "seed", 1, "random seed")
	flag.BoolVar(&o.gctrace, "gctrace", true, "re-execute with GODEBUG=gctrace=1 and record the runtime's stderr in gctrace.txt")
	flag.Parse()
	if flag.NArg() != 0 {
		fatalf("unexpected arguments: %v", flag.Args())
	}
	if o.rate <= 0 || o.iteration <= 0 || o.warmup < 0 || o.iterations < 1 || o.reads < 1 || o.nodes < 1 || o.buffer < 0 {
		fatalf("-rate, -iteration, -iterations, -reads and -nodes must be positive")
	}
	if o.arrival != "constant" && o.arrival != "poisson" {
		fatalf("-arrival must be constant or poisson, not %q", o.arrival)
	}
	if o.gomaxprocs > 0 {
		runtime.GOMAXPROCS(o.gomaxprocs)
	}
	// Java's @Param names, so that both twins' trials sit side by side under -trials.
	params := map[string]string{
		"gomaxprocs": strconv.Itoa(runtime.GOMAXPROCS(0)), "gogc": o.gogc, "gomemlimit": o.gomemlimit,
		"liveHeap": o.live, "rate": strconv.FormatFloat(o.rate, 'f', -1, 64), "arrival": o.arrival,
	}
	if o.gctrace && os.Getenv(trial.DirEnv) == "" {
		dir, err := trial.Supervise(o.trials, o.benchmark, params, os.Stdout)
		if err != nil {
			fatalf("%v (trial folder %s)", err, dir)
		}
		fmt.Fprintf(os.Stderr, "requestserver: recorded %s\n", dir)
		return
	}
	if err := run(&o, params); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "requestserver: "+format+"\n", args...)
	os.Exit(1)
}

func run(o *options, params map[string]string) error {
	live, err := bytesize.Parse(o.live)
	if err != nil {
		return err
	}
	gogc := -1
	if o.gogc != "off" {
		if gogc, err = strconv.Atoi(o.gogc); err != nil {
			return fmt.Errorf("bad -gogc %q", o.gogc)
		}
	}
	if o.gomemlimit != "off" {
		limit, err := bytesize.Parse(o.gomemlimit)
		if err != nil {
			return err
		}
		debug.SetMemoryLimit(int64(limit))
	}
	n := int(int64(live) / (nodeBytes + slotBytes))
	if n < 2 {
		return fmt.Errorf("-live %s is too small", o.live)
	}

	rec, err := trial.Start(o.trials, o.benchmark, params)
	if err != nil {
		return err
	}
	latency := rec.Recorder("latency")
	fromIssue := rec.Recorder("latency-from-issue")
	rec.RuntimeHistogram("gc-pauses", "/gc/pauses:seconds")
	rec.RuntimeHistogram("sched-latencies", "/sched/latencies:seconds")
	hiccups := rec.Recorder("hiccup-goroutine")

	// The cache is built with the collector off (it would only mark a growing live heap again and
	// again), then one collection sets the heap goal from the live heap, as a server's would be
	// after start-up.
	debug.SetGCPercent(-1)
	cache := buildCache(n)
	debug.SetGCPercent(gogc)
	runtime.GC()

	stop := make(chan struct{})
	var background sync.WaitGroup
	background.Add(1)
	go func() { defer background.Done(); trial.Hiccup(hiccups, stop) }()

	responses := make(chan response, 1024)
	background.Add(1)
	go func() { defer background.Done(); collect(responses) }()

	var inflight sync.WaitGroup
	generated := make(chan struct{})
	go func() {
		defer close(generated)
		generate(o, cache, responses, latency, fromIssue, &inflight, stop)
	}()

	rec.Begin()
	// Iteration ends are absolute (start + k * -iteration), so the time spent writing the files
	// does not stretch the iterations that follow.
	begun := time.Now()
	for i := 0; i < o.warmup+o.iterations; i++ {
		time.Sleep(time.Until(begun.Add(time.Duration(i+1) * o.iteration)))
		if err := rec.EndIteration(i < o.warmup); err != nil {
			close(stop)
			return err
		}
	}
	close(stop)
	// The generator stops first (it alone starts requests, so inflight cannot grow after that), then
	// requests under way finish, then the collector drains: what completes after the last iteration
	// ended is not recorded.
	<-generated
	inflight.Wait()
	close(responses)
	background.Wait()
	runtime.KeepAlive(cache)
	return rec.Close()
}

// buildCache allocates the n entries and links entry i to entries i-1 and i/2.
func buildCache(n int) []*node {
	cache := make([]*node, n)
	for i := range cache {
		e := &node{key: int64(i), val: int64(i) * 2654435761}
		if i > 0 {
			e.left, e.right = cache[i-1], cache[i/2]
		}
		cache[i] = e
	}
	return cache
}

// response is what a request hands to the collector. It holds the response graph and buffer until
// the collector drops it, as a server's reply would be held until written.
type response struct {
	checksum uint64
	graph    *node
	buffer   []byte
}

// generate starts requests at their intended times until stop is closed (see the package comment).
func generate(o *options, cache []*node, out chan<- response, latency, fromIssue *hdrhistogram.Recorder,
	inflight *sync.WaitGroup, stop <-chan struct{}) {
	rng := rand.New(rand.NewSource(o.seed))
	mean := float64(time.Second) / o.rate
	gap := func() time.Duration {
		if o.arrival == "poisson" {
			return time.Duration(rng.ExpFloat64() * mean)
		}
		return time.Duration(mean)
	}
	next := time.Now()
	var seq uint64
	for {
		now := time.Now()
		for !next.After(now) {
			intended, issued := next, time.Now()
			seq++
			inflight.Add(1)
			go func(seed uint64) {
				defer inflight.Done()
				r := serve(cache, o.reads, o.nodes, o.buffer, seed)
				replied := time.Now()
				latency.Record(int64(replied.Sub(intended)))
				fromIssue.Record(int64(replied.Sub(issued)))
				out <- r
			}(uint64(o.seed)<<32 ^ seq)
			next = next.Add(gap())
		}
		select {
		case <-stop:
			return
		case <-time.After(next.Sub(now)):
		}
	}
}

// serve is one request's work: reads of the shared cache, then a freshly allocated response.
func serve(cache []*node, reads, nodes, size int, seed uint64) response {
	r := splitmix.Rand{State: seed}
	var sum uint64
	var entry *node
	for i := 0; i < reads; i++ {
		entry = cache[r.Below(len(cache))]
		sum = sum*31 + uint64(entry.key) + uint64(entry.left.keyOrZero())
	}
	// The list is built tail first, so the node built last, the head, is the one pointing into the
	// cache: the response's first node refers to cache data, like a reply quoting an entry.
	var graph *node
	for i := nodes - 1; i >= 0; i-- {
		graph = &node{left: graph, key: int64(i), val: int64(sum)}
	}
	graph.right = entry
	buffer := make([]byte, size)
	for i := range buffer {
		buffer[i] = byte(sum >> (uint(i) % 8 * 8))
	}
	for n := graph; n != nil; n = n.left {
		sum = sum*31 + uint64(n.key)
	}
	for _, b := range buffer {
		sum = sum*31 + uint64(b)
	}
	return response{checksum: sum, graph: graph, buffer: buffer}
}

func (n *node) keyOrZero() int64 {
	if n == nil {
		return 0
	}
	return n.key
}

// checksums keeps the compiler from discarding the responses' work.
var checksums uint64

// collect receives every response and keeps the sum of their checksums.
func collect(in <-chan response) {
	var sum uint64
	for r := range in {
		sum += r.checksum
	}
	checksums = sum
}
