package hdrhistogram

import (
	"bytes"
	"fmt"
	"sync"
	"time"
)

// Log is an interval log in HdrHistogram's format 1.3, as Java's HistogramLogWriter writes it with
// outputLogFormatVersion, outputStartTime and outputLegend, then one line per interval:
//
//	Tag=<tag>,<start s>,<length s>,<max / 10^6>,<base64 of the compressed histogram>
//
// Start times are seconds after the log's start time (HistogramLogReader adds the StartTime back),
// and the max column is in milliseconds when values are nanoseconds, as in Java's default ratio.
// The log is kept in memory so that the file can be rewritten whole (and atomically) after each
// interval: a reader never sees half a line.
type Log struct {
	buf    bytes.Buffer
	baseMs int64
}

// NewLog starts a log whose time stamps count from startMs (epoch milliseconds).
func NewLog(startMs int64) *Log {
	l := &Log{baseMs: startMs}
	l.buf.WriteString("#[Histogram log format version 1.3]\n")
	// Java writes new Date(ms).toString() after the seconds; the reader reads only the seconds.
	fmt.Fprintf(&l.buf, "#[StartTime: %.3f (seconds since epoch), %s]\n", float64(startMs)/1000,
		time.UnixMilli(startMs).Format("Mon Jan 02 15:04:05 MST 2006"))
	l.buf.WriteString("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n")
	return l
}

// Append writes h as the next interval, with its StartMs, EndMs and Tag.
func (l *Log) Append(h *Histogram) {
	if h.Tag != "" {
		fmt.Fprintf(&l.buf, "Tag=%s,", h.Tag)
	}
	fmt.Fprintf(&l.buf, "%.3f,%.3f,%.3f,%s\n", float64(h.StartMs-l.baseMs)/1000, float64(h.EndMs-h.StartMs)/1000,
		float64(h.Max())/1e6, h.Base64())
}

// Bytes is the whole log so far.
func (l *Log) Bytes() []byte { return l.buf.Bytes() }

// Recorder is a histogram that goroutines record into concurrently while another takes interval
// histograms from it, the role of Java's Recorder. A mutex is enough here: the twins record at most
// some thousands of values a second, and a value's lock is held for a few nanoseconds.
type Recorder struct {
	mu      sync.Mutex
	current *Histogram
}

// NewRecorder returns a recorder of nanosecond values (NewNanos).
func NewRecorder() *Recorder { return &Recorder{current: NewNanos()} }

// Record counts one value.
func (r *Recorder) Record(v int64) {
	r.mu.Lock()
	r.current.Record(v)
	r.mu.Unlock()
}

// Interval returns what was recorded since the previous call and starts a new interval.
func (r *Recorder) Interval() *Histogram {
	fresh := NewNanos()
	r.mu.Lock()
	h := r.current
	r.current = fresh
	r.mu.Unlock()
	return h
}
