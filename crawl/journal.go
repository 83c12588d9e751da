package crawl

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"slices"
	"sync"
	"time"
)

// The state file (OpenState) is a 16-byte header, journalMagic and the
// format version as a little-endian uint32, followed by records that are
// only ever appended (until the file is compacted: see compact), each
// framed as
//
//	length   uint32, little-endian: the bytes of type and payload
//	checksum uint32, little-endian: CRC-32C of type and payload
//	type     byte
//	payload
//
// Numbers in payloads are unsigned varints (encoding/binary), strings a
// varint length and the bytes. The payloads:
//
//	recAdd      first Seq, then entries until the end, Seqs first, first+1…:
//	            depth (signed varint), kind (byte: the Kind in the low
//	            four bits, the Nesting in the high four), URL, key (varint
//	            0 when it equals the URL, else its length+1 and the bytes)
//	recDone     Seq, flags (doneFailed, doneEmitted, doneEmittedVisited),
//	            count and visited keys, emitted key unless it is the first
//	            visited one or there is none
//	recEmitted  keys until the end
//	recScope    hosts until the end
//	recSource   a source (SourceSet): its entry as in recAdd, ETag,
//	            Last-Modified, failures, queued (Unix ms), pending (byte),
//	            until (signed varint), hash
//	recKeys     keys until the end, each a flags byte (flagSeen,
//	            flagVisited, flagEmitted) and the key
//	recTally    done, failed: added to the counts; Seq: the last Seq
//	            assigned, from now on, at least the one before and, if
//	            greater, with no Seq queued
//
// Version 1 files hold the first five types only; compaction writes
// recKeys and recTally, and version 2 in the header, so that a newsx that
// reads version 1 only refuses the file instead of calling it damaged.
// Files are created at version 1.
//
// An entry's kind byte holds the Kind in bits 0-2 and Entry.Revisit in
// bit 3; a recAdd entry with Revisit set queues a key seen before.
const (
	journalMagic = "newsx state\x00"
	// journalVersion is the newest format this reads and the one
	// compaction writes; journalCreate the one a new file starts with.
	journalVersion = 2
	journalCreate  = 1
	headerSize     = 16
	frameSize      = 8 // length and checksum

	recAdd     = 1
	recDone    = 2
	recEmitted = 3
	recScope   = 4
	recSource  = 5
	recKeys    = 6
	recTally   = 7

	// kindMask and kindRevisit split the low four bits of an entry's
	// kind byte: the Kind, and Entry.Revisit.
	kindMask    = 0x07
	kindRevisit = 0x08

	doneFailed         = 1
	doneEmitted        = 2
	doneEmittedVisited = 4

	// maxRecord bounds a record's length; a longer one is damage.
	maxRecord = 64 << 20
	// chunkSize is the payload size past which Add, MarkEmitted and AddScope start
	// another record. It is below the 64 KiB window through which Claim
	// reads the frontier, so that a Claim that stops inside a record finds
	// the record in the window on the next call instead of reading and
	// decoding it again from the file.
	chunkSize = 60 << 10
	// maxKey bounds the URLs, keys and hosts recorded, so that no record
	// can reach maxRecord: longer ones are left out (see OpenState).
	maxKey = 1 << 20
	// checkpointEvery is how many Seqs apart replay notes where entries
	// are, to find the first queued one without keeping every offset.
	checkpointEvery = 1024
	// maxSeq bounds the Seq a recTally moves to, far from overflowing.
	maxSeq = 1 << 62
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// boltMagic is the magic number of a bbolt database's meta page, at byte
// 16 of the file: the state format before the journal.
const boltMagic = 0xED0CDAED

// StateOptions configures OpenState. The zero value is ready to use.
type StateOptions struct {
	// Logger receives the warning about a damaged end of the file being
	// cut off when it is opened, and what compaction did; nil discards
	// it.
	Logger *slog.Logger

	// compactAbove is the size under which the file is never compacted:
	// 0 means compactMin, a negative size never.
	compactAbove int64
}

// journalStore is the Store kept in an append-only state file. In memory
// it keeps the ledger (key hashes with their flags, the Seqs queued, the
// counts), rebuilt from the records; frontier entries stay in the file
// and are read back when claimed. Leases live in memory: only one
// process opens the file, so after a crash every entry not done is
// simply queued again.
type journalStore struct {
	path string
	f    *os.File
	lr   logReader // for the frontier scan
	log  *slog.Logger
	// compactAbove is StateOptions.compactAbove, the default filled in.
	compactAbove int64
	// usage estimates the bytes of the live state (compact.go).
	usage usage
	// compactFailed is the size of the file when a compaction last
	// failed, 0 if none did.
	compactFailed int64
	// compactHook, if set, is called after each step of compact; an
	// error stops it there (tests).
	compactHook func(step string) error

	mu sync.Mutex
	ledger
	// scan is the offset of the first record that may hold an entry
	// never claimed: the entries of records before it are done, or were
	// claimed (their Seq is at most the lease cursor).
	scan int64

	end   int64  // bytes of the file written
	buf   []byte // records not yet written
	group int    // outcomes in buf
	timer *time.Timer
	// err is the first write or sync failure; every call after it fails.
	err     error
	closed  bool
	dirty   bool // written since the last sync started
	syncing bool
	synced  sync.Cond // signalled when syncing ends; L is &mu
	syncs   sync.WaitGroup
}

// A group of outcomes is written when it holds batchMax of them or
// batchBytes of records, or its first is batchWait old, and before the
// frontier is read; each write is followed by an fsync on another
// goroutine. A buffer grown past 2×batchBytes (a sitemap's entries) is
// not kept: it would stay on the heap for the rest of the crawl.
const (
	batchMax   = 64
	batchBytes = 64 << 10
	batchWait  = 100 * time.Millisecond
)

// OpenState opens (creating if needed) the crawl state file at path: an
// append-only log of the entries queued, the outcomes of those done, the
// keys marked emitted and the crawl's scope, replayed into memory when
// the file is opened. What stays in memory is small: a hash table of the
// keys ever queued, fetched or written (11 to 21 bytes a key, outside the
// Go heap on Unix systems; see keySet for the chance of two keys
// colliding), one bit per entry queued since the file was last compacted,
// and the leases; frontier entries are read back from the file when
// claimed. Close releases the table.
//
// Add, AddScope and MarkEmitted are written to the file at once; outcomes
// (Done) in groups of up to 64 (or 64 KiB) or 100 ms, and before any
// Claim. Every write is synced to disk right after it, on another
// goroutine, so that Run never waits for the disk. A crawl killed at any moment (kill -9)
// resumes from what was written: the outcomes of the group not yet
// written, like the entries in flight, are queued again, and the records
// already written are found again by reading the output back
// (MarkEmitted), so none is written twice. If the machine itself stops,
// the writes not yet synced are lost too, with the same effect. A record
// cut short at the end of the file (a write the crash interrupted) fails
// its checksum: OpenState cuts it off and logs a warning.
//
// Records superseded since (entries done, sources visited again) are
// dropped by compaction: when the file is opened, and in Revisit when
// nothing is queued or in flight, a file of 4 MiB or more whose live
// state is less than half of it is rewritten with that state only, in a
// new file renamed over it, which is logged. A crash leaves the old file
// or the new one, each whole. A failed compaction is logged and the file
// used as it is. Compacted files are format version 2, which older newsx
// versions refuse. Files are not compacted on Windows.
//
// URLs, keys and hosts over 1 MiB are not recorded: an entry with one is
// not queued, and such a visited or emitted key is forgotten (HTTP
// servers refuse URLs a thousand times shorter). Leases and emitted keys
// claimed with ClaimEmitted are kept in memory until their outcome is
// done. Only one process may open the file at a
// time; a second one fails after a second instead of waiting. A state
// file in the bbolt format of earlier newsx versions is refused, not
// overwritten, and so is a file that is not a state file.
func OpenState(path string, opts StateOptions) (Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := openLocked(path)
	if err != nil {
		return nil, err
	}
	s := &journalStore{
		path:         path,
		f:            f,
		lr:           logReader{r: f},
		log:          log,
		compactAbove: opts.compactAbove,
		ledger:       newLedger(),
	}
	s.synced.L = &s.mu
	if s.compactAbove == 0 {
		s.compactAbove = compactMin
	}
	if err := s.load(log); err != nil {
		s.keys.free()
		f.Close()
		return nil, err
	}
	s.removeTemps()
	s.compactIfDue()
	return s, nil
}

// openLocked opens (creating if needed) the file at path and locks it.
// A file locked while it was being replaced (compact renames the new
// file over the one it holds) is the old one, no longer at path: it is
// closed and path opened again.
func openLocked(path string) (*os.File, error) {
	deadline := time.Now().Add(time.Second)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open state %s: %w", path, err)
		}
		if err := lockFile(f, time.Until(deadline)); err != nil {
			f.Close()
			if errors.Is(err, errLocked) {
				return nil, fmt.Errorf("open state %s: in use by another newsx process", path)
			}
			return nil, fmt.Errorf("open state %s: lock: %w", path, err)
		}
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err := errors.Join(err1, err2); err == nil && os.SameFile(held, named) {
			return f, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			f.Close()
			return nil, fmt.Errorf("open state %s: %w", path, err)
		}
		f.Close()
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("open state %s: in use by another newsx process", path)
		}
	}
}

