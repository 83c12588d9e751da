package archive

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// DefaultMaxBytes caps a record's HTTP body when Options.MaxBytes is not set.
const DefaultMaxBytes = 10 << 20

// probeSize is how much of a gzip-compressed archive IsWARC and NewReader
// look at to tell a WARC from other data, and one gzip member per record
// from a whole file in one member.
const probeSize = 1 << 20

// ErrTooLarge is wrapped by Record.Err when a response body is larger
// than Options.MaxBytes.
var ErrTooLarge = errors.New("record body too large")

// Options configures a Reader. The zero value means the defaults.
type Options struct {
	// MaxBytes caps the HTTP body of one response record as stored
	// (before any Content-Encoding is undone); a larger body is not read
	// and its Record.Err wraps ErrTooLarge. Zero or negative means
	// DefaultMaxBytes.
	MaxBytes int64
}

// Record is one WARC record as Reader returns it.
type Record struct {
	// Type is the WARC-Type: "response", "request", "revisit",
	// "metadata", "warcinfo", "resource", ...
	Type string
	// Offset is where the record starts in the file: the offset of its
	// gzip member in a gzip-per-record file, of its first byte in an
	// uncompressed file, and in the decompressed stream of a file
	// compressed as a whole.
	Offset int64
	// TargetURI is the WARC-Target-URI, or "".
	TargetURI string
	// Date is the WARC-Date: when the content was captured. It is zero
	// when the header is missing or cannot be parsed.
	Date time.Time
	// HTTP is set for a response record holding an HTTP response
	// (Content-Type application/http); Status, Header and Body are set
	// only then.
	HTTP bool
	// Status is the HTTP status code, such as 200.
	Status int
	// Header is the HTTP response header as stored.
	Header http.Header
	// Body is the HTTP body as stored: a chunked Transfer-Encoding is
	// undone, a Content-Encoding (gzip, br, ...) is not.
	Body []byte
	// Err is set when the record was read but its body could not be:
	// it is larger than Options.MaxBytes (wrapping ErrTooLarge) or cut
	// short. Status and Header are still set.
	Err error
}

// DamageError reports a part of the archive that could not be read: a bad
// gzip member, a truncated file, a record whose length is wrong. Reading
// goes on with the next record found after it.
type DamageError struct {
	// Offset is where the damaged record starts.
	Offset int64
	// Err is what went wrong.
	Err error
}

// Error returns a line such as "damaged record at offset 1234: unexpected EOF".
func (e *DamageError) Error() string {
	return fmt.Sprintf("damaged record at offset %d: %v", e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *DamageError) Unwrap() error { return e.Err }

// IsWARC reports whether head, the first bytes of a file, starts a WARC
// file: "WARC/" either plainly or inside a gzip stream. Give it at least
// the first 64 bytes; fewer bytes may not decide a compressed file.
func IsWARC(head []byte) bool {
	if bytes.HasPrefix(head, []byte("WARC/")) {
		return true
	}
	if !isGzip(head) {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	var b [5]byte
	n, _ := io.ReadFull(zr, b[:])
	return n == 5 && string(b[:]) == "WARC/"
}

// SniffLen is how many leading bytes IsWARC needs at most.
const SniffLen = 512

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// Reader reads the records of one WARC file in order. It holds at most one
// record's body in memory. A Reader is not safe for concurrent use.
type Reader struct {
	count    *countingReader
	br       *bufio.Reader
	um       gowarc.Unmarshaler
	maxBytes int64
	damaged  bool // the last call failed: a further failure is the same damage
	gz       *gzip.Reader
	member   *bufio.Reader // over gz, for one member
	perGzip  bool          // one gzip member per record
	// headerOnly parses the WARC header of a record whose block is
	// not needed.
	headerOnly gowarc.Unmarshaler
}

// NewReader returns a Reader for the WARC file r: uncompressed, compressed
// one gzip member per record (the usual .warc.gz), or compressed as a
// whole. It reads the first bytes of r to tell which.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	rd := &Reader{
		maxBytes: opts.MaxBytes,
		um: gowarc.NewUnmarshaler(
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
			gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
			gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
		),
		headerOnly: gowarc.NewUnmarshaler(
			gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
			gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
			gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
			gowarc.WithSkipParseBlock(),
		),
	}
	br := bufio.NewReaderSize(r, probeSize)
	head, _ := br.Peek(probeSize)
	if !IsWARC(head) {
		return nil, errors.New("not a WARC file (it does not start with WARC/, plain or gzip-compressed)")
	}
	if isGzip(head) && wholeGzip(head) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		rd.count = &countingReader{r: zr}
	} else {
		rd.count = &countingReader{r: br}
		rd.perGzip = isGzip(head)
	}
	rd.br = bufio.NewReaderSize(rd.count, 64<<10)
	return rd, nil
}

