package trial

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golab/internal/hdrhistogram"
)

// DirEnv names, in a child that a parent re-executed, the trial folder the parent claimed.
const DirEnv = "GOLAB_TRIAL_DIR"

// The runtime prints gctrace lines only to its own stderr, and only when GODEBUG=gctrace=1 is set
// when the process starts. So a twin that records gctrace.txt runs twice: the parent re-executes
// itself with GODEBUG=gctrace=1 and reads the child's stderr, the child runs the workload. That
// works however the twin was launched, with no shell redirection to get right.

// RunTraced runs this program again with the same arguments, GODEBUG=gctrace=1 added to any
// GODEBUG already set, and env added to the environment. The child's stdout goes to stdout and
// each line of its stderr to line, in order.
func RunTraced(env []string, stdout io.Writer, line func(string)) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, os.Args[1:]...)
	godebug := os.Getenv("GODEBUG")
	if godebug != "" {
		godebug += ","
	}
	cmd.Env = append(append(os.Environ(), "GODEBUG="+godebug+"gctrace=1"), env...)
	cmd.Stdout = stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line(sc.Text())
	}
	// Drain whatever a scanner error left, so that the child never blocks on a full pipe.
	io.Copy(io.Discard, stderr)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("child run failed: %w", err)
	}
	return sc.Err()
}

// GCTrace keeps gctrace.txt of a trial up to date with a child's stderr.
type GCTrace struct {
	path    string
	content strings.Builder
	written time.Time
}

// NewGCTrace writes an empty gctrace.txt in dir; Add fills it.
func NewGCTrace(dir string) (*GCTrace, error) {
	g := &GCTrace{path: filepath.Join(dir, GCTraceFile)}
	return g, g.Flush()
}

// Add appends a line. The file is rewritten at most every 100 ms here (a collection every few
// milliseconds would otherwise mean as many file syncs), and by Flush.
func (g *GCTrace) Add(line string) error {
	g.content.WriteString(line)
	g.content.WriteByte('\n')
	if time.Since(g.written) < 100*time.Millisecond {
		return nil
	}
	return g.Flush()
}

// Flush rewrites the file with every line so far.
func (g *GCTrace) Flush() error {
	g.written = time.Now()
	return WriteFileAtomic(g.path, []byte(g.content.String()))
}

// MarkComplete sets the status of the trial in dir to complete, with the end time now.
func MarkComplete(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, TrialFile))
	if err != nil {
		return err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s: %w", TrialFile, err)
	}
	ended := isoMillis(time.Now())
	m.Status, m.EndedAt = Complete, &ended
	return writeManifest(dir, &m)
}

// Supervise is the parent's side of a traced trial: it claims the trial folder under root, runs
// this program again as its child (RunTraced) with the folder in DirEnv, copies the child's whole
// stderr into gctrace.txt (as TrialRecording keeps everything the golab runtime writes to stderr)
// and passes the lines that are not gctrace lines on to this process's stderr, then marks the trial
// complete if the child succeeded. The child calls Start, which finds the folder.
func Supervise(root, benchmark string, params map[string]string, stdout io.Writer) (dir string, err error) {
	dir, err = CreateFolder(root, benchmark, params)
	if err != nil {
		return "", err
	}
	trace, err := NewGCTrace(dir)
	if err != nil {
		return dir, err
	}
	var traceErr error
	err = RunTraced([]string{DirEnv + "=" + dir}, stdout, func(line string) {
		if err := trace.Add(line); err != nil && traceErr == nil {
			traceErr = err
		}
		if !strings.HasPrefix(line, "gc ") {
			fmt.Fprintln(os.Stderr, line)
		}
	})
	if err == nil {
		err = traceErr
	}
	if flushErr := trace.Flush(); err == nil {
		err = flushErr
	}
	if err != nil {
		return dir, err
	}
	return dir, MarkComplete(dir)
}

// HiccupPeriod is the hiccup probe's sleep, as in HiccupProbe.java.
const HiccupPeriod = time.Millisecond

// Hiccup sleeps HiccupPeriod in a loop until stop is closed and records how late each wake-up
// is, in nanoseconds: what any goroutine of the program waits for beyond its own work (stop-the-
// world pauses, assists or busy goroutines holding the Ps, timer delays).
func Hiccup(rec *hdrhistogram.Recorder, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		asleep := time.Now()
		time.Sleep(HiccupPeriod)
		rec.Record(int64(time.Since(asleep) - HiccupPeriod))
	}
}