// header returns a file's header for format version v.
func header(v uint32) []byte {
	b := make([]byte, headerSize)
	copy(b, journalMagic)
	binary.LittleEndian.PutUint32(b[len(journalMagic):], v)
	return b
}

// load checks the header, creating it in an empty file, and replays the
// records.
func (s *journalStore) load(log *slog.Logger) error {
	fi, err := s.f.Stat()
	if err != nil {
		return fmt.Errorf("open state %s: %w", s.path, err)
	}
	size := fi.Size()
	head := make([]byte, min(size, 32))
	if _, err := s.f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("open state %s: %w", s.path, err)
	}
	switch {
	case size < headerSize && bytes.HasPrefix(header(journalCreate), head):
		// New, or its creation was cut short.
		if err := s.f.Truncate(0); err != nil {
			return fmt.Errorf("open state %s: %w", s.path, err)
		}
		if _, err := s.f.WriteAt(header(journalCreate), 0); err != nil {
			return fmt.Errorf("open state %s: %w", s.path, err)
		}
		if err := s.f.Sync(); err != nil {
			return fmt.Errorf("open state %s: %w", s.path, err)
		}
		s.end, s.scan = headerSize, headerSize
		return nil
	case isBolt(head):
		return fmt.Errorf("open state %s: the file is in the bbolt format of newsx versions before the journal state file, which this version cannot read: delete it to start the crawl over, or finish the crawl with the newsx that wrote it", s.path)
	case size < headerSize || string(head[:len(journalMagic)]) != journalMagic:
		return fmt.Errorf("open state %s: not a newsx state file: give a new path, or delete the file if it is a damaged state file", s.path)
	}
	switch v := binary.LittleEndian.Uint32(head[len(journalMagic):]); {
	case v == 0:
		return fmt.Errorf("open state %s: not a newsx state file: give a new path, or delete the file if it is a damaged state file", s.path)
	case v > journalVersion:
		return fmt.Errorf("open state %s: state format %d, newer than this newsx reads (%d): use the newsx that wrote it", s.path, v, journalVersion)
	}
	good, damage, err := s.replay(size)
	if err != nil {
		return fmt.Errorf("open state %s: %w", s.path, err)
	}
	if damage != nil {
		log.Warn("state file damaged at its end, cut off", "path", s.path, "offset", good,
			"bytes", size-good, "err", damage)
		if err := s.f.Truncate(good); err != nil {
			return fmt.Errorf("open state %s: cut off damaged end: %w", s.path, err)
		}
		if err := s.f.Sync(); err != nil {
			return fmt.Errorf("open state %s: %w", s.path, err)
		}
	}
	s.end = good
	return nil
}

