// Package micro holds the Go twins of golab's channel and sync micro-benchmarks
// (golab.workloads.chan: PingPongBench, BufferedChanBench, SelectBench, CounterBench, PoolBench) and of
// its forced-collection and node-update benchmarks (golab.workloads.gc.ForcedGcBench, NodeUpdateBench).
// Each benchmark does what the golab side of its Java twin does, with the same constants, and
// counts an operation as the Java side's @OperationsPerInvocation does, so Go's ns/op and JMH's
// ns/op score measure the same thing:
//
//	Go benchmark               golab benchmark (golab.workloads.chan.)     one operation
//	BenchmarkPingPong          PingPongBench.golabPingPong                 a round trip (two unbuffered hand-offs)
//	BenchmarkBufferedChan      BufferedChanBench.golabBuffered             an element (one send + one receive)
//	  /pairs=1, /pairs=4         @Param pairs
//	BenchmarkSelect            SelectBench.golabSelect                     a select
//	  /cases=2, /cases=4         @Param cases
//	BenchmarkCounterMutex      CounterBench.golabMutex                     an increment
//	BenchmarkCounterChannel    CounterBench.golabChannel                   an increment
//	BenchmarkPoolGetPut        PoolBench.golabPool                         a Get + Put
//	BenchmarkPoolAllocate      PoolBench.golabAllocate                     an allocation of 4 KiB
//	BenchmarkForcedGC          gc.ForcedGcBench.golabForcedGc              a runtime.GC() of a live heap
//	  /liveHeap=64MiB, ...       @Param liveHeap
//	BenchmarkNodeUpdate        gc.NodeUpdateBench.golabNodeUpdate          a churn replacement without its allocation
//	  /liveHeap=1MiB, 64MiB      @Param liveHeap
//
// GOMAXPROCS is the Java side's @Param gomaxprocs: run with -cpu 1,2. The harness keeps the same table
// (golab.harness.bench.GoTwins.MICRO) and runs these after JMH in a `golab bench` run that includes the
// Java benchmarks, with -count and -benchtime taken from JMH's measurement iterations:
//
//	cd workloads/go && go test -run '^$' -bench 'PingPong|Select' -cpu 1,2 -count 3 -benchtime 1s ./micro
//
// Where the Java side runs one invocation of a fixed number of operations (50 000 round trips, 200 000
// elements...) inside a fresh "main", a Go benchmark runs b.N operations in one go: the start-up of the
// goroutines is amortised over b.N here as over the invocation there.
package micro

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"unsafe"

	"golab/internal/bytesize"
	"golab/internal/splitmix"
)

// ball is what ping-pong sends; the Java side sends one preallocated object, here an int by value.
const ball = 1

