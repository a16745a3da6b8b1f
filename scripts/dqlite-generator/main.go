// Command dqlite-generator drives a real one-node dqlite (Debian libdqlite0 1.11.1 through
// go-dqlite's app package) with a kine schema and Kubernetes-shaped keys, copies each snapshot
// raft writes, and records what dqlite reports over SQL for the state each snapshot holds.
//
// Each snapshot is taken deterministically: after a phase of writes the generator waits for any
// snapshot already triggered to land, then issues count-neutral padding writes (toggling the
// compact_rev_key row's lease between 0 and 1; SQLite writes nothing for a no-op UPDATE, so raft
// would see no entry) until raft takes a new one. The database content is then the
// state right after the phase, so the counts read over SQL are exactly what the snapshot holds.
//
// Usage: dqlite-generator -scenario NAME -out DIR [-truth FILE]   (see run.sh)
package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	dqlite "github.com/canonical/go-dqlite"
	"github.com/canonical/go-dqlite/app"
)

var snapshotName = regexp.MustCompile(`^snapshot-(\d+)-(\d+)-(\d+)$`)

// dataDirs are the nodes' temporary data directories, removed even when the generator fails.
var dataDirs []string

func must(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "dqlite-generator: %s: %v\n", what, err)
		for _, dir := range dataDirs {
			os.RemoveAll(dir)
		}
		os.Exit(1)
	}
}

// ---------------------------------------------------------------------------------------------
// Ground truth

type KineTruth struct {
	Rows                int64            `json:"rows"`
	DeletedRows         int64            `json:"deleted_rows"`
	LiveKeys            int64            `json:"live_keys"`
	RowsByPrefix        map[string]int64 `json:"rows_by_prefix"`
	DeletedRowsByPrefix map[string]int64 `json:"deleted_rows_by_prefix"`
	LiveKeysByPrefix    map[string]int64 `json:"live_keys_by_prefix"`
	ValueBytesByPrefix  map[string]int64 `json:"value_bytes_by_prefix"`
	CompactRevision     int64            `json:"compact_rev_key_prev_revision"`
	MaxID               int64            `json:"max_id"`
}

type PagesTruth struct {
	PageSize      int64 `json:"page_size"`
	PageCount     int64 `json:"page_count"`
	FreelistCount int64 `json:"freelist_count"`
}

type DatabaseTruth struct {
	Tables map[string]int64 `json:"tables"`
	Pages  PagesTruth       `json:"pages"`
	Kine   *KineTruth       `json:"kine,omitempty"`
}

type SnapshotTruth struct {
	Label         string                   `json:"label"`
	File          string                   `json:"file"`
	RaftFile      string                   `json:"raft_file,omitempty"`
	Term          int64                    `json:"term"`
	Index         int64                    `json:"index"`
	Timestamp     int64                    `json:"timestamp"`
	Size          int64                    `json:"size"`
	SHA256        string                   `json:"sha256"`
	MetaSize      int64                    `json:"meta_size"`
	Compressed    bool                     `json:"compressed"`
	PaddingWrites int                      `json:"padding_writes_until_snapshot"`
	Databases     map[string]DatabaseTruth `json:"databases"`
}

type Truth struct {
	Scenario    string          `json:"scenario"`
	Description string          `json:"description"`
	GeneratedBy map[string]any  `json:"generated_by"`
	PrefixRule  string          `json:"kine_prefix_rule"`
	LiveKeyRule string          `json:"live_key_rule"`
	Notes       []string        `json:"notes"`
	OpenOrder   []string        `json:"database_open_order"`
	Snapshots   []SnapshotTruth `json:"snapshots"`
}

// kinePrefix is the grouping rule of docs/snapshot.md, written independently of the TypeScript one.
func kinePrefix(name string) string {
	if strings.HasPrefix(name, "gap-") {
		return "gap-*"
	}
	if !strings.HasPrefix(name, "/registry/") {
		return name
	}
	parts := strings.Split(strings.TrimPrefix(name, "/registry/"), "/")
	depth := 1
	if strings.Contains(parts[0], ".") {
		depth = 2
	}
	if len(parts) <= depth {
		return name
	}
	return "/registry/" + strings.Join(parts[:depth], "/") + "/"
}