// isBolt reports whether the first bytes of a file are a bbolt meta page.
func isBolt(head []byte) bool {
	return len(head) >= 20 && (binary.LittleEndian.Uint32(head[16:]) == boltMagic ||
		binary.BigEndian.Uint32(head[16:]) == boltMagic)
}

// replay applies the records of a file of the given size, from the
// header on. It returns where the readable records end and, when the
// file goes on past that, why the rest cannot be read (damage); err is a
// record that has a good checksum but makes no sense, which a crash
// cannot cause.
func (s *journalStore) replay(size int64) (good int64, damage, err error) {
	type checkpoint struct {
		seq uint64
		off int64
	}
	var cps []checkpoint
	lr := logReader{r: s.f, window: 1 << 20}
	off := int64(headerSize)
	for off < size {
		typ, payload, next, err := lr.record(off, size)
		if err != nil {
			damage = err
			break
		}
		if typ == recAdd {
			d := recordDecoder{b: payload}
			if first := d.uvarint(); d.err == nil && (len(cps) == 0 || first >= cps[len(cps)-1].seq+checkpointEvery) {
				cps = append(cps, checkpoint{first, off})
			}
		}
		if err := s.apply(typ, payload); err != nil {
			return 0, nil, fmt.Errorf("record at byte %d: %w: the file is damaged; delete it to start the crawl over", off, err)
		}
		off = next
	}
	// The frontier scan starts at the entries of the first Seq queued.
	s.scan = off
	if first, ok := s.queued.first(0); ok {
		i, _ := slices.BinarySearchFunc(cps, first+1, func(c checkpoint, seq uint64) int {
			if c.seq < seq {
				return -1
			}
			return 1
		})
		// cps[i-1] is the last checkpoint at or before first.
		s.scan = cps[max(i-1, 0)].off
	}
	return off, damage, nil
}