// BenchmarkPingPong: two goroutines, two unbuffered channels. ping sends the ball on ping and waits for
// it on pong; pong receives it and sends it back. One op is one round trip. The benchmark goroutine plays
// the Java side's "main": it starts the pair and waits for both.
func BenchmarkPingPong(b *testing.B) {
	rounds := b.N
	ping := make(chan int)
	pong := make(chan int)
	var wg sync.WaitGroup
	wg.Add(2)
	b.ResetTimer()
	go func() {
		defer wg.Done()
		for i := 0; i < rounds; i++ {
			ping <- ball
			if v := <-pong; v != ball {
				panic(fmt.Sprintf("ping-pong: received %d instead of the ball", v))
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < rounds; i++ {
			v := <-ping
			if v != ball {
				panic(fmt.Sprintf("ping-pong: received %d instead of the ball", v))
			}
			pong <- v
		}
	}()
	wg.Wait()
}

// bufferedCapacity is BufferedChanBench.CAPACITY and CounterBench.CAPACITY.
const bufferedCapacity = 128

// value is element i of a producer, as the Java side's VALUES[i & 1023].
func value(i int) int { return i & 1023 }

// BenchmarkBufferedChan: `pairs` producers and `pairs` consumers share one channel of 128 slots. The
// producers send b.N values in all and each consumer receives as many as its producer sends (whichever
// values it gets), so all stop without a close; the total received is checked. One op is one element.
func BenchmarkBufferedChan(b *testing.B) {
	for _, pairs := range []int{1, 4} {
		pairs := pairs
		b.Run(fmt.Sprintf("pairs=%d", pairs), func(b *testing.B) {
			elements := b.N
			c := make(chan int, bufferedCapacity)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var received, expected int64
			share := func(p int) int { // b.N need not divide: the first pair takes the remainder
				if p == 0 {
					return elements/pairs + elements%pairs
				}
				return elements / pairs
			}
			for p := 0; p < pairs; p++ {
				for i := 0; i < share(p); i++ {
					expected += int64(value(i))
				}
			}
			wg.Add(2 * pairs)
			b.ResetTimer()
			for p := 0; p < pairs; p++ {
				n := share(p)
				go func() {
					defer wg.Done()
					var s int64
					for i := 0; i < n; i++ {
						s += int64(<-c)
					}
					mu.Lock()
					received += s
					mu.Unlock()
				}()
				go func() {
					defer wg.Done()
					for i := 0; i < n; i++ {
						c <- value(i)
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			if received != expected {
				b.Fatalf("consumers received a sum of %d, producers sent %d", received, expected)
			}
		})
	}
}

// BenchmarkSelect: one producer sends b.N values round-robin over `cases` unbuffered channels (value i on
// channel i % cases); one consumer runs a select with one receive case per channel, b.N times, and checks
// that select i took case i % cases with value i. One op is one select. Go's select statement has a fixed
// number of cases, so each count has its own consumer, written out (reflect.Select would be another
// mechanism).
func BenchmarkSelect(b *testing.B) {
	for _, cases := range []int{2, 4} {
		cases := cases
		b.Run(fmt.Sprintf("cases=%d", cases), func(b *testing.B) {
			selects := b.N
			chans := make([]chan int, cases)
			for k := range chans {
				chans[k] = make(chan int)
			}
			var wg sync.WaitGroup
			wg.Add(2)
			b.ResetTimer()
			go func() {
				defer wg.Done()
				for i := 0; i < selects; i++ {
					chans[i%cases] <- value(i)
				}
			}()
			go func() {
				defer wg.Done()
				switch cases {
				case 2:
					select2(selects, chans[0], chans[1])
				case 4:
					select4(selects, chans[0], chans[1], chans[2], chans[3])
				}
			}()
			wg.Wait()
		})
	}
}

func select2(selects int, c0, c1 chan int) {
	for i := 0; i < selects; i++ {
		var chosen, v int
		select {
		case v = <-c0:
			chosen = 0
		case v = <-c1:
			chosen = 1
		}
		checkSelect(i, 2, chosen, v)
	}
}

func select4(selects int, c0, c1, c2, c3 chan int) {
	for i := 0; i < selects; i++ {
		var chosen, v int
		select {
		case v = <-c0:
			chosen = 0
		case v = <-c1:
			chosen = 1
		case v = <-c2:
			chosen = 2
		case v = <-c3:
			chosen = 3
		}
		checkSelect(i, 4, chosen, v)
	}
}

func checkSelect(i, cases, chosen, v int) {
	if chosen != i%cases || v != value(i) {
		panic(fmt.Sprintf("select %d chose case %d with %d, expected case %d with %d", i, chosen, v, i%cases, value(i)))
	}
}

// counterWorkers is CounterBench.WORKERS.
const counterWorkers = 4

// workerShare is worker w's share of n operations over `workers` workers: n / workers, the first worker
// taking the remainder.
func workerShare(n, workers, w int) int {
	if w == 0 {
		return n/workers + n%workers
	}
	return n / workers
}

// BenchmarkCounterMutex: four goroutines add b.N ones in all to a counter under a sync.Mutex. One op is
// one increment. (The golab side polls a safepoint after each unlock where Go 1.14+ preempts
// asynchronously; Go needs no call for that.)
func BenchmarkCounterMutex(b *testing.B) {
	increments := b.N
	var mu sync.Mutex
	var counter int64
	var wg sync.WaitGroup
	wg.Add(counterWorkers)
	b.ResetTimer()
	for w := 0; w < counterWorkers; w++ {
		n := workerShare(increments, counterWorkers, w)
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	if counter != int64(increments) {
		b.Fatalf("counter is %d after %d increments", counter, increments)
	}
}

// BenchmarkCounterChannel: four goroutines send b.N ones in all on a channel of 128 slots to an owner
// goroutine, the only one that touches the count, which sends its total back when done. One op is one
// increment.
func BenchmarkCounterChannel(b *testing.B) {
	increments := b.N
	sends := make(chan int, bufferedCapacity)
	total := make(chan int64, 1)
	b.ResetTimer()
	go func() {
		var owned int64
		for i := 0; i < increments; i++ {
			owned += int64(<-sends)
		}
		total <- owned
	}()
	for w := 0; w < counterWorkers; w++ {
		n := workerShare(increments, counterWorkers, w)
		go func() {
			for i := 0; i < n; i++ {
				sends <- 1
			}
		}()
	}
	counter := <-total
	b.StopTimer()
	if counter != int64(increments) {
		b.Fatalf("counter is %d after %d increments", counter, increments)
	}
}

// poolBufferSize is PoolBench.SIZE.
const poolBufferSize = 4096

// buffer is what the pool holds: a pointer to 4 KiB, as the Java pool holds a byte[] reference (a []byte
// put into the pool would allocate its slice header on every Put).
type buffer = *[poolBufferSize]byte

// sinks are the Java side's Blackhole, one padded slot per worker: storing a buffer there keeps it live
// and makes a fresh one escape to the heap, without the workers sharing a cache line.
var sinks [64]struct {
	b buffer
	_ [56]byte
}

// onEachP runs GOMAXPROCS workers (one per P, as the Java side runs gomaxprocs goroutines) that share
// b.N operations, and waits for them.
func onEachP(b *testing.B, worker func(slot, n int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > len(sinks) {
		b.Fatalf("GOMAXPROCS %d: at most %d workers", workers, len(sinks))
	}
	var wg sync.WaitGroup
	wg.Add(workers)
	b.ResetTimer()
	for w := 0; w < workers; w++ {
		w := w
		n := workerShare(b.N, workers, w)
		go func() {
			defer wg.Done()
			worker(w, n)
		}()
	}
	wg.Wait()
	b.StopTimer()
	for i := range sinks {
		sinks[i].b = nil
	}
}

// BenchmarkPoolGetPut: each worker Gets a 4 KiB buffer from one sync.Pool (a package variable in a Go
// program, here one per benchmark run), hands it to its sink and Puts it back. One op is one Get + Put.
func BenchmarkPoolGetPut(b *testing.B) {
	pool := &sync.Pool{New: func() any { return new([poolBufferSize]byte) }}
	onEachP(b, func(slot, n int) {
		for i := 0; i < n; i++ {
			buf := pool.Get().(buffer)
			if len(buf) != poolBufferSize {
				panic(fmt.Sprintf("pool returned a buffer of %d bytes", len(buf)))
			}
			sinks[slot].b = buf
			pool.Put(buf)
		}
	})
}

// BenchmarkPoolAllocate: each worker allocates a fresh 4 KiB buffer and hands it to its sink (so it is a
// heap allocation, zeroed, and garbage at the next one). One op is one allocation. Go's collector pays for
// these as the JVM's does for the Java side's (which allocates JVM arrays, not golab's model heap).
func BenchmarkPoolAllocate(b *testing.B) {
	onEachP(b, func(slot, n int) {
		for i := 0; i < n; i++ {
			sinks[slot].b = new([poolBufferSize]byte)
		}
	})
}

// node is gcchurn's: two pointers, then scalars up to 64 bytes.
type node struct {
	left, right *node
	key, val    int64
	pad         [4]int64
}

// nodeAndSlotBytes is what each node costs the live heap, as gcchurn counts it: the node and its table slot.
const nodeAndSlotBytes = int64(unsafe.Sizeof(node{})) + 8

// groupSize is gcchurn's: each run of 8 table slots links its nodes as a binary tree.
const groupSize = 8

// forcedGCSeed seeds the shuffle that places the nodes (ForcedGcBench.SEED on the Java side).
const forcedGCSeed = 1

// BenchmarkForcedGC: one op is runtime.GC() over a live heap of liveHeap bytes: gcchurn's table of
// liveHeap/nodeAndSlotBytes slots and its nodes, allocated in the order of a splitmix64 Fisher–Yates shuffle
// of the slots (the permutation golab.workloads.gc.ForcedGcBench uses) so that, as in a churned heap, a
// slot's node sits anywhere in memory. Nothing else runs: the score is a whole collection, the sweep included.
func BenchmarkForcedGC(b *testing.B) {
	for _, live := range []string{"64MiB", "256MiB"} {
		bytes, err := bytesize.Parse(live)
		if err != nil {
			b.Fatal(err)
		}
		var table []*node // built on b.Run's first call of the function, kept through its later calls
		b.Run("liveHeap="+live, func(b *testing.B) {
			if table == nil {
				table = scatteredTable(int(int64(bytes) / nodeAndSlotBytes))
				runtime.GC()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				runtime.GC()
			}
		})
	}
	runtime.GC() // the next benchmark starts without this heap
}

// scatteredTable allocates the n nodes in the shuffled order of their slots, then links each group's tree
// (the children of slot b+j are b+2j+1 and b+2j+2).
func scatteredTable(n int) []*node {
	t := make([]*node, n)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	r := splitmix.Rand{State: forcedGCSeed}
	for i := n - 1; i > 0; i-- {
		j := r.Below(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	for _, k := range order {
		t[k] = &node{key: int64(k)}
	}
	for b := 0; b < n; b += groupSize {
		end := b + groupSize
		if end > n {
			end = n
		}
		for k := b; k < end; k++ {
			if l := b + 2*(k-b) + 1; l < end {
				t[k].left = t[l]
				if l+1 < end {
					t[k].right = t[l+1]
				}
			}
		}
	}
	return t
}

// nodeUpdateSeed seeds the slot sequence of BenchmarkNodeUpdate (NodeUpdateBench.SEED on the Java side).
const nodeUpdateSeed = 2

// BenchmarkNodeUpdate: one op is one gcchurn replacement without its allocation, on BenchmarkForcedGC's heap: a
// random slot's node put back in place — key and value stored, children loaded from the table and stored, the
// slot stored, the parent's child pointer stored. Nothing is allocated, so no cycle runs and the write barrier is
// off: the mutator's loads and stores alone.
func BenchmarkNodeUpdate(b *testing.B) {
	for _, live := range []string{"1MiB", "64MiB"} {
		bytes, err := bytesize.Parse(live)
		if err != nil {
			b.Fatal(err)
		}
		var table []*node
		r := splitmix.Rand{State: nodeUpdateSeed}
		b.Run("liveHeap="+live, func(b *testing.B) {
			if table == nil {
				table = scatteredTable(int(int64(bytes) / nodeAndSlotBytes))
				runtime.GC()
			}
			n := len(table)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := r.Below(n)
				install(table, k, table[k], int64(i))
			}
		})
	}
	runtime.GC()
}

// install puts nd in slot k as gcchurn's replace does with a fresh node.
func install(table []*node, k int, nd *node, val int64) {
	b := k &^ (groupSize - 1)
	end := b + groupSize
	if end > len(table) {
		end = len(table)
	}
	nd.key = int64(k)
	nd.val = val
	if l := b + 2*(k-b) + 1; l < end {
		nd.left = table[l]
		if l+1 < end {
			nd.right = table[l+1]
		}
	}
	table[k] = nd
	if k > b {
		parent := table[b+(k-b-1)/2]
		if (k-b)&1 == 1 {
			parent.left = nd
		} else {
			parent.right = nd
		}
	}
}