func queryInt(db *sql.DB, query string, args ...any) int64 {
	var n sql.NullInt64
	must(db.QueryRow(query, args...).Scan(&n), query)
	return n.Int64
}

func measure(db *sql.DB) DatabaseTruth {
	truth := DatabaseTruth{Tables: map[string]int64{}}
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	must(err, "list tables")
	var tables []string
	for rows.Next() {
		var name string
		must(rows.Scan(&name), "scan table")
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		truth.Tables[table] = queryInt(db, fmt.Sprintf(`SELECT count(*) FROM "%s"`, table))
	}
	truth.Pages = PagesTruth{
		PageSize:      queryInt(db, `PRAGMA page_size`),
		PageCount:     queryInt(db, `PRAGMA page_count`),
		FreelistCount: queryInt(db, `PRAGMA freelist_count`),
	}
	if _, ok := truth.Tables["kine"]; ok {
		truth.Kine = measureKine(db)
	}
	return truth
}

func measureKine(db *sql.DB) *KineTruth {
	k := &KineTruth{
		RowsByPrefix: map[string]int64{}, DeletedRowsByPrefix: map[string]int64{},
		LiveKeysByPrefix: map[string]int64{}, ValueBytesByPrefix: map[string]int64{},
	}
	rows, err := db.Query(`SELECT id, name, deleted, coalesce(length(value), 0) + coalesce(length(old_value), 0) FROM kine ORDER BY name, id`)
	must(err, "read kine")
	lastName, lastDeleted, have := "", int64(0), false
	closeKey := func() {
		if have && lastDeleted == 0 && lastName != "compact_rev_key" && !strings.HasPrefix(lastName, "gap-") {
			k.LiveKeys++
			k.LiveKeysByPrefix[kinePrefix(lastName)]++
		}
	}
	for rows.Next() {
		var id, deleted, bytes int64
		var name string
		must(rows.Scan(&id, &name, &deleted, &bytes), "scan kine")
		if have && name != lastName {
			closeKey()
		}
		prefix := kinePrefix(name)
		k.Rows++
		k.RowsByPrefix[prefix]++
		k.ValueBytesByPrefix[prefix] += bytes
		if deleted != 0 {
			k.DeletedRows++
			k.DeletedRowsByPrefix[prefix]++
		}
		if id > k.MaxID {
			k.MaxID = id
		}
		lastName, lastDeleted, have = name, deleted, true
	}
	closeKey()
	rows.Close()
	k.CompactRevision = queryInt(db, `SELECT coalesce(max(prev_revision), 0) FROM kine WHERE name = 'compact_rev_key'`)
	return k
}

// ---------------------------------------------------------------------------------------------
// Node and snapshot capture

type Node struct {
	app        *app.App
	dir        string
	out        string
	compressed bool
	dbs        map[string]*sql.DB
	order      []string
	seen       map[string]bool
	truth      *Truth
	// rename maps a capture label to the file name the copy gets (sample bundle: the names in its listings).
	rename map[string]string
}

func startNode(address string, threshold uint64, out string, compressed bool, truth *Truth) *Node {
	dir, err := os.MkdirTemp("", "dqlite-generator-")
	must(err, "temp dir")
	dataDirs = append(dataDirs, dir)
	// Trailing > threshold on purpose: observed with Debian's libraft 0.15, Trailing == Threshold
	// yields uncompressed snapshot files even though compression is on.
	a, err := app.New(dir, app.WithAddress(address),
		app.WithSnapshotParams(dqlite.SnapshotParams{Threshold: threshold, Trailing: threshold * 2}))
	must(err, "start dqlite node")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	must(a.Ready(ctx), "node ready")
	must(os.MkdirAll(out, 0o755), "output dir")
	return &Node{app: a, dir: dir, out: out, compressed: compressed, dbs: map[string]*sql.DB{}, seen: map[string]bool{}, truth: truth}
}

func (n *Node) db(name string) *sql.DB {
	if db, ok := n.dbs[name]; ok {
		return db
	}
	db, err := n.app.Open(context.Background(), name)
	must(err, "open database "+name)
	db.SetMaxOpenConns(1)
	n.dbs[name] = db
	n.order = append(n.order, name)
	n.truth.OpenOrder = n.order
	return db
}