// errDamaged describes a record that cannot be read: cut short, or not
// matching its checksum.
var errDamaged = errors.New("damaged record")

// logReader reads framed records from the state file through a window
// of its bytes.
type logReader struct {
	r      io.ReaderAt
	window int // bytes read at once; 0 means 64 KiB
	win    []byte
	winOff int64
}

// record reads the record at off, which must end by end: its type, its
// payload (valid until the next call) and the offset after it.
func (lr *logReader) record(off, end int64) (typ byte, payload []byte, next int64, err error) {
	h, err := lr.at(off, frameSize, end)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("%w: frame at byte %d: %w", errDamaged, off, err)
	}
	n := int64(binary.LittleEndian.Uint32(h))
	sum := binary.LittleEndian.Uint32(h[4:])
	if n < 1 || n > maxRecord {
		return 0, nil, 0, fmt.Errorf("%w: record at byte %d: length %d", errDamaged, off, n)
	}
	body, err := lr.at(off+frameSize, n, end)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("%w: record at byte %d, %d bytes long: %w", errDamaged, off, n, err)
	}
	if crc32.Checksum(body, castagnoli) != sum {
		return 0, nil, 0, fmt.Errorf("%w: record at byte %d: checksum mismatch", errDamaged, off)
	}
	return body[0], body[1:], off + frameSize + n, nil
}

// at returns the n bytes at off, which must end by end.
func (lr *logReader) at(off, n, end int64) ([]byte, error) {
	if off+n > end {
		return nil, io.ErrUnexpectedEOF
	}
	if off >= lr.winOff && off+n <= lr.winOff+int64(len(lr.win)) {
		return lr.win[off-lr.winOff:][:n], nil
	}
	window := int64(lr.window)
	if window == 0 {
		window = 64 << 10
	}
	size := min(max(n, window), end-off)
	buf := lr.win
	if int64(cap(buf)) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if m, err := lr.r.ReadAt(buf, off); m < len(buf) {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		lr.win = lr.win[:0]
		return nil, err
	}
	if size > 4*window {
		// A large record: not kept as the window.
		lr.win = lr.win[:0]
		return buf[:n], nil
	}
	lr.win, lr.winOff = buf, off
	return buf[:n], nil
}

// recordDecoder reads a payload's fields; the first failure sticks in err.
type recordDecoder struct {
	b   []byte
	err error
}

var errShort = errors.New("payload cut short")