// wholeGzip reports whether the gzip data head starts with holds more than
// one record in its first member, that is, whether the file was compressed
// as a whole rather than record by record. A first record longer than head
// counts as one member per record.
func wholeGzip(head []byte) bool {
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	zr.Multistream(false)
	br := bufio.NewReader(zr)
	length := int64(-1)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return false
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
			length, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	if length < 0 {
		return false
	}
	// Skip the block and the record's closing CRLF CRLF; anything after
	// them in the same member is the next record.
	if _, err := io.CopyN(io.Discard, br, length+4); err != nil {
		return false
	}
	_, err = br.ReadByte()
	return err == nil
}

// Next returns the next record, or io.EOF after the last one. A damaged
// part of the file gives one *DamageError; the call after it goes on with
// the next record that can be read.
func (r *Reader) Next() (*Record, error) {
	for {
		start := r.pos()
		rec, err := r.next(start)
		if err == nil {
			r.damaged = false
			return rec, nil
		}
		if errors.Is(err, io.EOF) && r.pos() == start {
			return nil, io.EOF
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		if !r.resync(start) {
			if r.damaged {
				return nil, io.EOF
			}
			r.damaged = true
			return nil, &DamageError{Offset: start, Err: err}
		}
		if r.damaged {
			continue // the same damaged stretch: reported once
		}
		r.damaged = true
		return nil, &DamageError{Offset: start, Err: err}
	}
}

// resync moves past a damaged record that started at start to where the
// next one may start: the next gzip header, or the next line starting
// "WARC/". It reports whether there may be one.
func (r *Reader) resync(start int64) bool {
	if r.pos() == start {
		if _, err := r.br.Discard(1); err != nil {
			return false
		}
	}
	for {
		b, err := r.br.Peek(5)
		if len(b) < 5 {
			_ = err
			return false
		}
		if (r.perGzip && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8) || (!r.perGzip && string(b) == "WARC/") {
			return true
		}
		if _, err := r.br.Discard(1); err != nil {
			return false
		}
	}
}

// next reads the record at the current position. The WARC header is read
// here and handed to gowarc with WARC/1.0 angle brackets taken off the
// URIs (wget writes WARC-Target-URI: <http://...>). gowarc parses the
// header and, of a response record holding an HTTP response, the HTTP
// status line and header; the body is read here, straight into a slice
// of its size. (Given the whole block, gowarc copies it into a buffer of
// its own, on disk past 1 MiB, to check its digests before the body can
// be read from the copy: two thirds of the time of reading an archive.)
// Digests are not checked: a damaged record shows as a gzip or length
// error.
func (r *Reader) next(start int64) (*Record, error) {
	var in *bufio.Reader = r.br
	if r.perGzip {
		if _, err := r.br.Peek(1); err != nil {
			return nil, err
		}
		var err error
		if r.gz == nil {
			r.gz, err = gzip.NewReader(r.br)
		} else {
			err = r.gz.Reset(r.br)
		}
		if err != nil {
			return nil, err
		}
		r.gz.Multistream(false)
		if r.member == nil {
			r.member = bufio.NewReaderSize(r.gz, 32<<10)
		} else {
			r.member.Reset(r.gz)
		}
		in = r.member
	}
	var hdr bytes.Buffer
	length := int64(-1)
	var typ, contentType string
	for first := true; ; first = false {
		line, err := in.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				return nil, errors.New("WARC header line too long")
			}
			if first && len(line) == 0 && errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			return nil, err
		}
		if first && !bytes.HasPrefix(line, []byte("WARC/")) {
			return nil, errors.New("no WARC record here (it does not start with WARC/)")
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok {
			name := strings.ToLower(string(bytes.TrimSpace(k)))
			val := bytes.TrimSpace(v)
			switch name {
			case "content-length":
				length, _ = strconv.ParseInt(string(val), 10, 64)
				continue // written below, as the length gowarc gets
			case "warc-block-digest", "warc-payload-digest":
				// Not checked (see above); gowarc refuses a record whose
				// digest algorithm it does not know, such as blake3.
				continue
			case "warc-type":
				typ = strings.ToLower(string(val))
			case "content-type":
				contentType = strings.ToLower(string(val))
			case "warc-target-uri", "warc-refers-to-target-uri", "warc-profile":
				if len(val) > 1 && val[0] == '<' && val[len(val)-1] == '>' {
					line = []byte(string(k) + ": " + string(val[1:len(val)-1]) + "\r\n")
				}
			}
		}
		hdr.Write(line)
		if hdr.Len() > 1<<20 {
			return nil, errors.New("WARC header over 1 MiB")
		}
	}
	if length < 0 {
		return nil, errors.New("WARC record without a Content-Length")
	}
	block := &io.LimitedReader{R: in, N: length}
	// Of a response holding an HTTP response, gowarc gets the HTTP
	// status line and header; of any other record, no block.
	var head []byte
	um := r.headerOnly
	if typ == "response" && strings.HasPrefix(contentType, "application/http") {
		var err error
		if head, err = httpHead(block); err != nil {
			return nil, err
		}
		um = r.um
	}
	fmt.Fprintf(&hdr, "Content-Length: %d\r\n\r\n", len(head))
	hdr.Write(head)
	hdr.WriteString("\r\n\r\n")
	wr, _, _, err := um.Unmarshal(bufio.NewReader(&hdr))
	if err != nil {
		if wr != nil {
			_ = wr.Close()
		}
		return nil, err
	}
	rec, err := r.record(wr, start, block, head)
	_ = wr.Close()
	if err != nil {
		return nil, err
	}
	// Finish the record: the rest of its block (all of it when the
	// record was not read), its end marker, and for a gzip member, the
	// member's end and checksum.
	if _, err := io.Copy(io.Discard, block); err != nil {
		return nil, err
	}
	if block.N > 0 {
		return nil, fmt.Errorf("record ends after %d of its %d bytes (Content-Length)", length-block.N, length)
	}
	if _, err := in.Discard(4); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if r.perGzip {
		if _, err := io.Copy(io.Discard, in); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// httpHead reads an HTTP message's start line and header, up to and
// including the empty line that ends them, from block, a LimitedReader
// over a *bufio.Reader: line by line, so that nothing of the body is
// taken. It returns all of the block when no empty line ends the header.
func httpHead(block *io.LimitedReader) ([]byte, error) {
	in := block.R.(*bufio.Reader)
	var head []byte
	lineStart := true // head ends a line, or is empty
	for block.N > 0 {
		b, err := in.Peek(int(min(block.N, int64(in.Size()))))
		if len(b) == 0 {
			return nil, fmt.Errorf("record ends in its HTTP header: %w", err)
		}
		n, done := len(b), false
		if j := bytes.IndexByte(b, '\n'); j >= 0 {
			n = j + 1
			line := b[:n]
			done = lineStart && (len(line) == 1 || (len(line) == 2 && line[0] == '\r'))
		}
		head = append(head, b[:n]...)
		lineStart = head[len(head)-1] == '\n'
		_, _ = in.Discard(n)
		block.N -= int64(n)
		if done {
			break
		}
		if len(head) > 1<<20 {
			return nil, errors.New("HTTP header over 1 MiB")
		}
	}
	return head, nil
}

// Offset is how many bytes of the file have been read: the end of the
// last record returned (in the decompressed stream for a file compressed
// as a whole).
func (r *Reader) Offset() int64 { return r.pos() }

// pos is the offset in the (decompressed, for a whole-gzip file) stream
// of the next byte the parser will read.
func (r *Reader) pos() int64 { return r.count.n - int64(r.br.Buffered()) }

// record turns a parsed gowarc record into a Record. Of an HTTP
// response, gowarc has parsed head, the status line and header; the body
// is the rest of block.
func (r *Reader) record(wr gowarc.WarcRecord, offset int64, block *io.LimitedReader, head []byte) (*Record, error) {
	h := wr.WarcHeader()
	rec := &Record{
		Type:      wr.Type().String(),
		Offset:    offset,
		TargetURI: strings.Trim(h.Get(gowarc.WarcTargetURI), "<>"),
	}
	if rec.Type == "unknown" {
		rec.Type = strings.ToLower(h.Get(gowarc.WarcType))
	}
	if d, err := h.GetTime(gowarc.WarcDate); err == nil {
		rec.Date = d
	}
	if wr.Type() != gowarc.Response || head == nil {
		return rec, nil
	}
	resp, ok := wr.Block().(gowarc.HttpResponseBlock)
	if !ok || resp.HttpHeader() == nil {
		return rec, nil
	}
	rec.HTTP = true
	rec.Status = resp.HttpStatusCode()
	rec.Header = resp.HttpHeader().Clone()
	if block.N > r.maxBytes {
		rec.Err = fmt.Errorf("%w: more than %d bytes (raise --max-bytes to read it)", ErrTooLarge, r.maxBytes)
		return rec, nil
	}
	body := make([]byte, block.N)
	if _, err := io.ReadFull(block, body); err != nil {
		return nil, fmt.Errorf("record ends in its body: %w", err)
	}
	// net/http moves Transfer-Encoding out of the header it parses, so
	// look at the header as stored.
	if chunked(head) {
		// Some writers store the body as sent, chunks and all; others
		// store it de-chunked but keep the header. Undo the chunking
		// when the body is chunked.
		if b, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(body))); err == nil {
			body = b
		}
	}
	rec.Header.Del("Transfer-Encoding")
	rec.Body = body
	return rec, nil
}

// chunked reports whether the HTTP header head declares a chunked
// Transfer-Encoding.
func chunked(head []byte) bool {
	for line := range strings.SplitSeq(string(head), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), "Transfer-Encoding") &&
			strings.Contains(strings.ToLower(v), "chunked") {
			return true
		}
	}
	return false
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