func (n *Node) stop() {
	for _, db := range n.dbs {
		db.Close()
	}
	must(n.app.Close(), "stop node")
	os.RemoveAll(n.dir)
}

func (n *Node) snapshotsOnDisk() []string {
	entries, err := os.ReadDir(n.dir)
	must(err, "list data dir")
	var names []string
	for _, e := range entries {
		if snapshotName.MatchString(e.Name()) {
			if _, err := os.Stat(filepath.Join(n.dir, e.Name()+".meta")); err == nil {
				names = append(names, e.Name())
			}
		}
	}
	return names
}

func copyFile(from, to string) (int64, string) {
	src, err := os.Open(from)
	must(err, "open "+from)
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	must(err, "create "+to)
	defer dst.Close()
	hash := sha256.New()
	size, err := io.Copy(io.MultiWriter(dst, hash), src)
	must(err, "copy "+from)
	return size, hex.EncodeToString(hash.Sum(nil))
}

// capture makes raft take a snapshot of the current state, copies it out and records its truth.
func (n *Node) capture(label string) {
	time.Sleep(700 * time.Millisecond) // let snapshots triggered by the phase's own writes land
	for _, name := range n.snapshotsOnDisk() {
		n.seen[name] = true
	}
	pad := n.db("k8s")
	for writes := 1; writes <= 5000; writes++ {
		_, err := pad.Exec(`UPDATE kine SET lease = ? WHERE name = 'compact_rev_key'`, writes%2)
		must(err, "padding write")
		for _, name := range n.snapshotsOnDisk() {
			if n.seen[name] {
				continue
			}
			time.Sleep(300 * time.Millisecond)
			n.seen[name] = true
			n.record(label, name, writes)
			return
		}
	}
	entries, _ := os.ReadDir(n.dir)
	for _, e := range entries {
		fmt.Fprintln(os.Stderr, "  data dir:", e.Name())
	}
	must(fmt.Errorf("no snapshot after 5000 padding writes"), "capture "+label)
}

func (n *Node) record(label, name string, padding int) {
	target, raftName := name, ""
	if renamed, ok := n.rename[label]; ok {
		target, raftName = renamed, name
	}
	m := snapshotName.FindStringSubmatch(target)
	num := func(s string) int64 { v, _ := strconv.ParseInt(s, 10, 64); return v }
	size, sum := copyFile(filepath.Join(n.dir, name), filepath.Join(n.out, target))
	magic := make([]byte, 4)
	if f, err := os.Open(filepath.Join(n.out, target)); err == nil {
		io.ReadFull(f, magic)
		f.Close()
	}
	if isLZ4 := string(magic) == "\x04\x22\x4d\x18"; isLZ4 != n.compressed {
		must(fmt.Errorf("%s: LZ4 frame = %v, wanted %v (is the compression shim preloaded?)", name, isLZ4, n.compressed), "record")
	}
	metaSize, _ := copyFile(filepath.Join(n.dir, name+".meta"), filepath.Join(n.out, target+".meta"))
	snap := SnapshotTruth{
		Label: label, File: target, RaftFile: raftName, Term: num(m[1]), Index: num(m[2]), Timestamp: num(m[3]),
		Size: size, SHA256: sum, MetaSize: metaSize, Compressed: n.compressed, PaddingWrites: padding,
		Databases: map[string]DatabaseTruth{},
	}
	for _, db := range n.order {
		snap.Databases[db] = measure(n.dbs[db])
	}
	n.truth.Snapshots = append(n.truth.Snapshots, snap)
	fmt.Fprintf(os.Stderr, "  %-34s %-10s %8d bytes  (%d padding writes)\n", target, label, size, padding)
}

// ---------------------------------------------------------------------------------------------
// A kine writer with k8s-dqlite's row semantics (format doc §6)

type Kine struct {
	db     *sql.DB
	latest map[string]int64 // newest row id per key
	values map[string][]byte
	create map[string]int64 // create revision per live key
	rnd    *rand.Rand
}