func (d *recordDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *recordDecoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *recordDecoder) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// bytes reads a string: a length and the bytes.
func (d *recordDecoder) bytes() []byte {
	return d.take(d.uvarint())
}

// take reads the next n bytes.
func (d *recordDecoder) take(n uint64) []byte {
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}

func (d *recordDecoder) fail() {
	if d.err == nil {
		d.err = errShort
	}
	d.b = nil
}

// entry reads one entry of a recAdd payload, but not its Seq: its URL and
// key stay in the payload's bytes; same says the key is the URL.
func (d *recordDecoder) entry() (depth int64, kind byte, u, key []byte, same bool) {
	depth = d.varint()
	kind = d.byte()
	u = d.bytes()
	switch n := d.uvarint(); {
	case d.err != nil:
	case n == 0:
		key, same = u, true
	default:
		key = d.take(n - 1)
	}
	return depth, kind, u, key, same
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// begin starts a record of type typ in s.buf and returns where it
// starts, for seal.
func (s *journalStore) begin(typ byte) int {
	start := len(s.buf)
	s.buf = append(s.buf, 0, 0, 0, 0, 0, 0, 0, 0, typ)
	return start
}

// seal frames the record started at start and applies it to the state
// in memory, exactly as replay will.
func (s *journalStore) seal(start int) error {
	body := s.buf[start+frameSize:]
	if len(body) > maxRecord {
		s.buf = s.buf[:start]
		return fmt.Errorf("write state %s: a record of %d bytes, over the limit of %d", s.path, len(body), maxRecord)
	}
	frame(s.buf[start:])
	if err := s.apply(body[0], body[1:]); err != nil {
		// A bug: what is written must replay.
		return fmt.Errorf("write state %s: record does not replay: %w", s.path, err)
	}
	return nil
}

// frame fills in the length and checksum of the record r, which runs
// to its end.
func frame(r []byte) {
	body := r[frameSize:]
	binary.LittleEndian.PutUint32(r, uint32(len(body)))
	binary.LittleEndian.PutUint32(r[4:], crc32.Checksum(body, castagnoli))
}

// chunkWriter writes items of one record type into s.buf as records that
// end once past chunkSize.
type chunkWriter struct {
	s     *journalStore
	typ   byte
	start int // offset of the open record in s.buf, -1 when none
}

// chunked returns a chunkWriter for records of type typ.
func (s *journalStore) chunked(typ byte) chunkWriter {
	return chunkWriter{s: s, typ: typ, start: -1}
}

// item readies the next item: it seals the open record once it is past
// chunkSize, and begins a record when none is open, saying so.
func (w *chunkWriter) item() (began bool, err error) {
	if w.start >= 0 && len(w.s.buf)-w.start > chunkSize {
		start := w.start
		w.start = -1
		if err := w.s.seal(start); err != nil {
			return false, err
		}
	}
	if w.start < 0 {
		w.start = w.s.begin(w.typ)
		return true, nil
	}
	return false, nil
}

// close seals the open record, if any.
func (w *chunkWriter) close() error {
	if w.start < 0 {
		return nil
	}
	start := w.start
	w.start = -1
	return w.s.seal(start)
}

// apply changes the state in memory by one record.
func (s *journalStore) apply(typ byte, p []byte) error {
	d := recordDecoder{b: p}
	switch typ {
	case recAdd:
		first := d.uvarint()
		if d.err == nil && first != s.seq+1 {
			return fmt.Errorf("entries from Seq %d after Seq %d", first, s.seq)
		}
		for seq := first; len(d.b) > 0; seq++ {
			n := len(d.b)
			_, _, _, key, _ := d.entry()
			if d.err != nil {
				break
			}
			s.usage.entry(n-len(d.b), key)
			s.seen(s.keys.hashBytes(key))
			s.enqueue(seq)
		}
	case recDone:
		seq := d.uvarint()
		flags := d.byte()
		if flags&^(doneFailed|doneEmitted|doneEmittedVisited) != 0 {
			return fmt.Errorf("outcome flags %#x", flags)
		}
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			d.fail()
		}
		var first []byte
		for i := range n {
			k := d.bytes()
			if d.err != nil {
				break
			}
			if i == 0 {
				first = k
			}
			s.usage.key(k)
			s.visit(s.keys.hashBytes(k))
		}
		var em []byte
		switch {
		case flags&doneEmitted == 0:
		case flags&doneEmittedVisited != 0 && n == 0:
			return errors.New("outcome emitted key refers to no visited key")
		case flags&doneEmittedVisited != 0:
			em = first
		default:
			em = d.bytes()
			s.usage.key(em)
		}
		if d.err != nil {
			break
		}
		s.finish(seq, flags&doneFailed != 0)
		if em != nil {
			s.markEmittedBytes(em)
		}
	case recEmitted:
		for len(d.b) > 0 {
			k := d.bytes()
			if d.err != nil {
				break
			}
			s.usage.key(k)
			s.markEmittedBytes(k)
		}
	case recSource:
		e := decodeEntry(d.entry())
		rec := &sourceRec{src: Source{Entry: e}}
		rec.src.ETag = string(d.bytes())
		rec.src.LastModified = string(d.bytes())
		rec.src.Failures = int(d.uvarint())
		rec.queued = time.UnixMilli(int64(d.uvarint()))
		rec.pending = d.byte() != 0
		rec.src.Until = d.varint()
		rec.src.Hash = string(d.bytes())
		if d.err == nil {
			s.usage.source(frameSize + 1 + len(p))
			s.sources[e.Key] = rec
		}
	case recScope:
		for len(d.b) > 0 {
			h := d.bytes()
			if d.err != nil {
				break
			}
			s.usage.scope(h)
			s.scope[string(h)] = true
		}
	case recKeys:
		for len(d.b) > 0 {
			f := uint64(d.byte())
			k := d.bytes()
			if d.err != nil {
				break
			}
			if f == 0 || f&^flagMask != 0 {
				return fmt.Errorf("key flags %#x", f)
			}
			s.usage.key(k)
			h := s.keys.hashBytes(k)
			if f&flagEmitted != 0 {
				s.emit(h)
				delete(s.pending, string(k))
			}
			s.keys.set(h, f)
		}
	case recTally:
		done, failed, seq := d.uvarint(), d.uvarint(), d.uvarint()
		switch {
		case d.err != nil:
		case failed > done || done > uint64(math.MaxInt-s.done) || failed > uint64(math.MaxInt-s.failed):
			return fmt.Errorf("tally of %d done, %d failed, over %d and %d", done, failed, s.done, s.failed)
		case seq < s.seq || seq > maxSeq:
			return fmt.Errorf("tally moves the last Seq from %d to %d", s.seq, seq)
		case seq > s.seq && s.queuedN > 0:
			return fmt.Errorf("tally moves the last Seq from %d to %d with Seqs queued", s.seq, seq)
		default:
			s.done += int(done)
			s.failed += int(failed)
			if seq > s.seq {
				s.seq = seq
				s.queued.reset(seq + 1)
			}
		}
	default:
		return fmt.Errorf("unknown record type %d (written by a newer newsx?)", typ)
	}
	if d.err != nil {
		return fmt.Errorf("record type %d: %w", typ, d.err)
	}
	if len(d.b) > 0 {
		return fmt.Errorf("record type %d: %d bytes left over", typ, len(d.b))
	}
	return nil
}

// usable returns the error every call fails with after a failed write, or
// after Close.
func (s *journalStore) usable() error {
	if s.err != nil {
		return s.err
	}
	if s.closed {
		return fmt.Errorf("state %s: closed", s.path)
	}
	return nil
}

func (s *journalStore) Add(entries []Entry) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return 0, err
	}
	n, err := s.addLocked(entries)
	if err != nil {
		return n, err
	}
	return n, s.flushLocked()
}

// addLocked appends recAdd records for the entries whose key was never
// queued, and applies them.
func (s *journalStore) addLocked(entries []Entry) (int, error) {
	n, w := 0, s.chunked(recAdd)
	for _, e := range entries {
		if e.Key == "" {
			continue
		}
		if len(e.URL) > maxKey || len(e.Key) > maxKey {
			continue
		}
		if s.seen(s.keys.hash(e.Key)) {
			continue
		}
		began, err := w.item()
		if err != nil {
			return n, err
		}
		if began {
			s.buf = binary.AppendUvarint(s.buf, s.seq+1)
		}
		s.buf = appendEntry(s.buf, e)
		n++
	}
	return n, w.close()
}

// appendEntry appends an entry as a recAdd payload holds it (see
// recordDecoder.entry), its Seq left out.
func appendEntry(b []byte, e Entry) []byte {
	b = binary.AppendVarint(b, int64(e.Depth))
	kind := byte(e.Kind) & kindMask
	if e.Revisit {
		kind |= kindRevisit
	}
	b = append(b, kind|byte(min(max(e.Nesting, 0), 15))<<4)
	b = appendString(b, e.URL)
	if e.Key == e.URL {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(e.Key))+1)
	return append(b, e.Key...)
}