const kineSchema = `
CREATE TABLE IF NOT EXISTS kine (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER,
  deleted INTEGER, create_revision INTEGER NOT NULL, prev_revision INTEGER, lease INTEGER, value BLOB, old_value BLOB);
CREATE INDEX IF NOT EXISTS kine_name_index ON kine (name, id);
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (prev_revision, name);
PRAGMA user_version = 1;`

func newKine(db *sql.DB, seed int64) *Kine {
	_, err := db.Exec(kineSchema)
	must(err, "kine schema")
	k := &Kine{db: db, latest: map[string]int64{}, values: map[string][]byte{}, create: map[string]int64{}, rnd: rand.New(rand.NewSource(seed))}
	// The bookkeeping row k8s-dqlite creates on its first compaction; created up front here so
	// padding writes always have a row to touch.
	k.batch(func(tx *sql.Tx) {
		_, err := tx.Exec(`INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value) VALUES ('compact_rev_key', 0, 0, 0, 0, 0, '', '')`)
		must(err, "compact_rev_key")
	})
	return k
}

func (k *Kine) batch(work func(tx *sql.Tx)) {
	tx, err := k.db.Begin()
	must(err, "begin")
	work(tx)
	must(tx.Commit(), "commit")
}

func (k *Kine) insert(tx *sql.Tx, name string, created, deleted int, createRev, prevRev, lease int64, value, old []byte) int64 {
	res, err := tx.Exec(`INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		name, created, deleted, createRev, prevRev, lease, value, old)
	must(err, "insert "+name)
	id, err := res.LastInsertId()
	must(err, "last insert id")
	return id
}

func (k *Kine) Put(tx *sql.Tx, name string, value []byte, lease int64) {
	prev, exists := k.latest[name]
	if _, live := k.create[name]; live {
		id := k.insert(tx, name, 0, 0, k.create[name], prev, lease, value, k.values[name])
		k.latest[name] = id
	} else {
		if !exists {
			prev = 0
		}
		id := k.insert(tx, name, 1, 0, 0, prev, lease, value, nil)
		k.latest[name] = id
		k.create[name] = id
	}
	k.values[name] = value
}

func (k *Kine) Delete(tx *sql.Tx, name string) {
	id := k.insert(tx, name, 0, 1, k.create[name], k.latest[name], 0, nil, k.values[name])
	k.latest[name] = id
	delete(k.create, name)
	delete(k.values, name)
}

// Compact removes superseded revisions and tombstones up to the current revision, as k8s-dqlite's
// compaction does — in windows of 100 revisions, one transaction each (one big transaction fails
// with "disk I/O error" in dqlite 1.11) — and advances compact_rev_key.
func (k *Kine) Compact() (removed int64) {
	var through, from int64
	must(k.db.QueryRow(`SELECT max(id) FROM kine`).Scan(&through), "current revision")
	must(k.db.QueryRow(`SELECT prev_revision FROM kine WHERE name = 'compact_rev_key'`).Scan(&from), "compacted revision")
	for start := from; start < through; start += 100 {
		end := start + 100
		if end > through {
			end = through
		}
		k.batch(func(tx *sql.Tx) {
			res, err := tx.Exec(`DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE created = 0 AND name != 'compact_rev_key' AND prev_revision != 0 AND id > ? AND id <= ?)`, start, end)
			must(err, "compact superseded")
			n, _ := res.RowsAffected()
			removed += n
			res, err = tx.Exec(`DELETE FROM kine WHERE deleted = 1 AND id > ? AND id <= ?`, start, end)
			must(err, "compact tombstones")
			n, _ = res.RowsAffected()
			removed += n
			_, err = tx.Exec(`UPDATE kine SET prev_revision = max(prev_revision, ?) WHERE name = 'compact_rev_key'`, end)
			must(err, "compact_rev_key")
		})
	}
	return removed
}

func (k *Kine) hexID(n int) string {
	b := make([]byte, n)
	k.rnd.Read(b)
	return hex.EncodeToString(b)
}

func jsonObject(apiVersion, kind, namespace, name string, extra string) []byte {
	meta := fmt.Sprintf(`{"name":%q`, name)
	if namespace != "" {
		meta += fmt.Sprintf(`,"namespace":%q`, namespace)
	}
	meta += "}"
	return []byte(fmt.Sprintf(`{"apiVersion":%q,"kind":%q,"metadata":%s%s}`, apiVersion, kind, meta, extra))
}

// protoLike mimics the API server's protobuf storage: the k8s\0 prefix, then a binary body.
func protoLike(k *Kine, kind, namespace, name string, size int) []byte {
	body := []byte("k8s\x00\n\x0b\n\x02v1\x12\x05" + kind + "\x12" + namespace + "/" + name)
	pad := make([]byte, size)
	k.rnd.Read(pad[:size/4])
	return append(body, pad...)
}

// ---------------------------------------------------------------------------------------------
// Workloads

func (k *Kine) bootstrap() {
	k.batch(func(tx *sql.Tx) {
		for _, ns := range []string{"default", "kube-system", "kube-public", "kube-node-lease", "calico-system", "monitoring"} {
			k.Put(tx, "/registry/namespaces/"+ns, protoLike(k, "Namespace", "", ns, 64), 0)
		}
		for i := 0; i < 12; i++ {
			name := fmt.Sprintf("cm-%02d", i)
			k.Put(tx, "/registry/configmaps/kube-system/"+name, protoLike(k, "ConfigMap", "kube-system", name, 300), 0)
		}
		k.Put(tx, "/registry/apiextensions.k8s.io/customresourcedefinitions/ipamhandles.crd.projectcalico.org",
			jsonObject("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "ipamhandles.crd.projectcalico.org", `,"spec":{"group":"crd.projectcalico.org"}`), 0)
		k.Put(tx, "/registry/crd.projectcalico.org/ippools/default-ipv4-ippool",
			jsonObject("crd.projectcalico.org/v1", "IPPool", "", "default-ipv4-ippool", `,"spec":{"cidr":"10.1.0.0/16"}`), 0)
	})
}

func (k *Kine) leases(renewals int) {
	for r := 0; r < renewals; r++ {
		k.batch(func(tx *sql.Tx) {
			for _, lease := range []string{"kube-system/kube-controller-manager", "kube-system/kube-scheduler", "kube-node-lease/k8s02", "kube-system/csi-nfs"} {
				ns, name, _ := strings.Cut(lease, "/")
				k.Put(tx, "/registry/leases/"+lease, protoLike(k, "Lease", ns, name, 120), 0)
			}
		})
	}
}

func (k *Kine) pods(count int, namespace string) []string {
	var names []string
	k.batch(func(tx *sql.Tx) {
		for i := 0; i < count; i++ {
			name := fmt.Sprintf("web-%s-%s", k.hexID(4), k.hexID(2)[:4])
			key := "/registry/pods/" + namespace + "/" + name
			k.Put(tx, key, protoLike(k, "Pod", namespace, name, 700), 0)
			names = append(names, key)
			ev := fmt.Sprintf("/registry/events/%s/%s.%s", namespace, name, k.hexID(8))
			k.Put(tx, ev, protoLike(k, "Event", namespace, name, 200), 3600)
		}
	})
	return names
}

// handleValue is a small IPAMHandle (the name lives in the key, so the value stays short).
func handleValue(block int) []byte {
	return []byte(fmt.Sprintf(`{"apiVersion":"crd.projectcalico.org/v1","kind":"IPAMHandle","spec":{"block":{"10.1.%d.%d/26":1}}}`,
		block/4, (block%4)*64))
}

// ipamHandles creates one handle per name (in the given order), or `count` random container-ID
// handles when names is nil. Returns the keys of the k8s-pod-network handles, the ones a cleanup deletes.
func (k *Kine) ipamHandles(count int, names []string) []string {
	if names == nil {
		for i := 0; i < count; i++ {
			names = append(names, "k8s-pod-network."+k.hexID(32))
		}
	}
	var podNetwork []string
	k.inBatches(len(names), 500, func(tx *sql.Tx, i int) {
		key := "/registry/crd.projectcalico.org/ipamhandles/" + names[i]
		k.Put(tx, key, handleValue(i%64), 0)
		if strings.HasPrefix(names[i], "k8s-pod-network.") {
			podNetwork = append(podNetwork, key)
		}
	})
	return podNetwork
}

// readHandleNames reads the NAME column of `kubectl get ipamhandles` output.
func readHandleNames(path string) []string {
	data, err := os.ReadFile(path)
	must(err, "read handle names")
	var names []string
	for i, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if i == 0 || len(fields) == 0 {
			continue
		}
		names = append(names, fields[0])
	}
	return names
}

func (k *Kine) deleteKeys(keys []string) {
	k.inBatches(len(keys), 200, func(tx *sql.Tx, i int) { k.Delete(tx, keys[i]) })
}

// inBatches calls each(i) for i in [0, n), `size` calls per transaction (dqlite 1.11 fails very
// large transactions with "disk I/O error").
func (k *Kine) inBatches(n, size int, each func(tx *sql.Tx, i int)) {
	for start := 0; start < n; start += size {
		end := start + size
		if end > n {
			end = n
		}
		k.batch(func(tx *sql.Tx) {
			for i := start; i < end; i++ {
				each(tx, i)
			}
		})
	}
}

// vacuum tries VACUUM through dqlite and reports what happened (it goes through the same
// replicated WAL as any write in dqlite 1.11).
func vacuum(db *sql.DB) string {
	if _, err := db.Exec(`VACUUM`); err != nil {
		return "VACUUM failed through dqlite: " + err.Error()
	}
	return "VACUUM succeeded through dqlite"
}

// ---------------------------------------------------------------------------------------------
// Scenarios

var handlesFile = flag.String("handles", "", "sample: `kubectl get ipamhandles` output whose names to use")

func scenario(name string, out string, truth *Truth) {
	switch name {
	case "kine-wal":
		truth.Description = "One database 'k8s' (kine). Snapshot 'bootstrap' after namespaces, configmaps and lease renewals; snapshot 'churn' after pods, events, more renewals and deleted pods (tombstones). LZ4 on (libraft default). Rows live in the snapshot's WAL part."
		n := startNode("127.0.0.1:19101", 16, out, true, truth)
		k := newKine(n.db("k8s"), 1)
		k.bootstrap()
		k.leases(3)
		n.capture("bootstrap")
		pods := k.pods(40, "default")
		k.leases(5)
		k.deleteKeys(pods[:12])
		n.capture("churn")
		n.stop()
	case "multi-db":
		truth.Description = "Three databases in one node, in open order: 'k8s' (kine), 'audit' (table audit_log), 'settings' (tables config, sessions; sessions emptied). LZ4 on."
		n := startNode("127.0.0.1:19102", 16, out, true, truth)
		k := newKine(n.db("k8s"), 2)
		k.bootstrap()
		audit := n.db("audit")
		_, err := audit.Exec(`CREATE TABLE audit_log (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, who TEXT, what TEXT); CREATE INDEX audit_ts ON audit_log (ts)`)
		must(err, "audit schema")
		settings := n.db("settings")
		_, err = settings.Exec(`CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT); CREATE TABLE sessions (id TEXT PRIMARY KEY, data BLOB)`)
		must(err, "settings schema")
		for i := 0; i < 150; i++ {
			_, err = audit.Exec(`INSERT INTO audit_log (ts, who, what) VALUES (?, ?, ?)`, 1_700_000_000+i, "system:admin", strings.Repeat("x", 40))
			must(err, "audit insert")
		}
		for i := 0; i < 20; i++ {
			_, err = settings.Exec(`INSERT INTO config (key, value) VALUES (?, ?)`, fmt.Sprintf("key-%d", i), "value")
			must(err, "config insert")
			_, err = settings.Exec(`INSERT INTO sessions (id, data) VALUES (?, ?)`, fmt.Sprintf("s-%d", i), []byte("session"))
			must(err, "session insert")
		}
		_, err = settings.Exec(`DELETE FROM sessions`)
		must(err, "sessions delete")
		k.pods(10, "monitoring")
		n.capture("three-databases")
		n.stop()
	case "uncompressed":
		truth.Description = "One database 'k8s' (kine) with raft snapshot compression turned off through the LD_PRELOAD shim nocompress.c (raft_uv_set_snapshot_compression(io, false)); the file is the raw FSM payload."
		n := startNode("127.0.0.1:19103", 16, out, false, truth)
		k := newKine(n.db("k8s"), 3)
		k.bootstrap()
		k.pods(8, "default")
		n.capture("uncompressed")
		n.stop()
	case "bulk-delete":
		bulkDelete(truth, out, "127.0.0.1:19104", 4, 330, 297, true, nil, nil)
	case "sample":
		// Handle names are those of the bundle's `kubectl get ipamhandles`; the copies are named like
		// the newest snapshot in the bundle's before/after backend listings, so the listings'
		// mtimes place them on the wall clock. raft_file keeps the name raft gave each one.
		truth.Notes = append(truth.Notes, "files renamed to the bundle's listing names; raft_file is raft's own name for each")
		bulkDelete(truth, out, "127.0.0.1:19105", 5, 6071, 5472, false, readHandleNames(*handlesFile), map[string]string{
			"before": "snapshot-4-183435887-1738473286",
			"after":  "snapshot-4-183437979-1822515154",
		})
	default:
		must(fmt.Errorf("unknown scenario %q", name), "scenario")
	}
}

// bulkDelete: IPAM handles pile up (Calico's GC off), then most are deleted, kine compacts and
// VACUUM is attempted — the before/after of the incident's fix.
func bulkDelete(truth *Truth, out, address string, seed int64, handles, deleted int, withCompactedSnapshot bool, handleNames []string, rename map[string]string) {
	truth.Description = fmt.Sprintf("One database 'k8s' (kine). Snapshot 'before': %d Calico IPAM handles plus pods, events, leases, configmaps. Then %d handles are deleted (tombstones), kine compacts (superseded rows and tombstones removed)%s, VACUUM runs through dqlite, then two lease renewals; snapshot 'after' (%d handles left). LZ4 on.", handles, deleted, map[bool]string{true: "; snapshot 'compacted' (free pages, not yet vacuumed)", false: ""}[withCompactedSnapshot], handles-deleted)
	n := startNode(address, 32, out, true, truth)
	n.rename = rename
	k := newKine(n.db("k8s"), seed)
	k.bootstrap()
	k.leases(6)
	pods := k.pods(30, "default")
	keys := k.ipamHandles(handles, handleNames)
	if handleNames != nil && len(handleNames) != handles {
		must(fmt.Errorf("%d handle names, wanted %d", len(handleNames), handles), "handles")
	}
	k.deleteKeys(pods[:5])
	n.capture("before")
	k.rnd.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	k.deleteKeys(keys[:deleted])
	removed := k.Compact()
	truth.Notes = append(truth.Notes, fmt.Sprintf("compaction removed %d rows", removed))
	if withCompactedSnapshot {
		n.capture("compacted")
	}
	truth.Notes = append(truth.Notes, vacuum(n.db("k8s")))
	k.leases(2)
	n.capture("after")
	n.stop()
}

func main() {
	name := flag.String("scenario", "", "kine-wal | multi-db | uncompressed | bulk-delete | sample")
	out := flag.String("out", "", "folder for the snapshot files")
	truthPath := flag.String("truth", "", "ground-truth JSON path (default OUT/ground-truth.json)")
	flag.Parse()
	if *name == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if *truthPath == "" {
		*truthPath = filepath.Join(*out, "ground-truth.json")
	}
	truth := &Truth{
		Scenario: *name,
		GeneratedBy: map[string]any{
			"program":               "scripts/dqlite-generator (Go, go-dqlite app over the real libdqlite via cgo)",
			"dqlite_version_number": dqliteVersion(),
		},
		PrefixRule:  "keys under /registry/: /registry/<resource>/, or /registry/<group>/<resource>/ when the segment after /registry/ contains a dot; gap-<rev> rows together as gap-*; any other key is its own bucket",
		LiveKeyRule: "keys whose newest row (max id) has deleted = 0, excluding kine bookkeeping rows (compact_rev_key, gap-*)",
		Notes:       []string{},
	}
	fmt.Fprintf(os.Stderr, "scenario %s → %s\n", *name, *out)
	scenario(*name, *out, truth)
	sort.SliceStable(truth.Snapshots, func(i, j int) bool { return truth.Snapshots[i].Index < truth.Snapshots[j].Index })
	data, err := json.MarshalIndent(truth, "", "  ")
	must(err, "encode truth")
	must(os.WriteFile(*truthPath, append(data, '\n'), 0o644), "write truth")
}