// decodeEntry makes an Entry of what recordDecoder.entry read.
func decodeEntry(depth int64, kind byte, u, key []byte, same bool) Entry {
	e := Entry{URL: string(u), Depth: int(depth), Kind: Kind(kind & kindMask),
		Revisit: kind&kindRevisit != 0, Nesting: int(kind >> 4)}
	e.Key = e.URL
	if !same {
		e.Key = string(key)
	}
	return e
}

// next returns up to n queued entries with Seq greater than after, in
// Seq order, read from the file from s.scan on.
func (s *journalStore) next(after uint64, n int) ([]Entry, error) {
	var out []Entry
	off := s.scan
	for off < s.end && len(out) < n {
		typ, p, next, err := s.lr.record(off, s.end)
		if err != nil {
			return nil, fmt.Errorf("read state %s: %w: was the file changed by another program?", s.path, err)
		}
		if typ != recAdd {
			off = next
			continue
		}
		d := recordDecoder{b: p}
		seq := d.uvarint()
		for ; len(d.b) > 0 && len(out) < n; seq++ {
			depth, kind, u, key, same := d.entry()
			if d.err != nil {
				return nil, fmt.Errorf("read state %s: record at byte %d: %w", s.path, off, d.err)
			}
			if seq <= after || !s.queued.has(seq) {
				continue
			}
			e := decodeEntry(depth, kind, u, key, same)
			e.Seq = seq
			out = append(out, e)
		}
		if len(d.b) > 0 {
			break // full: the rest of this record is for the next call
		}
		off = next
	}
	s.scan = off
	return out, nil
}

func (s *journalStore) Claim(n int, lease time.Duration) ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return nil, err
	}
	// The frontier is read from the file: write what is pending first.
	if err := s.flushLocked(); err != nil {
		return nil, err
	}
	return s.leases.claim(n, lease, s.next)
}

func (s *journalStore) Renew(entries []Entry, lease time.Duration) ([]uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return nil, err
	}
	return s.leases.renew(entries, lease), nil
}

func (s *journalStore) Release(entries []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	s.leases.release(entries)
	return nil
}

func (s *journalStore) Len() (int, error) {
	c, err := s.Counts()
	return c.Queued, err
}

func (s *journalStore) Counts() (Counts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return Counts{}, err
	}
	return s.counts(), nil
}

func (s *journalStore) Visited(key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return false, err
	}
	return s.has(key, flagVisited), nil
}

func (s *journalStore) Emitted(key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return false, err
	}
	return s.emittedOrClaimed(key), nil
}

func (s *journalStore) ClaimEmitted(key string, e Entry) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return false, err
	}
	return s.claimEmitted(key), nil
}

func (s *journalStore) MarkEmitted(keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	w := s.chunked(recEmitted)
	for _, k := range keys {
		if len(k) > maxKey || s.has(k, flagEmitted) {
			continue // resuming: most keys read back were marked before
		}
		if _, err := w.item(); err != nil {
			return err
		}
		s.buf = appendString(s.buf, k)
	}
	if err := w.close(); err != nil {
		return err
	}
	return s.flushLocked()
}

func (s *journalStore) AddScope(hosts ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	w := s.chunked(recScope)
	for _, h := range hosts {
		if s.scope[h] || len(h) > maxKey {
			continue
		}
		if _, err := w.item(); err != nil {
			return err
		}
		s.buf = appendString(s.buf, h)
	}
	if err := w.close(); err != nil {
		return err
	}
	return s.flushLocked()
}

func (s *journalStore) Scope() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return nil, err
	}
	return s.scopeHosts(), nil
}

// Done applies o at once (Visited, Emitted and Add see it) and writes it
// with its group (see OpenState): the found entries first, then the
// outcome, so that the file never holds an outcome without its links.
func (s *journalStore) Done(o Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	s.leases.done(o.Entry.Seq)
	if _, err := s.addLocked(o.Found); err != nil {
		return err
	}
	visited := o.Visited
	if slices.ContainsFunc(visited, tooLong) {
		visited = slices.DeleteFunc(slices.Clone(visited), tooLong)
	}
	start := s.begin(recDone)
	s.buf = binary.AppendUvarint(s.buf, o.Entry.Seq)
	var flags byte
	if o.Failed {
		flags |= doneFailed
	}
	if o.Emitted != "" && !tooLong(o.Emitted) {
		flags |= doneEmitted
		if len(visited) > 0 && visited[0] == o.Emitted {
			flags |= doneEmittedVisited
		}
	}
	s.buf = append(s.buf, flags)
	s.buf = binary.AppendUvarint(s.buf, uint64(len(visited)))
	for _, k := range visited {
		s.buf = appendString(s.buf, k)
	}
	if flags&doneEmitted != 0 && flags&doneEmittedVisited == 0 {
		s.buf = appendString(s.buf, o.Emitted)
	}
	if err := s.seal(start); err != nil {
		return err
	}
	s.group++
	switch {
	case s.group >= batchMax || len(s.buf) >= batchBytes:
		return s.flushLocked()
	case s.group == 1:
		if s.timer == nil {
			s.timer = time.AfterFunc(batchWait, s.flushLater)
		} else {
			s.timer.Reset(batchWait)
		}
	}
	return nil
}

func tooLong(key string) bool { return len(key) > maxKey }

// flushLater writes a group of outcomes that waited batchWait.
func (s *journalStore) flushLater() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usable() == nil {
		// A failure stays in s.err, for the next call to return.
		_ = s.flushLocked()
	}
}

// flushLocked writes the records pending and starts their sync. s.mu is
// held.
func (s *journalStore) flushLocked() error {
	if len(s.buf) == 0 {
		return nil
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	n, err := s.f.WriteAt(s.buf, s.end)
	if err != nil {
		if n > 0 {
			// Best effort: a record cut short would be cut off on the
			// next open anyway.
			_ = s.f.Truncate(s.end)
		}
		s.err = fmt.Errorf("write state %s: %w (the crawl can resume from the file once the cause is fixed)", s.path, err)
		return s.err
	}
	s.end += int64(n)
	s.group = 0
	if cap(s.buf) > 2*batchBytes {
		s.buf = nil
	} else {
		s.buf = s.buf[:0]
	}
	s.dirty = true
	if !s.syncing {
		s.syncing = true
		s.syncs.Add(1)
		go s.syncLoop()
	}
	return nil
}

// syncLoop syncs the file until no write is left unsynced.
func (s *journalStore) syncLoop() {
	defer s.syncs.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.dirty && s.err == nil {
		s.dirty = false
		s.mu.Unlock()
		err := s.f.Sync()
		s.mu.Lock()
		if err != nil && s.err == nil {
			s.err = fmt.Errorf("sync state %s: %w (the crawl can resume from the file once the cause is fixed)", s.path, err)
		}
	}
	s.syncing = false
	s.synced.Broadcast()
}

// Close writes the last group of outcomes, syncs and closes the file.
func (s *journalStore) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	err := s.err
	if err == nil {
		err = s.flushLocked()
	}
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
	}
	s.keys.free()
	s.mu.Unlock()
	s.syncs.Wait()
	if err == nil {
		if serr := s.f.Sync(); serr != nil {
			err = fmt.Errorf("sync state %s: %w", s.path, serr)
		}
	}
	return errors.Join(err, s.f.Close())
}
